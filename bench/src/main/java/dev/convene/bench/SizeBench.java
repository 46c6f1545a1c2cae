package dev.convene.bench;

import dev.convene.conference.ConferencePeer;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Group size: how long {@code n} peers take to reach complete directories (every peer sees every other one
 * online), beside raw JGroups channels on the same stack reaching a view of {@code n}; then what one more
 * peer joining costs the group, from the overlay's own counters (frames received and signature checks,
 * summed over the group) beside the raw transport's message count for the same join. Idle traffic
 * (heartbeats) is measured just before the join and its share subtracted, so a count is the join's own
 * within the noise of a few heartbeats. Both sides start the
 * same way: the first peer alone, the others three at a time. A join cost that grows linearly in {@code n}
 * is a constant per existing peer.
 */
final class SizeBench {
    /** How long a group may take to form before the figure is given up: 60 s, more above 50 peers (see {@link #form}). */
    static final Duration FORM = Duration.ofSeconds(60);

    /**
     * How long {@code n} peers may take to form: {@link #FORM}, or 1.5 s per peer if more (150 s at 100: 100 TCP peers in
     * one JVM formed in 58 s at load 50 on two cores, and a figure given up is worth less than a slow one).
     */
    static Duration form(int n) {
        return FORM.compareTo(Duration.ofMillis(1500L * n)) >= 0 ? FORM : Duration.ofMillis(1500L * n);
    }
    /** Idle traffic (heartbeats) is measured this long before a join, and subtracted from the join's counts. */
    static final Duration IDLE = Duration.ofSeconds(4);
    /** After a join completes, counts are read this much later (answers still in flight). */
    static final Duration SETTLE = Duration.ofSeconds(1);

    private final Workspace ws;
    private final Consumer<String> progress;
    private final Duration idle;
    private final Duration settle;

    SizeBench(Workspace ws, Consumer<String> progress) {
        this(ws, progress, IDLE, SETTLE);
    }

    /**
     * @param idle how long idle traffic is measured before each join ({@link #IDLE} for figures of record)
     * @param settle how long after a join its counts are read ({@link #SETTLE} for figures of record)
     */
    SizeBench(Workspace ws, Consumer<String> progress, Duration idle, Duration settle) {
        this.ws = ws;
        this.progress = progress;
        this.idle = idle;
        this.settle = settle;
    }

    /**
     * Heap a TCP group of n peers in one JVM needs, per ordered pair of peers: each peer keeps a connection, a send
     * queue and retransmission tables per member. 100 overlay peers held 919 MiB after GC (about 95 KiB a pair); with
     * the conference layer on top and room for the collector, 150 KiB. With a 1 GiB heap the bench's 100 TCP peers
     * spent 125 s of their first few minutes in 27 full collections and never formed.
     */
    static final long TCP_HEAP_PER_PAIR = 150L << 10;

    /** Why {@code n} TCP peers cannot be measured in a heap of {@code maxHeap} bytes, or null if they can. */
    static String tooLittleHeap(int n, NetworkMode mode, long maxHeap) {
        if (mode == NetworkMode.MEMORY) return null;
        long needed = (long) n * (n - 1) * TCP_HEAP_PER_PAIR;
        if (maxHeap >= needed) return null;
        return String.format(Locale.ROOT, "%d TCP peers in one JVM need about %.1f GiB of heap, this JVM has %.1f"
                + " (CONVENE_JAVA_OPTS=-Xmx%dg ./convene bench …)", n, needed / (double) (1L << 30), maxHeap / (double) (1L << 30),
                (needed >> 30) + 1);
    }

