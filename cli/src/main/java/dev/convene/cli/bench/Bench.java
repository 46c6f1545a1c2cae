package dev.convene.cli.bench;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run of the benchmark: latency per group size, throughput with catch-up and memory under load, then
 * the process figures, each beside raw JGroups measured in the same run. A part that fails leaves its
 * figures missing (NaN, with why) and the run goes on. Peers and processes live only within their part;
 * the temporary homes are deleted at the end.
 */
public final class Bench {
    /** JVM options of every child process: the launcher's, with the heap the issue asks an idle peer to fit in. */
    public static List<String> childJvm(String maxHeap) {
        return List.of("-Xmx" + maxHeap, "-XX:+UseSerialGC", "-Djava.net.preferIPv4Stack=true", "-Djdk.serialFilter=!*",
                "-Djgroups.bind_addr=127.0.0.1");
    }

    private final Profile profile;
    private final List<String> childJvm;
    private final Consumer<String> progress;

    /**
     * @param childJvm options for the peer processes ({@link #childJvm(String)})
     * @param progress told what is being measured, for people watching
     */
    public Bench(Profile profile, List<String> childJvm, Consumer<String> progress) {
        this.profile = profile;
        this.childJvm = List.copyOf(childJvm);
        this.progress = progress;
    }

    public Report run() throws InterruptedException {
        Report report = new Report(profile, Instant.now(), Memory.loadAverage());
        try (Workspace ws = new Workspace()) {
            LatencyBench latency = new LatencyBench(ws, profile, progress);
            for (int n : profile.latencyGroups()) {
                try {
                    latency.run(n).forEach(report::add);
                } catch (RuntimeException e) {
                    latency.missing(n, e instanceof BenchException ? e.getMessage() : e.toString()).forEach(report::add);
                }
            }
            new ThroughputBench(ws, profile, childJvm, progress).run().forEach(report::add);
            new ProcessBench(ws, profile, childJvm, progress).run().forEach(report::add);
        }
        report.finish(Instant.now(), Memory.loadAverage());
        return report;
    }
}
