package dev.convene.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of this JVM while one part runs (settings {@code profile}, with execution sampled every
 * {@link #PERIOD} instead of its 10-20 ms), and its CPU summary: the execution samples counted by thread
 * name (its prefix, numbers dropped), by the first {@code dev.convene} frame from the top of the stack (whose
 * work a library frame on top was doing), by the method on top of the stack (self) and by every method on
 * the stack (inclusive, once per sample). {@code convene bench --jfr FILE} records the Convene side of the
 * throughput part (the author and the in-JVM receivers) this way: FILE gets the summary, FILE.jfr the recording.
 */
final class CpuProfile implements AutoCloseable {
    /** Rows of each table in the summary. */
    static final int TOP = 25;
    /** How often each running Java thread's stack is sampled. */
    static final java.time.Duration PERIOD = java.time.Duration.ofMillis(1);

    private final Recording recording;
    private final Path summary;

    private CpuProfile(Recording recording, Path summary) {
        this.recording = recording;
        this.summary = summary;
    }

    /** Starts recording; {@link #close()} stops it and writes the summary to {@code summary}. */
    static CpuProfile start(Path summary) {
        try {
            Recording r = new Recording(Configuration.getConfiguration("profile"));
            r.setName("convene-bench");
            r.enable("jdk.ExecutionSample").withPeriod(PERIOD);
            r.start();
            return new CpuProfile(r, summary);
        } catch (IOException | ParseException e) {
            throw new BenchException("cannot start a JFR recording: " + e);
        }
    }

    @Override
    public void close() {
        recording.stop();
        Path jfr = summary.resolveSibling(summary.getFileName() + ".jfr");
        try {
            recording.dump(jfr);
            Files.writeString(summary, summarize(RecordingFile.readAllEvents(jfr)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            recording.close();
        }
    }

    /** The summary of the execution samples among {@code events}. */
    static String summarize(List<RecordedEvent> events) {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> convene = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) continue;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) continue;
            samples++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            threads.merge(threadOf(e), 1, Integer::sum);
            convene.merge(firstConvene(frames), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) inclusive.merge(n, 1, Integer::sum);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d execution samples (JFR, settings 'profile' with jdk.ExecutionSample every %d ms:"
                + " one per running Java thread)%n", samples, PERIOD.toMillis()));
        table(out, "by thread (name without its numbers)", threads, samples);
        table(out, "by first dev.convene frame from the top (library frames above it counted as its work)", convene, samples);
        table(out, "top frames (self)", self, samples);
        table(out, "on the stack (inclusive)", inclusive, samples);
        return out.toString();
    }

    private static void table(StringBuilder out, String title, Map<String, Integer> counts, int samples) {
        out.append(String.format(Locale.ROOT, "%n%s%n", title));
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP)
                .forEach(e -> out.append(String.format(Locale.ROOT, "%6.1f %%  %6d  %s%n", 100.0 * e.getValue() / Math.max(1, samples),
                        e.getValue(), e.getKey())));
    }

    /**
     * A sampled thread's name without what numbers it: {@code pool-worker-3} and {@code pool-worker-7} are
     * {@code pool-worker}; a JGroups thread's {@code jgroups-5,cluster,peer} is {@code jgroups}; a peer's
     * {@code convene-alice-events} is {@code convene-*-events}; an address in brackets is dropped.
     */
    static String threadOf(RecordedEvent e) {
        jdk.jfr.consumer.RecordedThread t = e.getThread("sampledThread");
        String n = t == null ? null : t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        return threadPrefix(n);
    }

    static String threadPrefix(String name) {
        if (name == null || name.isEmpty()) return "?";
        int comma = name.indexOf(',');
        String n = comma >= 0 ? name.substring(0, comma) : name;
        int bracket = n.indexOf(" [");
        if (bracket > 0) n = n.substring(0, bracket); // NioServer.Selector [/127.0.0.1:24200]: the address numbers it
        int end = n.length();
        while (end > 0 && (Character.isDigit(n.charAt(end - 1)) || "-_#. ".indexOf(n.charAt(end - 1)) >= 0)) end--;
        if (end > 0) n = n.substring(0, end);
        // A peer's own threads are named convene-<peer>-<role>: grouped by role over all peers.
        int first = n.indexOf('-');
        int last = n.lastIndexOf('-');
        if (n.startsWith("convene-") && last > first + 1 && last < n.length() - 1) n = "convene-*-" + n.substring(last + 1);
        return n;
    }

    /**
     * The first frame of Convene's from the top of the stack: where a sample in BouncyCastle, SQLite or JGroups
     * was spent on Convene's behalf. A stack without one is named by its top frame's package.
     */
    static String firstConvene(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String n = name(f);
            if (n.startsWith("dev.convene.")) return n;
        }
        String top = name(frames.get(0));
        int dot = top.lastIndexOf('.', top.lastIndexOf('.') - 1);
        return "(no dev.convene frame) " + (dot > 0 ? top.substring(0, dot) : top);
    }

    private static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        if (m == null) return "?";
        String type = m.getType() == null ? "?" : m.getType().getName();
        int lambda = type.indexOf("$$Lambda");
        // A lambda's class name carries a run-specific number and address: one name for them all.
        return (lambda >= 0 ? type.substring(0, lambda) + "$$Lambda" : type) + "." + m.getName();
    }
}
