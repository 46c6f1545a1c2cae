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

/** {@code convene run}: one peer on the memory network, in a group of its own. */
@Timeout(60)
class RunCommandTest {
    @TempDir
    Path dir;

    private final String cluster = CliRun.freshCluster();

    private Path script(String... lines) throws IOException {
        Path file = dir.resolve("script-" + System.nanoTime() + ".convene");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private List<String> args(String... extra) {
        List<String> a = new ArrayList<>(List.of("--home", dir.resolve("home").toString(), "--name", "solo",
                "--network", "memory", "--cluster", cluster));
        a.addAll(List.of(extra));
        return a;
    }

    private CliRun run(String... extra) {
        return CliRun.run(args(extra).toArray(String[]::new));
    }

    @Test
    void aScriptThatSucceedsExitsZeroAndEveryLineIsAJsonEvent() throws IOException {
        Path s = script("# a comment", "", "peers", "  stats   # trailing comment", "wait peers 0 --timeout 1s", "sleep 10ms", "quit");
        CliRun r = run("run", s.toString(), "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        List<JsonNode> events = r.events();
        for (JsonNode e : events) {
            assertThat(e.path("event").asText()).isNotEmpty();
            assertThat(e.path("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        }
        JsonNode ready = events.get(0);
        assertThat(ready.path("event").asText()).isEqualTo("ready");
        assertThat(ready.path("name").asText()).isEqualTo("solo");
        assertThat(ready.path("network").asText()).isEqualTo("memory");
        assertThat(ready.path("cluster").asText()).isEqualTo(cluster);
        assertThat(ready.path("id").asText()).hasSize(32);
        assertThat(events.stream().filter(e -> e.path("event").asText().equals("result")).map(e -> e.path("command").asText() + "@" + e.path("line").asInt()))
                .containsExactly("peers@3", "stats@4", "wait@5", "sleep@6", "quit@7");
        assertThat(r.results("peers").get(0).at("/data/count").asInt()).isZero();
        JsonNode drops = r.results("stats").get(0).at("/data/drops");
        for (dev.convene.overlay.DropReason reason : dev.convene.overlay.DropReason.values()) {
            assertThat(drops.has(reason.name())).as(reason.name()).isTrue();
        }
        assertThat(r.results("stats").get(0).at("/data/members").asInt()).isEqualTo(1);
        // The conference layer's budgets are counted in stats too (issue 11).
        JsonNode conference = r.results("stats").get(0).at("/data/conference");
        for (var component : dev.convene.conference.ConferenceStats.class.getRecordComponents()) {
            String key = component.getName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
            assertThat(conference.has(key)).as(key).isTrue();
        }
        assertThat(r.results("stats").get(0).at("/data/mac-checks").isNumber()).isTrue();
    }

    @Test
    void withoutJsonTheOutputIsForPeople() throws IOException {
        CliRun r = run("run", script("peers", "stats").toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("solo (", "is online: memory network", "no other peers online", "members 1; frames sent",
                "receipts signed 0 (refused 0, under-report proofs 0), schedule changes refused 0");
        assertThat(r.out()).doesNotContain("{\"event\"");
    }

    @Test
    void aLineThatDoesNotParseStopsTheScriptBeforeThePeerStarts() throws IOException {
        Path s = script("peers", "peer", "wait peers", "open \"unclosed", "stats");
        CliRun r = run("run", s.toString(), "--json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        String name = s.toString();
        assertThat(r.err().lines().toList()).containsExactly(
                name + ":2: unknown command 'peer'; did you mean 'peers'? type 'help' for the list",
                name + ":3: wait: missing arguments; usage: wait peers N [--timeout D]",
                name + ":4: unclosed double quote at column 6; close it with \"");
        assertThat(r.events("ready")).isEmpty();
        assertThat(r.events("error")).extracting(e -> e.path("line").asInt()).containsExactly(2, 3, 4);
        assertThat(r.events("error").get(0).path("source").asText()).isEqualTo(name);
    }

    @Test
    void optionErrorsFoundByPicocliRefuseTheWholeScriptFromAFileAndFromStandardInput() throws IOException {
        String usage = "usage: wait peers N [--timeout D]";
        Path s = script("peers", "wait peers 0 --timeout=1s", "wait peers 0 --tiemout 1s", "wait peers 0 --timeout", "stats");
        CliRun r = run("run", s.toString(), "--json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().lines().toList()).containsExactly(
                s + ":3: wait: unknown option '--tiemout'; " + usage,
                s + ":4: wait: --timeout needs a value; " + usage);
        assertThat(r.events("ready")).as("no peer started").isEmpty();
        assertThat(r.results("peers")).isEmpty();

        CliRun in = CliRun.withInput("peers\nwait peers 0 -- --timeout\n", args("run", "-", "--json").toArray(String[]::new));
        assertThat(in.exitCode()).as(in.toString()).isEqualTo(2);
        assertThat(in.events("ready")).as("no peer started").isEmpty();
        assertThat(in.err().lines().toList()).containsExactly(
                "-:2: wait: unexpected '--timeout'; " + usage + " (quote text that has spaces)");
    }

    @Test
    void aWaitForPeersWithATransportKeyNamesItsFingerprint() throws IOException {
        dev.convene.overlay.TransportKey key = dev.convene.overlay.TransportKey.generate();
        Path keyFile = Files.write(dir.resolve("group.key"), key.toBytes());
        CliRun r = run("--transport-key-file", keyFile.toString(), "run", script("wait peers 1 --timeout 0.2s").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("this peer encrypts with transport key " + key.fingerprint() + ": the others must use the same key");
    }

    @Test
    void standardInputIsCheckedWholeBeforeThePeerStarts() {
        CliRun r = CliRun.withInput("peers\nstats\nsay\n", args("run", "-", "--json").toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.events("ready")).as("no peer started").isEmpty();
        assertThat(r.results("peers")).isEmpty();
        assertThat(r.err().lines().toList()).containsExactly("-:3: say: missing arguments; usage: say CONF TEXT");
    }

    @Test
    void streamRunsStandardInputLineByLineAndOnlyReadsIt() throws IOException {
        CliRun r = CliRun.withInput("peers\nsay\n", args("run", "-", "--stream", "--json").toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.results("peers")).as("the first line ran before the second was read").hasSize(1);
        assertThat(run("run", script("peers").toString(), "--stream").err()).contains("--stream reads standard input: use 'run - --stream'");
    }

    @Test
    void aFailingLineStopsTheRunWithExitOneAndNamesTheLine() throws IOException {
        Path s = script("peers", "wait peers 1 --timeout 300ms", "stats");
        CliRun r = run("run", s.toString(), "--json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().lines().toList()).singleElement().asString()
                .startsWith(s + ":2: wait peers: timed out after 300ms; 0 of 1 other peers online (none); start the others")
                .endsWith("is never seen by one without it");
        assertThat(r.results("stats")).isEmpty();
        assertThat(r.events("error")).singleElement().satisfies(e -> assertThat(e.path("line").asInt()).isEqualTo(2));
    }

    @Test
    void keepGoingRunsTheRestAndStillExitsOne() throws IOException {
        Path s = script("wait peers 1 --timeout 200ms", "stats", "wait peers 5 --timeout 200ms", "peers");
        CliRun r = run("run", s.toString(), "--keep-going", "--json");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.results("stats")).hasSize(1);
        assertThat(r.results("peers")).hasSize(1);
        assertThat(r.err().lines()).hasSize(2);
    }

    @Test
    void quitEndsTheScript() throws IOException {
        CliRun r = run("run", script("quit", "wait peers 9 --timeout 1s").toString(), "--json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.results("quit")).hasSize(1);
        assertThat(r.results("wait")).isEmpty();
    }

    @Test
    void streamedStandardInputIsReadLineByLine() {
        CliRun r = CliRun.withInput("peers\nbogus\nstats\n", args("run", "-", "--stream", "--json").toArray(String[]::new));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.results("peers")).hasSize(1);
        assertThat(r.results("stats")).isEmpty();
        assertThat(r.err()).startsWith("-:2: unknown command 'bogus'");

        CliRun ok = CliRun.withInput("peers\n# done\n", args("run", "-", "--json").toArray(String[]::new));
        assertThat(ok.exitCode()).isZero();
    }

    @Test
    void unicodeArgumentsSurviveIntoJson() throws IOException {
        CliRun r = CliRun.run("--home", dir.resolve("u").toString(), "--name", "Zoë 🎉", "--network", "memory",
                "--cluster", cluster, "run", script("peers").toString(), "--json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.events("ready").get(0).path("name").asText()).isEqualTo("Zoë 🎉");
    }

    @Test
    void aMissingScriptIsAUsageError() {
        CliRun r = run("run", dir.resolve("nope.txt").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("convene: cannot read the script").contains("check the path");
    }
}