    /** The formation and join figures of {@code n} peers on {@code mode}; a side that fails leaves them missing. */
    List<Figure> run(int n, NetworkMode mode) throws InterruptedException {
        String where = mode == NetworkMode.MEMORY ? "memory" : "tcp";
        String heap = tooLittleHeap(n, mode, Runtime.getRuntime().maxMemory());
        if (heap != null) {
            progress.accept("size: " + n + " peers (" + where + ") not measured: " + heap);
            String label = n + " peers (" + where + ")";
            double[] none = {Double.NaN, Double.NaN};
            return List.of(figure("size.directory." + where + "." + n, "complete directory, " + label, "ms", none, directoryTarget(n),
                            "", heap),
                    figure("size.join." + where + "." + n, "frames for one join into " + label, "frames", none, null, "", heap),
                    figure("size.joinpeer." + where + "." + n, "per-join cost per peer, " + label, "frames", none, null, "", heap),
                    Figure.conveneOnly("size.joinchecks." + where + "." + n, "per-join checks per peer, " + label,
                            "checks", Double.NaN, null, "not measured: " + heap));
        }
        double[] form = {Double.NaN, Double.NaN};
        double[] join = {Double.NaN, Double.NaN};
        double[] perPeer = {Double.NaN, Double.NaN};
        double checksPerPeer = Double.NaN;
        double checksTotal = Double.NaN;
        String joinNote = "";
        String perPeerNote = "";
        double[] rawWindow = {Double.NaN, Double.NaN};
        List<String> failed = new ArrayList<>();
        double[] cpu = {Double.NaN, Double.NaN};
        double[] idleCpu = {Double.NaN, Double.NaN};
        progress.accept("size: " + n + " Convene peers (" + where + ")");
        long started = System.nanoTime();
        long cpuStarted = processCpuNanos();
        try (ConveneGroup g = ConveneGroup.start(ws, "size" + n + where + "c", n, mode, false, form(n))) {
            form[0] = (System.nanoTime() - started) / 1e6;
            cpu[0] = (processCpuNanos() - cpuStarted) / 1e9;
            List<ConferencePeer> existing = List.copyOf(g.peers());
            List<ConferencePeer> all = new ArrayList<>(existing);
            long idleFrom = processCpuNanos();
            long idleAt = System.nanoTime();
            long[] idle = idleRates(() -> counters(existing));
            idleCpu[0] = (processCpuNanos() - idleFrom) / 1e6 / ((System.nanoTime() - idleAt) / 1e9);
            long t0 = System.nanoTime();
            long[] before = counters(existing);
            ConferencePeer joiner = g.join("size" + n + where + "j");
            all.add(joiner);
            g.awaitDirectories(all);
            Thread.sleep(settle.toMillis());
            long[] after = counters(existing);
            long[] own = counters(List.of(joiner)); // from its start: all of it is the join's
            double seconds = (System.nanoTime() - t0) / 1e9;
            long frames = Math.max(0, after[0] - before[0] - Math.round(idle[0] * seconds / 1000.0));
            long checks = Math.max(0, after[1] - before[1] - Math.round(idle[1] * seconds / 1000.0));
            long sent = Math.max(0, after[2] - before[2] - Math.round(idle[2] * seconds / 1000.0));
            join[0] = frames + own[0];
            perPeer[0] = (frames + own[0]) / (double) (n + 1);
            checksTotal = checks + own[1];
            checksPerPeer = checksTotal / (n + 1);
            joinNote = String.format(Locale.ROOT, "one join into %d: %d frames received in all (%.1f per peer), %d signature checks"
                    + " (%.1f per peer), %d frames sent in all",
                    n, frames + own[0], perPeer[0], checks + own[1], (checks + own[1]) / (double) (n + 1), sent + own[2]);
            perPeerNote = String.format(Locale.ROOT, "per-join cost: each of the %d members received %.1f frames and checked %.1f"
                    + " signatures on average; the joiner received %d frames and checked %d signatures (%.2f per member)",
                    n, frames / (double) n, checks / (double) n, own[0], own[1], own[1] / (double) n);
        } catch (RuntimeException e) {
            failed.add("convene: " + (e instanceof BenchException ? e.getMessage() : e.toString()));
        }
        progress.accept("size: " + n + " raw JGroups channels (" + where + ")");
        started = System.nanoTime();
        cpuStarted = processCpuNanos();
        try (RawGroup g = RawGroup.startInParallel(ws, "size" + n + where + "r", n, mode, form(n))) {
            form[1] = (System.nanoTime() - started) / 1e6;
            cpu[1] = (processCpuNanos() - cpuStarted) / 1e9;
            long idleFrom = processCpuNanos();
            long idleAt = System.nanoTime();
            long idle = idleRates(() -> new long[] {g.messagesReceived()})[0];
            idleCpu[1] = (processCpuNanos() - idleFrom) / 1e6 / ((System.nanoTime() - idleAt) / 1e9);
            long t0 = System.nanoTime();
            long before = g.messagesReceived();
            g.join("size" + n + where + "rj");
            Waits.until(form(n), () -> g.viewsComplete(n + 1), () -> "a view of " + (n + 1) + " raw channels");
            Thread.sleep(settle.toMillis());
            double seconds = (System.nanoTime() - t0) / 1e9;
            // Not corrected for idle traffic: at 100 members JGroups' own heartbeats and merge probes outweigh a
            // join's messages, and the difference drowns in their noise. An upper bound, heartbeats included.
            join[1] = g.messagesReceived() - before;
            perPeer[1] = join[1] / (double) (n + 1);
            rawWindow[0] = seconds;
            rawWindow[1] = idle * seconds / 1000.0;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            failed.add("raw: " + (e instanceof BenchException ? e.getMessage() : e.toString()));
        }
        String why = String.join("; ", failed);
        joinNote += String.format(Locale.ROOT, (joinNote.isEmpty() ? "" : "; ") + "raw: every JGroups message received by all transports from the join to %.1f s after"
                + " the view of %d (%.1f s, of which idle traffic alone would be about %.0f)", settle.toMillis() / 1000.0, n + 1, rawWindow[0],
                rawWindow[1]);
        String label = n + " peers (" + where + ")";
        List<Figure> out = new ArrayList<>();
        out.add(figure("size.directory." + where + "." + n, "complete directory, " + label, "ms", form, directoryTarget(n),
                "from the first start to every peer seeing every other online; raw: to a view of " + n, why));
        out.add(figure("size.cpu." + where + "." + n, "CPU to form, " + label, "s", cpu, null, String.format(Locale.ROOT,
                "CPU time of this whole JVM (every thread, the JIT and the collector included) from the first start to the"
                        + " complete directory; raw: to a view of %d (raw runs second, with JGroups' code compiled). Idle, formed:"
                        + " %.0f ms of CPU per second, raw %.0f", n, idleCpu[0], idleCpu[1]), why));
        out.add(figure("size.join." + where + "." + n, "frames for one join into " + label, "frames", join, null, joinNote, why));
        out.add(figure("size.joinpeer." + where + "." + n, "per-join cost per peer, " + label, "frames", perPeer, null,
                perPeerNote + "; raw: JGroups messages per channel (heartbeats included)", why));
        out.add(Figure.conveneOnly("size.joinchecks." + where + "." + n, "per-join checks per peer, " + label, "checks",
                why.isEmpty() ? checksPerPeer : Double.NaN, null, why.isEmpty()
                        ? "Ed25519 checks by the overlay (Hellos and requests for them) over the group and the joiner, idle share"
                        + " subtracted, / " + (n + 1) + "; raw JGroups checks none" : "not measured: " + why));
        recordJoin(mode, n, why.isEmpty() ? new double[] {join[0], join[1], checksTotal} : null);
        return out;
    }

