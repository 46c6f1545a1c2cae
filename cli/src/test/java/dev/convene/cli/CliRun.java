package dev.convene.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;

/**
 * Runs {@code convene} in this JVM with captured stdout and stderr, the way {@link Main#main} would but
 * without exiting. {@link #start} runs it on a thread so a test can feed standard input while it runs.
 */
public final class CliRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CommandLine cmd;
    private volatile Integer exitCode;
    private Thread thread;

    private CliRun(InputStream stdin) {
        cmd = Main.commandLine(stdin);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
    }

    /** A group name no other test uses. */
    public static String freshCluster() {
        return "test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    /** Runs to completion with empty standard input. */
    public static CliRun run(String... args) {
        return withInput("", args);
    }

    /** Runs to completion with {@code stdin} as standard input. */
    static CliRun withInput(String stdin, String... args) {
        CliRun r = new CliRun(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        r.exitCode = r.cmd.execute(args);
        return r;
    }

    /** Starts on a thread of its own. */
    static CliRun start(InputStream stdin, String... args) {
        CliRun r = new CliRun(stdin);
        r.thread = new Thread(() -> r.exitCode = r.cmd.execute(args), "cli-" + String.join(" ", args));
        r.thread.setDaemon(true);
        r.thread.start();
        return r;
    }

    /** Waits for a started run to end; the exit code, or null if it did not end in time. */
    Integer await(long millis) throws InterruptedException {
        thread.join(millis);
        return exitCode;
    }

    void interrupt() {
        thread.interrupt();
    }

    public Integer exitCode() {
        return exitCode;
    }

    public String out() {
        return out.toString();
    }

    public String err() {
        return err.toString();
    }

    /** Stdout lines. */
    List<String> lines() {
        String s = out();
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\R"));
    }

    /** Stdout as JSON objects, one per line; fails if a line is not one. */
    public List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines()) {
            try {
                JsonNode node = JSON.readTree(line);
                if (!node.isObject()) throw new AssertionError("not a JSON object: " + line);
                events.add(node);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
        return events;
    }

    /** The events of one type ({@code "event"} field). */
    public List<JsonNode> events(String type) {
        return events().stream().filter(e -> e.path("event").asText().equals(type)).toList();
    }

    /** The {@code result} events of one command. */
    public List<JsonNode> results(String command) {
        return events("result").stream().filter(e -> e.path("command").asText().equals(command)).toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out() + "--- err\n" + err();
    }
}
