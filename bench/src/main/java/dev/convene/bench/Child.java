package dev.convene.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A peer in a process of its own, started with this JVM's java binary and class path, whose stdout carries
 * one JSON object per line. Every line is kept with the {@link System#nanoTime()} at which it was read
 * (the reader never waits on anything else, so that is within a millisecond of when it was written).
 * Standard error goes to a file in the workspace. {@link #close()} closes stdin (the peer leaves), then
 * kills what is still running; a stopped process is continued first.
 */
final class Child implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Children not yet closed, killed by {@link #killAll()} if this JVM is stopped in the middle of a run. */
    private static final java.util.Set<Child> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** One line of the child's output and when it was read. */
    record Line(long nanos, JsonNode json) {
        String event() {
            return json.path("event").asText();
        }
    }

    private final String name;
    private final Process process;
    private final long startedNanos;
    private final List<Line> lines = new ArrayList<>();
    private volatile Consumer<Line> tap = l -> { };

    private Child(String name, Process process, long startedNanos) {
        this.name = name;
        this.process = process;
        this.startedNanos = startedNanos;
    }

    /** Starts {@code java <jvmOptions> -cp <this class path> <mainAndArgs>}. */
    static Child start(String name, List<String> jvmOptions, List<String> mainAndArgs, Path stderr) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
        try {
            long started = System.nanoTime();
            Child c = new Child(name, pb.start(), started);
            LIVE.add(c);
            Thread reader = new Thread(c::readLines, "bench-read-" + name);
            reader.setDaemon(true);
            reader.start();
            return c;
        } catch (IOException e) {
            throw new BenchException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String text;
            while ((text = in.readLine()) != null) {
                long now = System.nanoTime();
                JsonNode json;
                try {
                    json = JSON.readTree(text);
                } catch (IOException notJson) {
                    continue; // a stray line; the peers print JSON only
                }
                Line line = new Line(now, json);
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
                tap.accept(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** {@link System#nanoTime()} just before the process was started. */
    long startedNanos() {
        return startedNanos;
    }

    /** Called for every line read from now on, on the reader thread; must not block. */
    void tap(Consumer<Line> consumer) {
        this.tap = consumer;
    }

    synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The first line, already read or yet to come, that matches. */
    synchronized Line await(Predicate<Line> match, Duration timeout, String what) throws InterruptedException {
        long deadline = Waits.deadline(timeout);
        int seen = 0;
        while (true) {
            for (; seen < lines.size(); seen++) {
                if (match.test(lines.get(seen))) return lines.get(seen);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.isAlive() && seen == lines.size()) {
                throw new BenchException(name + ": no " + what + " within " + timeout.toSeconds() + " s"
                        + (process.isAlive() ? "" : " (it exited with " + exitValue() + "; see its stderr)"));
            }
            wait(Math.max(1, Math.min(200, left / 1_000_000)));
        }
    }

    synchronized Optional<Line> first(Predicate<Line> match) {
        return lines.stream().filter(match).findFirst();
    }

    private String exitValue() {
        try {
            return Integer.toString(process.exitValue());
        } catch (IllegalThreadStateException e) {
            return "?";
        }
    }

    /** Resident set size in bytes (NaN once it is gone). */
    double rss() {
        return Memory.rss(process.pid());
    }

    /** kill -9. */
    void kill() {
        process.destroyForcibly();
    }

    /** kill -STOP (true) or kill -CONT (false), through the kill command. */
    void signalStop(boolean stop) {
        try {
            Process kill = new ProcessBuilder("kill", stop ? "-STOP" : "-CONT", Long.toString(process.pid())).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new BenchException("kill " + (stop ? "-STOP " : "-CONT ") + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new BenchException("cannot run kill: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while signalling " + name, e);
        }
    }

    /** Kills every child not yet closed (SIGKILL ends a stopped process too): for a shutdown hook. */
    static void killAll() {
        LIVE.forEach(c -> c.process.destroyForcibly());
        LIVE.clear();
    }

    @Override
    public void close() {
        LIVE.remove(this);
        if (!process.isAlive()) return;
        try {
            signalStop(false); // in case it was stopped: a stopped process would not read EOF
        } catch (BenchException ignored) {
            // it may have just exited
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Closes all at once: each gets its stdin closed first, so they leave together rather than one by one. */
    static void closeAll(List<Child> children) {
        for (Child c : children) {
            try {
                if (c.process.isAlive()) c.signalStop(false);
                c.process.getOutputStream().close();
            } catch (IOException | BenchException e) {
                // closed below by force
            }
        }
        children.parallelStream().forEach(Child::close);
    }
}
