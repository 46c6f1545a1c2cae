package dev.convene.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Standard error during the interactive session: whole lines, shown above the input, made safe. */
class LinesAboveTest {
    @Test
    void showsWholeLinesSafelyAndTheRestOnClose() {
        List<String> shown = new ArrayList<>();
        PrintStream err = new PrintStream(new LinesAbove(text -> shown.add(text.toString())), true, StandardCharsets.UTF_8);
        err.print("12:00 WARN half");
        assertThat(shown).isEmpty();
        err.println(" a line \u001b[31mred\u001b[0m");
        err.print("Zoë\r\nlast");
        err.close();
        assertThat(shown).containsExactly("12:00 WARN half a line ^[[31mred^[[0m", "Zoë", "last");
    }
}
