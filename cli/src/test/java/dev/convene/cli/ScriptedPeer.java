package dev.convene.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.convene.overlay.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One {@code convene run - --json --keep-going} session in this JVM on the memory network, driven line by
 * line as a script would be: {@link #send} a line, then wait for its {@code result} or {@code error} (the
 * {@code line} field says which). Reads only complete output lines, so a line being written is never
 * half-parsed.
 */
final class ScriptedPeer implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final LineFeed in = new LineFeed();
    private final CliRun run;
    private int lines;

    private ScriptedPeer(String name, Path home, String cluster, List<String> options) {
        this.name = name;
        List<String> args = new ArrayList<>(List.of("--home", home.toString(), "--name", name, "--network", "memory", "--cluster", cluster));
        args.addAll(options);
        args.addAll(List.of("run", "-", "--stream", "--json", "--keep-going"));
        this.run = CliRun.start(in, args.toArray(String[]::new));
    }

    static ScriptedPeer start(Path dir, String cluster, String name, String homeName) {
        return new ScriptedPeer(name, dir.resolve(homeName), cluster, List.of());
    }

    /** A peer with more global options, e.g. {@code --transport-key-file F}. */
    static ScriptedPeer start(Path dir, String cluster, String name, List<String> options) {
        return new ScriptedPeer(name, dir.resolve(name), cluster, options);
    }

    /** Writes one line; returns its line number. */
    int send(String line) {
        in.type(line);
        return ++lines;
    }

    /** The {@code result} or {@code error} of {@code line}. */
    JsonNode reply(int line) {
        JsonNode[] found = new JsonNode[1];
        TestCluster.awaitCondition(WAIT, () -> (found[0] = find(e -> (is(e, "result") || is(e, "error")) && e.path("line").asInt() == line)) != null,
                () -> name + ": no reply to line " + line + "\n" + run);
        return found[0];
    }

    /** Sends a line that must succeed; returns the result's data. */
    JsonNode call(String line) {
        JsonNode reply = reply(send(line));
        if (!is(reply, "result")) throw new AssertionError(name + ": '" + line + "' failed: " + reply.path("message").asText());
        return reply.path("data");
    }

    /** Sends a line that must fail; returns the error message. */
    String fail(String line) {
        JsonNode reply = reply(send(line));
        if (!is(reply, "error")) throw new AssertionError(name + ": '" + line + "' should have failed: " + reply);
        return reply.path("message").asText();
    }

    /** Waits for an event of {@code type} that satisfies {@code test}. */
    JsonNode await(String type, Predicate<JsonNode> test) {
        JsonNode[] found = new JsonNode[1];
        TestCluster.awaitCondition(WAIT, () -> (found[0] = find(e -> is(e, type) && test.test(e))) != null,
                () -> name + ": no matching " + type + " event\n" + run);
        return found[0];
    }

    /** Every complete event so far of {@code type}. */
    List<JsonNode> events(String type) {
        return events().stream().filter(e -> is(e, type)).toList();
    }

    String id() {
        return await("ready", e -> true).path("id").asText();
    }

    String name() {
        return name;
    }

    /** Ends the input and waits for the exit code. */
    Integer finish() throws InterruptedException {
        in.close();
        return run.await(WAIT.toMillis());
    }

    @Override
    public void close() {
        in.close();
    }

    @Override
    public String toString() {
        return name + ": " + run;
    }

    private JsonNode find(Predicate<JsonNode> test) {
        return events().stream().filter(test).findFirst().orElse(null);
    }

    private List<JsonNode> events() {
        String out = run.out();
        int end = out.lastIndexOf('\n');
        List<JsonNode> events = new ArrayList<>();
        if (end < 0) return events;
        for (String line : out.substring(0, end).split("\\R")) {
            try {
                events.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException(name + ": not JSON: " + line, e);
            }
        }
        return events;
    }

    private static boolean is(JsonNode e, String type) {
        return e.path("event").asText().equals(type);
    }
}
