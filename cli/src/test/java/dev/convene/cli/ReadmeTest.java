package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.cli.session.CommandRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README.md stays true: its Java example is the tested one, and every session command it shows parses. */
class ReadmeTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path EXAMPLE = Path.of("..", "conference-core", "src", "test", "java", "dev", "convene", "conference",
            "example", "ReadmeExampleTest.java");
    private static final Path POLL_EXAMPLE = EXAMPLE.resolveSibling("ReadmePollExampleTest.java");
    /** A command typed at the interactive prompt, e.g. {@code alice@local (2 peers)> accept "Design review"}. */
    private static final Pattern PROMPTED = Pattern.compile("^\\w+@\\w+ \\(\\d+ peers?\\)> (.+)$", Pattern.MULTILINE);

    /** A command typed in chat mode, e.g. {@code alice@local (2 peers) [Design review]> /history}. */
    private static final Pattern CHAT_COMMAND = Pattern.compile("^\\w+@\\w+ \\(\\d+ peers?\\) \\[[^\\]]+\\]> /(\\S+)", Pattern.MULTILINE);

    private static String readme() throws IOException {
        return Files.readString(README, StandardCharsets.UTF_8);
    }

    @Test
    void theJavaExampleIsTheOneTheBuildRuns() throws IOException {
        assertThat(readme()).contains(javaBlock(EXAMPLE, "README-EXAMPLE", 8));
    }

    @Test
    void thePollExampleIsTheOneTheBuildRuns() throws IOException {
        assertThat(readme()).contains(javaBlock(POLL_EXAMPLE, "README-POLL", 4));
    }

    /** The code between a test's markers, dedented by {@code indent}, as a fenced Java block. */
    private static String javaBlock(Path test, String marker, int indent) throws IOException {
        String text = Files.readString(test, StandardCharsets.UTF_8);
        int start = text.indexOf("// " + marker + "-START\n");
        assertThat(start).as(marker + " in " + test).isNotNegative();
        start += ("// " + marker + "-START\n").length();
        int end = text.lastIndexOf('\n', text.indexOf("// " + marker + "-END")) + 1;
        String prefix = " ".repeat(indent);
        List<String> dedented = new ArrayList<>();
        for (String line : text.substring(start, end).split("\n", -1)) dedented.add(line.startsWith(prefix) ? line.substring(indent) : line);
        return "```java\n" + String.join("\n", dedented) + "```";
    }

    @Test
    void everyCommandTheWalkthroughTypesParses() throws IOException {
        CommandRegistry registry = CommandRegistry.standard();
        Matcher m = PROMPTED.matcher(readme());
        int typed = 0;
        while (m.find()) {
            assertThat(RunCommand.parse(m.group(1), registry)).as(m.group(1)).isPresent();
            typed++;
        }
        assertThat(typed).as("commands typed at a prompt in the README").isGreaterThanOrEqualTo(6);
    }

    @Test
    void theScriptExampleParses() throws IOException {
        String readme = readme();
        String script = readme.substring(readme.indexOf("cat > bob.convene <<'SCRIPT'\n") + "cat > bob.convene <<'SCRIPT'\n".length(),
                readme.indexOf("\nSCRIPT\n./convene --home /tmp/bob"));
        CommandRegistry registry = CommandRegistry.standard();
        for (String line : script.split("\n")) assertThat(RunCommand.parse(line, registry)).as(line).isPresent();
    }

    @Test
    void everyChatModeCommandTheWalkthroughTypesExists() throws IOException {
        CommandRegistry registry = CommandRegistry.standard();
        Matcher m = CHAT_COMMAND.matcher(readme());
        List<String> typed = new ArrayList<>();
        while (m.find()) typed.add(m.group(1));
        assertThat(typed).contains("history", "back");
        assertThat(typed).allSatisfy(name -> assertThat(name.equals("back") || registry.get(name).isPresent()).as(name).isTrue());
    }
}
