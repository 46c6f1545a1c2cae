package dev.convene.cli.terminal;

import org.jline.utils.AttributedString;

/**
 * A terminal that the interactive session owns: {@link EventWriter} shows every line through it instead of
 * writing to standard output, so that output arriving while the user types appears above the input line
 * and leaves what was typed intact.
 *
 * <p>Implementations are called from any thread, one call at a time (the writer serialises them).
 */
public interface Screen {
    /** Prints {@code text} (one or more lines) above the input line, in colour if the terminal shows colours. */
    void show(AttributedString text);

    /** Rings the terminal bell. */
    default void bell() {
    }

    /**
     * Shows {@code line} as the one progress line below the output, replacing the previous one; null removes it.
     * Only while no line is being read (a command runs): the input line is never drawn over.
     */
    default void progress(String line) {
    }

    /** Its width in columns now, or 0 if unknown. */
    default int width() {
        return 0;
    }
}