    /** Per network, per group size: one join's frames (Convene, raw) and signature checks, in all; null if not measured. */
    private final java.util.Map<String, java.util.TreeMap<Integer, double[]>> joins = new java.util.HashMap<>();

    /** One join's frames (Convene, raw) and signature checks in all into {@code n} peers on {@code mode}; null if not measured. */
    void recordJoin(NetworkMode mode, int n, double[] framesRawChecks) {
        joins.computeIfAbsent(mode == NetworkMode.MEMORY ? "memory" : "tcp", w -> new java.util.TreeMap<>()).put(n, framesRawChecks);
    }

    /** A join's cost grows linearly in n when its growth exponent is at most this (quadratic is 2). */
    static final double LINEAR = 1.25;

    /**
     * Whether the cost of one join grows linearly in the group size, from the sizes measured on {@code mode} so far:
     * the exponent {@code k} of {@code total ~ n^k} (least squares of log total on log n) for the frames (beside raw's)
     * and the signature checks of one join, in all. 1 is linear; a constant per member plus the joiner's own share
     * gives a little less; 2 would be quadratic. Judged from the sizes measured (their note names any that were not);
     * not measured when fewer than two were; empty when fewer than two sizes were tried.
     */
    List<Figure> growth(NetworkMode mode) {
        String where = mode == NetworkMode.MEMORY ? "memory" : "tcp";
        java.util.TreeMap<Integer, double[]> m = joins.getOrDefault(where, new java.util.TreeMap<>());
        if (m.size() < 2) return List.of();
        java.util.TreeMap<Integer, double[]> measured = new java.util.TreeMap<>();
        m.forEach((size, v) -> {
            if (v != null) measured.put(size, v);
        });
        List<Integer> unmeasured = m.keySet().stream().filter(size -> m.get(size) == null).toList();
        String sizes = measured.keySet().toString();
        String frameKey = "size.joingrowth." + where;
        String checkKey = "size.checksgrowth." + where;
        String frameLabel = "growth of one join's frames in n (" + where + ")";
        String checkLabel = "growth of one join's checks in n (" + where + ")";
        Target linear = Target.atMost(LINEAR);
        if (measured.size() < 2) {
            String why = "fewer than two of " + m.keySet() + " were measured";
            return List.of(Figure.missing(frameKey, frameLabel, "exp", linear, why),
                    Figure.conveneOnly(checkKey, checkLabel, "exp", Double.NaN, linear, why));
        }
        double[] n = measured.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
        double[][] v = measured.values().toArray(new double[0][]);
        double ours = exponent(n, column(v, 0));
        double raw = exponent(n, column(v, 1));
        double checks = exponent(n, column(v, 2));
        String how = "k in total ~ n^k over n = " + sizes + " (least squares on logs; 1 = linear, 2 = quadratic; met: <= " + LINEAR + ")"
                + (unmeasured.isEmpty() ? "" : "; not measured at " + unmeasured + ", judged without");
        return List.of(new Figure(frameKey, frameLabel, "exp", ours, raw, linear,
                        how + "; frames in all: " + values(measured, 0) + ", raw " + values(measured, 1)),
                Figure.conveneOnly(checkKey, checkLabel, "exp", checks, linear, how + "; checks in all: " + values(measured, 2)
                        + (Double.isFinite(checks) ? "" : " (a count of 0 has no logarithm)")));
    }

