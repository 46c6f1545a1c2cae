package dev.convene.bench;

import dev.convene.overlay.NetworkMode;
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

    /** The parts of a run, each measured beside raw JGroups. */
    public enum Part {
        /** Chat latency per group size, and the idle heap per peer. */
        LATENCY,
        /** Throughput, the late joiner's catch-up, heap and RSS under load. */
        THROUGHPUT,
        /** Start-up, kill -9 and SIGSTOP detection and idle RSS, with real processes. */
        PROCESSES,
        /** Complete directories and the cost of one join at several group sizes (long: not in a default run). */
        SIZE,
        /** Chat latency in one conference of 100 participants (the profile's), memory network. */
        CONFERENCE,
        /** Ephemeral event latency in a 3-peer conference. */
        EVENTS,
        /** A file between two peers (MiB/s), and chat latency while it moves against quiet. */
        FILES;

        /** The parts of a run without {@code --only}. */
        public static java.util.Set<Part> defaults() {
            return java.util.EnumSet.of(LATENCY, THROUGHPUT, PROCESSES, EVENTS, FILES);
        }
    }

    private final Profile profile;
    private final List<String> childJvm;
    private final Consumer<String> progress;
    private final java.util.Set<Part> parts;

    /**
     * @param childJvm options for the peer processes ({@link #childJvm(String)})
     * @param progress told what is being measured, for people watching
     */
    public Bench(Profile profile, List<String> childJvm, Consumer<String> progress) {
        this(profile, childJvm, progress, Part.defaults());
    }

    /** A run of some parts only (to reproduce or profile one number). */
    public Bench(Profile profile, List<String> childJvm, Consumer<String> progress, java.util.Set<Part> parts) {
        this.profile = profile;
        this.childJvm = List.copyOf(childJvm);
        this.progress = progress;
        this.parts = java.util.EnumSet.copyOf(parts);
    }

    private List<NetworkMode> sizeNetworks = List.of(NetworkMode.MEMORY, NetworkMode.LOCAL);

    /** The networks of the size part (default: memory, then loopback TCP). */
    public Bench sizeNetworks(List<NetworkMode> networks) {
        this.sizeNetworks = List.copyOf(networks);
        return this;
    }

    private java.nio.file.Path jfr;

    /** Records the Convene side of the throughput part with JFR and writes its CPU summary to {@code summary} (see {@link CpuProfile}). */
    public Bench jfr(java.nio.file.Path summary) {
        this.jfr = summary;
        return this;
    }

    public Report run() throws InterruptedException {
        Report report = new Report(profile, Instant.now(), Memory.loadAverage());
        try (Workspace ws = new Workspace()) {
            // Stopped with Ctrl-C: no stopped or orphaned peer process and no temporary home is left behind.
            // Made now, started by the hook: a JVM stopped while its heap is exhausted (hundreds of peers) may fail
            // to allocate a thread then, and would go on collecting garbage instead of exiting.
            Thread watchdog = haltAfter(EXIT_GRACE);
            Thread cleanup = new Thread(() -> {
                watchdog.start();
                Child.killAll();
                ws.close();
            }, "bench-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                measure(ws, report);
            } finally {
                removeHook(cleanup);
            }
        }
        report.finish(Instant.now(), Memory.loadAverage());
        return report;
    }

    /**
     * How long the JVM may take to exit once stopped (SIGTERM, Ctrl-C) before it is halted: the in-JVM peers are
     * not closed on the way out (leaving gracefully waits for acknowledgements, up to LEAVE_GRACE each), and a
     * JVM busy with hundreds of peers must not outlive the signal by more than this.
     */
    static final java.time.Duration EXIT_GRACE = java.time.Duration.ofSeconds(3);

    /** A thread that, once started (by a shutdown hook), halts the JVM with status 143 (as SIGTERM) after {@code grace}. */
    static Thread haltAfter(java.time.Duration grace) {
        long millis = grace.toMillis();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(143);
        }, "bench-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.setPriority(Thread.MAX_PRIORITY);
        return watchdog;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs
        }
    }

    private void measure(Workspace ws, Report report) throws InterruptedException {
        // sqlite-jdbc copies its native library into the temporary directory at every start and leaves the copy
        // behind when a process is killed: the peer processes put theirs in the workspace instead.
        List<String> jvm = new java.util.ArrayList<>(childJvm);
        jvm.add("-Dorg.sqlite.tmpdir=" + ws.directory("native"));
        LatencyBench latency = new LatencyBench(ws, profile, progress);
        for (int n : parts.contains(Part.LATENCY) ? profile.latencyGroups() : List.<Integer>of()) {
            long started = System.nanoTime();
            try {
                latency.run(n).forEach(report::add);
            } catch (RuntimeException e) {
                latency.missing(n, e instanceof BenchException ? e.getMessage() : e.toString()).forEach(report::add);
            }
            took("latency at " + n, started);
        }
        if (parts.contains(Part.CONFERENCE)) {
            long started = System.nanoTime();
            latency.conference(profile.conferencePeers()).forEach(report::add);
            took("conference of " + profile.conferencePeers(), started);
        }
        if (parts.contains(Part.THROUGHPUT)) {
            long started = System.nanoTime();
            new ThroughputBench(ws, profile, jvm, progress, jfr).run().forEach(report::add);
            took("throughput and catch-up", started);
        }
        if (parts.contains(Part.PROCESSES)) {
            long started = System.nanoTime();
            new ProcessBench(ws, profile, jvm, progress).run().forEach(report::add);
            took("processes", started);
        }
        if (parts.contains(Part.EVENTS)) {
            long started = System.nanoTime();
            new EventsBench(ws, profile, progress).run().forEach(report::add);
            took("ephemeral events", started);
        }
        if (parts.contains(Part.FILES)) {
            long started = System.nanoTime();
            new FileBench(ws, profile, progress).run().forEach(report::add);
            took("files", started);
        }
        SizeBench size = new SizeBench(ws, progress, profile.sizeIdle(), profile.sizeSettle());
        for (NetworkMode mode : parts.contains(Part.SIZE) ? sizeNetworks : List.<NetworkMode>of()) {
            for (int n : profile.sizeGroups()) {
                long started = System.nanoTime();
                size.run(n, mode).forEach(report::add);
                took("size " + n + " " + mode.cliName(), started);
            }
            size.growth(mode).forEach(report::add);
        }
    }

    private void took(String part, long startedNanos) {
        progress.accept(String.format(java.util.Locale.ROOT, "%s took %.1f s", part, (System.nanoTime() - startedNanos) / 1e9));
    }
}
