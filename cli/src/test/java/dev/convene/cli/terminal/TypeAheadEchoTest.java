package dev.convene.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.NullCompleter;
import org.jline.terminal.Attributes;
import org.jline.terminal.impl.LineDisciplineTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 3 of issue 16: keys typed while the session is busy between two lines (a message being sent) were
 * echoed by the terminal into the middle of the output, and then drawn again by the next line, so the screen
 * showed stray fragments ({@code quick 4dave: quick 3}).
 *
 * <p>The terminal here is JLine's {@link LineDisciplineTerminal}, which does what a tty's line discipline
 * does: it echoes a key as it arrives whenever {@code ECHO} is set, whether or not a line is being read.
 * Keys are fed to it synchronously, so what it echoes is in the captured screen bytes at once: no timing.
 */
@Timeout(30)
class TypeAheadEchoTest {
    @TempDir
    Path home;

    @Test
    void keysTypedBetweenTwoLinesAreNotEchoedIntoTheOutputButReadByTheNextLine() throws IOException {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        LineDisciplineTerminal terminal = new LineDisciplineTerminal("test", "dumb", screen, StandardCharsets.UTF_8);
        terminal.setSize(new org.jline.terminal.Size(80, 24));
        TerminalInput input = TerminalInput.open(terminal, home.resolve("history"), new DefaultParser(), NullCompleter.INSTANCE,
                () -> new Prompt("alice", "local", 1, null), "1");
        try {
            type(terminal, "quick 1\r");
            assertThat(input.readLine()).isEqualTo("quick 1");

            // Between two lines: the session is busy (sending 'quick 1'); the person types on.
            int before = screen.size();
            type(terminal, "quick 2");
            assertThat(text(screen).substring(before)).as("echoed while no line was being read").doesNotContain("quick 2");
            assertThat(terminal.getAttributes().getLocalFlag(Attributes.LocalFlag.ECHO)).as("ECHO between lines").isFalse();

            // The next line reads them: drawn once, by the line editor, and kept whole.
            type(terminal, "\r");
            assertThat(input.readLine()).isEqualTo("quick 2");
            assertThat(occurrences(text(screen), "quick 2")).as("times 'quick 2' is on the screen").isEqualTo(1);
        } finally {
            input.close();
        }
    }

    @Test
    void closingGivesTheTerminalBackAsItWas() throws IOException {
        LineDisciplineTerminal terminal = new LineDisciplineTerminal("test", "dumb", new ByteArrayOutputStream(), StandardCharsets.UTF_8);
        Attributes before = new Attributes(terminal.getAttributes());
        TerminalInput input = TerminalInput.open(terminal, home.resolve("history"), new DefaultParser(), NullCompleter.INSTANCE,
                () -> new Prompt("alice", "local", 1, null), "1");
        assertThat(terminal.getAttributes().getLocalFlag(Attributes.LocalFlag.ECHO)).isFalse();
        input.close();
        assertThat(terminal.getAttributes().getLocalFlag(Attributes.LocalFlag.ECHO)).isEqualTo(before.getLocalFlag(Attributes.LocalFlag.ECHO));
        assertThat(terminal.getAttributes().getLocalFlag(Attributes.LocalFlag.ICANON))
                .isEqualTo(before.getLocalFlag(Attributes.LocalFlag.ICANON));
    }

    private static void type(LineDisciplineTerminal terminal, String keys) throws IOException {
        terminal.processInputBytes(keys.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream screen) {
        return screen.toString(StandardCharsets.UTF_8);
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }
}