    private static double[] column(double[][] v, int i) {
        double[] c = new double[v.length];
        for (int j = 0; j < v.length; j++) c[j] = v[j][i];
        return c;
    }

    private static String values(java.util.TreeMap<Integer, double[]> m, int i) {
        StringBuilder b = new StringBuilder();
        m.forEach((n, v) -> b.append(b.length() == 0 ? "" : ", ").append(Math.round(v[i])).append(" at ").append(n));
        return b.toString();
    }

    /** The slope of log y on log x (least squares); NaN if any y is not positive or fewer than two distinct x. */
    static double exponent(double[] x, double[] y) {
        int k = x.length;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < k; i++) {
            if (!(y[i] > 0) || !(x[i] > 0)) return Double.NaN;
            double lx = Math.log(x[i]);
            double ly = Math.log(y[i]);
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
        }
        double d = k * sxx - sx * sx;
        return d <= 1e-12 ? Double.NaN : (k * sxy - sx * sy) / d;
    }

    private static Figure figure(String key, String label, String unit, double[] v, Target target, String note, String why) {
        if (!why.isEmpty()) return new Figure(key, label, unit, v[0], v[1], target, (note.isEmpty() ? "" : note + "; ") + "not measured: " + why);
        return new Figure(key, label, unit, v[0], v[1], target, note);
    }

    /** Frames received, Ed25519 signature checks (of Hellos and requests for them, good or bad), frames sent: summed. */
    private static long[] counters(List<ConferencePeer> peers) {
        long[] c = new long[3];
        for (ConferencePeer p : peers) {
            OverlayStats s = p.overlay().stats();
            c[0] += s.framesReceived();
            c[1] += s.signatureChecks();
            c[2] += s.framesSent();
        }
        return c;
    }

    /**
     * What the idle group receives per 1000 s, per counter, over the idle window (heartbeats, stability
     * gossip): subtracted from the join's counts, which are taken over a few seconds as well.
     */
    private long[] idleRates(java.util.function.Supplier<long[]> counters) throws InterruptedException {
        long[] a = counters.get();
        long t = System.nanoTime();
        Thread.sleep(idle.toMillis());
        long[] b = counters.get();
        double seconds = (System.nanoTime() - t) / 1e9;
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = Math.round((b[i] - a[i]) * 1000.0 / seconds);
        return r;
    }

    /** CPU time of this JVM so far (all threads), or NaN's stand-in 0 where the platform does not tell. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    /** Issue 13: 100 peers <= 5 s and <= 3x raw JGroups' view of 100; the older <= 5 s at other sizes. */
    static Target directoryTarget(int n) {
        return n == 100 ? Target.atMost(5000).andTimesRaw(3) : Target.atMost(5000);
    }
}
