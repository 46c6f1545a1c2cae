package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.cli.session.CommandRegistry;
import dev.convene.cli.session.HelpCmd;
import dev.convene.cli.session.PeersCmd;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** help fits the terminal: wrapped at word boundaries to its width, never padded past it. */
class HelpLayoutTest {
    private final List<HelpCmd.Entry> entries = CommandRegistry.standard().all().stream().flatMap(c -> c.helpEntries().stream()).toList();

    private static List<String> words(String text) {
        return Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    @Test
    void everyLineFitsTheWidthAndNoWordIsCut() {
        StringBuilder all = new StringBuilder("commands:");
        for (HelpCmd.Entry e : entries) all.append(' ').append(e.synopsis()).append(' ').append(e.summary());
        for (String note : HelpCmd.NOTES) all.append(' ').append(note);
        for (int width : new int[] {40, 80, 100, 150}) {
            String text = HelpCmd.layout(entries, true, width);
            assertThat(text.lines()).as("width " + width).allSatisfy(line -> {
                assertThat(line.length() <= width || !line.strip().contains(" ")).as(line).isTrue();
                assertThat(line).as("no trailing blanks").isEqualTo(line.stripTrailing());
            });
            assertThat(words(text)).as("the same words in the same order at width " + width).isEqualTo(words(all.toString()));
        }
    }

    @Test
    void aWideTerminalKeepsOneLinePerCommandWhereItFits() {
        String text = HelpCmd.layout(entries, false, 150);
        assertThat(text.lines().filter(l -> l.startsWith("  peers ")).findFirst()).hasValueSatisfying(l ->
                assertThat(l).contains("peers", new PeersCmd().summary()));
        assertThat(text.lines().mapToInt(String::length).max().orElseThrow()).isLessThanOrEqualTo(150);
    }

    @Test
    void helpForOneCommandIsPicocliUsageFittedToTheWidth() {
        CommandRegistry registry = CommandRegistry.standard();
        for (var c : registry.all()) {
            for (int width : new int[] {55, 80, 150}) {
                var usage = HelpCmd.usage(registry, c.name(), width);
                if (c.name().equals("wait")) {
                    assertThat(usage).as("wait keeps the layout of its forms").isEmpty();
                    continue;
                }
                assertThat(usage).as(c.name()).isPresent();
                String text = usage.orElseThrow();
                assertThat(text).as(c.name()).startsWith("usage: " + c.synopsis().split(" ")[0]);
                assertThat(text.lines()).as(c.name() + " at " + width).allSatisfy(line -> {
                    assertThat(line.length()).as(line).isLessThanOrEqualTo(width);
                    assertThat(line).as("no trailing blanks").isEqualTo(line.stripTrailing());
                });
                List<String> all = words(text);
                int at = java.util.Collections.indexOfSubList(all, words(c.summary()));
                assertThat(at).as("the summary's words whole and in order in " + c.name() + " at " + width + ":\n" + text)
                        .isNotNegative();
                assertThat(java.util.Collections.indexOfSubList(all, words(c.synopsis()))).as("the synopsis, whole").isNotNegative();
            }
        }
        assertThat(HelpCmd.usage(registry, "open", 54)).as("narrower than picocli's minimum: the layout instead").isEmpty();
        assertThat(HelpCmd.usage(registry, "history", 80).orElseThrow()).contains("--last=N", "--since=TIME", "CONF");
    }
}
