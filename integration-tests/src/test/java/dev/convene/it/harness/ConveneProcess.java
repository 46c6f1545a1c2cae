package dev.convene.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One running {@code convene} process (a peer fed commands through {@code run -}, or a router): its JSON
 * events in an {@link EventLog}, its stdout and stderr kept in files under the fleet's directory, and the
 * faults a test inflicts on it: {@link #kill()} (SIGKILL), {@link #freeze()} / {@link #thaw()}
 * (SIGSTOP / SIGCONT).
 *
 * <p>Lifecycle: started by a {@link Fleet}, which also restarts it (a new instance with the same home)
 * and destroys it at the end whatever happened. Commands are numbered as {@code run -} numbers its input
 * lines, so each reply is matched to its command by the {@code line} field. Thread-safe.
 */
public final class ConveneProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Launch launch;
    private final int generation;
    private final Process process;
    private final EventLog events;
    private final Writer stdin;
    private final Path stdoutFile;
    private final Path stderrFile;
    private final Thread reader;
    private int lines;
    private volatile boolean frozen;
    /** Each freeze as [frozen at, thawed at (null while frozen)]. */
    private final List<Instant[]> freezes = new CopyOnWriteArrayList<>();

    /**
     * How to start a process, kept so it can be started again the same way.
     *
     * @param name the peer's (or router's) name, unique within its fleet
     * @param command the whole command line, launcher prefix ({@code ip netns exec …}) included
     * @param logDir where stdout and stderr copies go
     * @param peer true for a peer that reads commands from stdin; false for a router
     */
    public record Launch(String name, List<String> command, Path logDir, boolean peer) {
        public Launch {
            command = List.copyOf(command);
        }
    }

    private ConveneProcess(Launch launch, int generation) throws IOException {
        this.launch = launch;
        this.generation = generation;
        this.events = new EventLog(label(launch.name(), generation));
        this.stdoutFile = launch.logDir().resolve(launch.name() + "." + generation + ".out");
        this.stderrFile = launch.logDir().resolve(launch.name() + "." + generation + ".err");
        this.process = new ProcessBuilder(launch.command()).redirectError(stderrFile.toFile()).start();
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.reader = new Thread(this::readEvents, "it-" + launch.name() + "." + generation + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static ConveneProcess start(Launch launch, int generation) {
        try {
            return new ConveneProcess(launch, generation);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + launch.name() + ": " + launch.command(), e);
        }
    }

    private static String label(String name, int generation) {
        return generation == 1 ? name : name + "#" + generation;
    }

    private void readEvents() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer copy = Files.newBufferedWriter(stdoutFile, StandardCharsets.UTF_8)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                copy.write(line);
                copy.write('\n');
                copy.flush();
                try {
                    JsonNode node = JSON.readTree(line);
                    if (node != null && node.isObject()) events.add(node);
                    else events.addUnparsed(line);
                } catch (IOException notJson) {
                    events.addUnparsed(line);
                }
            }
        } catch (IOException e) {
            // the process died mid-line: what was read is logged
        } finally {
            events.end();
        }
    }

    public String name() {
        return launch.name();
    }

    /** 1 for the first start, then one more per restart. */
    public int generation() {
        return generation;
    }

    public Launch launch() {
        return launch;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public EventLog events() {
        return events;
    }

    /** Waits for {@code ready} and returns it (for a peer: its id, address, …). */
    public EventLog.Event ready(Duration timeout) {
        try {
            return events.await(e -> e.is("ready"), timeout, () -> "ready");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
        }
    }

    /**
     * Whether this process ended before {@code ready} because it could not listen on a port (the CLI's
     * "cannot listen on … ports …" error): a start refused by the network, not a crash.
     */
    public boolean refusedPort() {
        return !alive() && events.ended() && events.find(e -> e.is("ready")).isEmpty()
                && events.find(e -> e.is("error") && e.json().path("message").asText().startsWith("cannot listen on")).isPresent();
    }

    /** This peer's id, once ready. */
    public String id() {
        return ready(Duration.ofSeconds(60)).json().path("id").asText();
    }

    /**
     * Writes one command line to the peer's standard input.
     *
     * @return its line number, which the reply's {@code line} field carries
     */
    public synchronized int send(String commandLine) {
        if (commandLine.isBlank() || commandLine.contains("\n")) {
            throw new IllegalArgumentException("one non-blank line expected: '" + commandLine + "'");
        }
        try {
            stdin.write(commandLine);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError(this + ": cannot send '" + commandLine + "' (" + e.getMessage() + "); " + diagnostics(), e);
        }
        return ++lines;
    }

    /** Waits for the {@code result} or {@code error} of line {@code line}. */
    public EventLog.Event reply(int line, Duration timeout) {
        return events.await(e -> (e.is("result") || e.is("error")) && e.line() == line, timeout, () -> "the reply to line " + line);
    }

    /** Sends a command and waits for its reply, which may be an error. */
    public EventLog.Event attempt(String commandLine, Duration timeout) {
        return reply(send(commandLine), timeout);
    }

    /** Sends a command and waits for its result; fails with the error message if it failed. */
    public EventLog.Event call(String commandLine, Duration timeout) {
        EventLog.Event reply = attempt(commandLine, timeout);
        if (reply.is("error")) {
            throw new AssertionError(this + ": '" + commandLine + "' failed: " + reply.json().path("message").asText());
        }
        return reply;
    }

    /** SIGKILL: no goodbye, no flush; waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(20));
    }

    /** SIGKILL without waiting, to kill several at the same instant; follow with {@link #kill()}. */
    public void killNoWait() {
        process.destroyForcibly();
    }

    /** SIGSTOP: the process stays, its sockets stay open, it answers nothing. */
    public void freeze() {
        signal("STOP");
        frozen = true;
        freezes.add(new Instant[] {Instant.now(), null});
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() {
        signal("CONT");
        frozen = false;
        freezes.stream().filter(f -> f[1] == null).forEach(f -> f[1] = Instant.now());
    }

    /** Whether this process was frozen at some moment between {@code from} and {@code to}. */
    public boolean frozenBetween(Instant from, Instant to) {
        return freezes.stream().anyMatch(f -> !f[0].isAfter(to) && (f[1] == null || !f[1].isBefore(from)));
    }

    /** Between {@link #freeze()} and {@link #thaw()}. */
    public boolean frozen() {
        return frozen;
    }

    /** Alive, not frozen, and {@code ready}: it can take commands now. */
    public boolean usable() {
        return alive() && !frozen && events.find(e -> e.is("ready")).isPresent();
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " " + pid() + " failed: " + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends {@code quit} and waits for a clean exit. */
    public void quit(Duration timeout) {
        send("quit");
        awaitExit(timeout);
    }

    /** Waits for the process to exit; returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(this + " still running after " + timeout.toMillis() + "ms; " + diagnostics());
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The tail of the events and of stderr, for failure messages. */
    public String diagnostics() {
        String err;
        try {
            List<String> lines = Files.exists(stderrFile) ? Files.readAllLines(stderrFile, StandardCharsets.UTF_8) : List.of();
            err = String.join("\n  ", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            err = "(unreadable: " + e + ")";
        }
        return this + (process.isAlive() ? " running" : " exited " + process.exitValue()) + "; last events:\n" + events.tail(6)
                + "  stderr: " + (err.isEmpty() ? "(empty)" : err);
    }

    /** Kills the process if it still runs; never fails. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    @Override
    public String toString() {
        return label(launch.name(), generation) + "(pid " + process.pid() + ")";
    }
}
