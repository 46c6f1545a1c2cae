package dev.convene.cli.terminal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jline.utils.AttributedString;

/**
 * Standard error while the interactive session owns the terminal: whatever is written (log lines, mostly) is
 * collected into whole lines and shown through the {@link Screen}, above the line being typed, instead of
 * being written into the middle of it. Text is made terminal-safe ({@link Safe}) like everything else shown.
 */
final class LinesAbove extends OutputStream {
    /** A line longer than this is shown in pieces rather than held without bound. */
    private static final int MAX_LINE = 8192;

    private final Screen screen;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LinesAbove(Screen screen) {
        this.screen = screen;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            showLine();
            return;
        }
        line.write(b);
        if (line.size() >= MAX_LINE) showLine();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    @Override
    public synchronized void flush() {
        // Only whole lines are shown; a partial one waits for its end.
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) showLine();
    }

    private void showLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
        screen.show(new AttributedString(Safe.line(text)));
    }
}
