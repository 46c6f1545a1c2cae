package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text of {@code say}, {@code decline} and chat-mode lines is the raw rest of the line, kept exactly, in
 * every way a session reads lines: interactive (piped), {@code run FILE}, {@code run -} and chat mode.
 */
@Timeout(120)
class FreeTextTest {
    /** Texts a shell splitter would change or reject. */
    static final List<String> TEXTS = List.of(
            "it's 5 o'clock",
            "don't \"quote\" me",
            "a back\\slash, two \\\\ and a trailing \\",
            "runs  of   blanks    kept",
            "--verbose is a word, not an option",
            "-- a leading double dash",
            "#general starts with a hash # and has one",
            "emoji 🎉 👩‍💻 Zoë 日本語",
            "'fully quoted'",
            "\"unclosed");

    @TempDir
    Path home;

    private final String cluster = CliRun.freshCluster();

    private String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("--home", home.toString(), "--name", "ann", "--network", "memory", "--cluster", cluster, "--json"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static String script(List<String> lines) {
        StringBuilder s = new StringBuilder("create Notes\n");
        for (String line : lines) s.append(line).append('\n');
        return s.append("history Notes\n").toString();
    }

    private static List<String> sayLines() {
        return TEXTS.stream().map(t -> "say Notes " + t).toList();
    }

    private static List<String> history(CliRun r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<JsonNode> h = r.events("history");
        assertThat(h).as(r.toString()).hasSize(1);
        List<String> texts = new ArrayList<>();
        h.get(0).path("messages").forEach(m -> texts.add(m.path("text").asText()));
        return texts;
    }

    @Test
    void theInteractiveSessionKeepsTheText() {
        CliRun r = CliRun.withInput(script(sayLines()), args());
        assertThat(history(r)).containsExactlyElementsOf(TEXTS);
    }

    @Test
    void aScriptFileKeepsTheText() throws IOException {
        Path file = home.resolve("s.txt");
        Files.writeString(file, script(sayLines()), StandardCharsets.UTF_8);
        assertThat(history(CliRun.run(args("run", file.toString())))).containsExactlyElementsOf(TEXTS);
    }

    @Test
    void standardInputKeepsTheText() {
        assertThat(history(CliRun.withInput(script(sayLines()), args("run", "-")))).containsExactlyElementsOf(TEXTS);
    }

    @Test
    void chatModeKeepsTheTextOfLinesAndOfSlashSay() {
        List<String> lines = new ArrayList<>(List.of("open Notes"));
        lines.addAll(TEXTS);
        lines.add("/say " + TEXTS.get(0));
        lines.add("/say   " + TEXTS.get(2));
        lines.add("/back");
        List<String> expected = new ArrayList<>(TEXTS);
        expected.add(TEXTS.get(0));
        expected.add(TEXTS.get(2));
        assertThat(history(CliRun.withInput(script(lines), args()))).containsExactlyElementsOf(expected);
    }

    @Test
    void anErrorInAChatCommandGivesTheColumnInTheLineAsTyped() {
        CliRun r = CliRun.withInput("create Notes\nopen Notes\n/invite \"bo\n/back\n", args());
        assertThat(r.err()).contains("unclosed double quote at column 9");
    }

    @Test
    void theWordsBeforeTheTextStillSplitLikeAShell() {
        CliRun r = CliRun.withInput("create 'Design review'\nsay \"Design review\" it's 'here'\nhistory 'Design review'\n", args());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.events("history").get(0).path("messages").get(0).path("text").asText()).isEqualTo("it's 'here'");
    }

    @Test
    void aReplyKeepsTheTextAndNamesTheMessageItAnswers() {
        List<String> lines = new ArrayList<>(List.of("say Notes first"));
        TEXTS.forEach(t -> lines.add("reply Notes ann#1 " + t));
        CliRun r = CliRun.withInput(script(lines), args());
        List<String> expected = new ArrayList<>(List.of("first"));
        expected.addAll(TEXTS);
        assertThat(history(r)).containsExactlyElementsOf(expected);
        JsonNode messages = r.events("history").get(0).path("messages");
        String first = messages.get(0).path("id").asText();
        assertThat(messages.get(0).has("reply-to")).isFalse();
        for (int i = 1; i < messages.size(); i++) assertThat(messages.get(i).path("reply-to").asText()).isEqualTo(first);
        assertThat(r.results("reply")).hasSize(TEXTS.size()).allSatisfy(d -> assertThat(d.path("data").path("reply-to").asText()).isEqualTo(first));
    }
}
