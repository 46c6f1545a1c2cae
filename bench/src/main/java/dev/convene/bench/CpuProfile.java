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
 * A JFR recording (settings {@code profile}) of this JVM while one part runs, and its CPU summary: the
 * execution samples counted by the method on top of the stack (self) and by every method on the stack
 * (inclusive, once per sample). {@code convene bench --jfr FILE} records the Convene side of the throughput
 * part (the author and the in-JVM receivers) this way: FILE gets the summary, FILE.jfr the recording.
 */
final class CpuProfile implements AutoCloseable {
    /** Rows of each table in the summary. */
    static final int TOP = 25;

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
        int samples = 0;
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) continue;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) continue;
            samples++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) inclusive.merge(n, 1, Integer::sum);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d execution samples (JFR, settings 'profile': one per running Java thread every 10-20 ms)%n", samples));
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

    private static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        if (m == null) return "?";
        String type = m.getType() == null ? "?" : m.getType().getName();
        int lambda = type.indexOf("$$Lambda");
        // A lambda's class name carries a run-specific number and address: one name for them all.
        return (lambda >= 0 ? type.substring(0, lambda) + "$$Lambda" : type) + "." + m.getName();
    }
}
