package dev.convene.bench;

import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jgroups.Address;

/**
 * Sustained throughput into a conference of {@code throughputPeers} peers, everything on (signed, encrypted,
 * stored in SQLite at every peer), over loopback TCP: all peers but one in this JVM, the last in a process of
 * its own (whose peak RSS is the "under load" memory figure). One author posts as fast as the peers keep up,
 * with at most {@link #WINDOW} messages not yet at every participant; the rate is the timed messages over
 * the time from the first timed post to the last delivery at the last participant. Then a late joiner
 * accepts an invitation and fetches the whole history. The baseline does the same with raw channels: the
 * same members (one in a child process), a multicast of frame-sized messages, then the history as unicasts
 * to a new member.
 */
final class ThroughputBench {
    static final int WINDOW = 1000;
    static final Duration LIMIT = Duration.ofMinutes(3);

    /** What one side measured; NaN where a part failed (see {@link #failure}). */
    static final class Side {
        double rate = Double.NaN;
        double catchUpMillis = Double.NaN;
        double heapPerPeer = Double.NaN;
        double childRssPeak = Double.NaN;
        /** CPU microseconds of the receiver in its own process per message it received. */
        volatile double cpuMicrosPerMessage = Double.NaN;
        /** The same for the receiver's whole process: its JIT compiler and GC threads too. */
        volatile double processMicrosPerMessage = Double.NaN;
        long drops;
        String failure = "";

        /**
         * The rounds as one side: the medians of the rates and of the CPU per message over the rounds that measured
         * them, the rest (catch-up, heap, RSS) from the first round, the drops of all.
         */
        static Side median(List<Side> rounds) {
            Side first = rounds.get(0);
            Side m = new Side();
            m.rate = median(rounds.stream().mapToDouble(r -> r.rate).toArray());
            m.cpuMicrosPerMessage = median(rounds.stream().mapToDouble(r -> r.cpuMicrosPerMessage).toArray());
            m.processMicrosPerMessage = median(rounds.stream().mapToDouble(r -> r.processMicrosPerMessage).toArray());
            m.catchUpMillis = first.catchUpMillis;
            m.heapPerPeer = first.heapPerPeer;
            m.childRssPeak = first.childRssPeak;
            m.drops = rounds.stream().mapToLong(r -> r.drops).sum();
            m.failure = Double.isNaN(m.rate) || Double.isNaN(first.catchUpMillis)
                    ? String.join("; ", rounds.stream().map(r -> r.failure).filter(f -> !f.isEmpty()).distinct().toList()) : "";
            return m;
        }

        /** The median of the values that are numbers (the mean of the middle two for an even count); NaN if none is. */
        static double median(double[] values) {
            double[] v = java.util.Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
            if (v.length == 0) return Double.NaN;
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }
    }

    /** Sends message {@code m}. */
    interface Sender {
        void send(int m) throws Exception;
    }

    private final Workspace ws;
    private final Profile profile;
    private final List<String> childJvm;
    private final Consumer<String> progress;
    private final java.nio.file.Path jfr;

    /** @param jfr where to write a CPU profile summary of the Convene side ({@link CpuProfile}), or null for none */
    ThroughputBench(Workspace ws, Profile profile, List<String> childJvm, Consumer<String> progress, java.nio.file.Path jfr) {
        this.ws = ws;
        this.profile = profile;
        this.childJvm = childJvm;
        this.progress = progress;
        this.jfr = jfr;
    }

    List<Figure> run() throws InterruptedException {
        int rounds = profile.throughputRounds();
        List<Side> oursRounds = new ArrayList<>();
        List<Side> rawRounds = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            boolean first = round == 0;
            String of = rounds == 1 ? "" : " (round " + (round + 1) + " of " + rounds + ")";
            progress.accept("throughput: " + profile.throughputPeers() + "-peer conference, " + profile.historySize() + " messages" + of);
            Side ours = new Side();
            try (CpuProfile recording = jfr == null || !first ? null : CpuProfile.start(jfr)) {
                convene(ours, first);
            } catch (RuntimeException e) {
                ours.failure = e instanceof BenchException ? e.getMessage() : e.toString();
            }
            if (jfr != null && first) progress.accept("throughput: CPU profile of the Convene side in " + jfr);
            progress.accept("throughput: " + profile.throughputPeers() + " raw JGroups members" + of);
            Side raw = new Side();
            try {
                raw(raw, first);
            } catch (BenchException e) {
                raw.failure = e.getMessage();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                raw.failure = "raw JGroups failed: " + e;
            }
            oursRounds.add(ours);
            rawRounds.add(raw);
        }
        return figures(Side.median(oursRounds), Side.median(rawRounds), oursRounds, rawRounds);
    }

    /** {@code catchUp}: then a late joiner fetches the whole history (first round only). */
    private void convene(Side side, boolean catchUp) throws InterruptedException {
        int local = profile.throughputPeers() - 1;
        int total = profile.historySize();
        long heapBefore = Memory.heapAfterGc();
        try (ConveneGroup g = ConveneGroup.start(ws, "tputc", local, NetworkMode.LOCAL, true);
             Child child = Child.start("tputc-child", childJvm, BenchPeerMain.conveneArgs("tputc" + local, g.cluster(), g.basePort(),
                     g.portRange(), ws.home("tputc-child"), total), ws.file("tputc-child.err"))) {
            PeerId childId = PeerId.parse(child.await(l -> l.event().equals("ready"), ConveneGroup.SETUP, "ready").json().path("id").asText());
            ConferencePeer author = g.peers().get(0);
            List<ConferencePeer> others = g.peers().subList(1, local);
            Waits.until(ConveneGroup.SETUP, () -> g.peers().stream().allMatch(p -> p.directory().isOnline(childId)), () -> "the child peer online");
            List<PeerId> invitees = new ArrayList<>(others.stream().map(ConferencePeer::self).toList());
            invitees.add(childId);
            ConferenceId id = ConveneGroup.openConference(author, others, invitees);
            Arrivals arrivals = new Arrivals(local, total);
            for (int r = 0; r < others.size(); r++) ConveneGroup.recordArrivals(others.get(r), r, id, author.self(), arrivals);
            child.tap(l -> {
                if (l.event().equals("count")) arrivals.progress(local - 1, l.json().path("n").asInt(), l.nanos());
                if (l.event().equals("cpu")) cpu(side, l);
            });
            try (RssSampler rss = new RssSampler(child)) {
                long t0 = pump(arrivals, m -> author.say(id, ChatText.of(m)));
                side.rate = profile.throughputMessages() / ((arrivals.completedAt() - t0) / 1e9);
                side.childRssPeak = rss.peak();
            }
            side.heapPerPeer = (Memory.heapAfterGc() - heapBefore) / (double) local;
            side.drops = g.peers().stream().mapToLong(p -> p.overlay().stats().totalDrops()).sum();
            if (!catchUp) return;
            progress.accept("catch-up: a late joiner fetches " + total + " messages");
            ConferencePeer late = g.join("tputc-late");
            List<ConferencePeer> everyone = new ArrayList<>(g.peers());
            everyone.add(late);
            g.awaitDirectories(everyone);
            author.invite(id, List.of(late.self())).get(ConveneGroup.SETUP.toSeconds(), TimeUnit.SECONDS);
            Waits.until(ConveneGroup.SETUP, () -> late.conference(id).isPresent(), () -> "the invitation at the late joiner");
            Arrivals history = new Arrivals(1, total);
            ConveneGroup.recordArrivals(late, 0, id, author.self(), history);
            long asked = System.nanoTime();
            late.accept(id);
            if (!history.awaitMinimum(total, Waits.deadline(LIMIT))) {
                throw new BenchException("the late joiner had " + history.minimum() + " of " + total + " messages after " + LIMIT.toMinutes() + " min");
            }
            side.catchUpMillis = (history.completedAt() - asked) / 1e6;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new BenchException("invitation of the late joiner failed: " + e, e);
        }
    }

    private void raw(Side side, boolean catchUp) throws Exception {
        int local = profile.throughputPeers() - 1;
        int total = profile.historySize();
        long heapBefore = Memory.heapAfterGc();
        try (RawGroup g = RawGroup.start(ws, "tputr", local, NetworkMode.LOCAL);
             Child child = Child.start("tputr-child", childJvm, BenchPeerMain.rawArgs("tputr" + local, g.cluster(), g.basePort(),
                     g.portRange(), total), ws.file("tputr-child.err"))) {
            child.await(l -> l.event().equals("ready"), ConveneGroup.SETUP, "ready");
            Waits.until(ConveneGroup.SETUP, () -> g.channel(0).getView().size() == local + 1, () -> "the child channel in the view");
            Arrivals arrivals = new Arrivals(local, total);
            for (int i = 1; i < local; i++) g.recordArrivals(i, i - 1, arrivals);
            child.tap(l -> {
                if (l.event().equals("count")) arrivals.progress(local - 1, l.json().path("n").asInt(), l.nanos());
                if (l.event().equals("cpu")) cpu(side, l);
            });
            try (RssSampler rss = new RssSampler(child)) {
                long t0 = pump(arrivals, m -> g.send(0, null, m, ChatText.FRAME_BYTES));
                side.rate = profile.throughputMessages() / ((arrivals.completedAt() - t0) / 1e9);
                side.childRssPeak = rss.peak();
            }
            side.heapPerPeer = (Memory.heapAfterGc() - heapBefore) / (double) local;
            if (!catchUp) return;
            int late = g.join("tputr-late");
            Waits.until(ConveneGroup.SETUP, () -> g.channel(0).getView().size() == local + 2, () -> "the late raw channel in the view");
            Arrivals history = new Arrivals(1, total);
            g.recordArrivals(late, 0, history);
            Address to = g.channel(late).getAddress();
            long asked = System.nanoTime();
            for (int m = 0; m < total; m++) g.send(0, to, m, ChatText.FRAME_BYTES);
            if (!history.awaitMinimum(total, Waits.deadline(LIMIT))) {
                throw new BenchException("the late raw channel had " + history.minimum() + " of " + total + " messages");
            }
            side.catchUpMillis = (history.completedAt() - asked) / 1e6;
        }
    }

    /** The CPU per message the receiver in its own process reported ({@code cpu} event). */
    private static void cpu(Side side, Child.Line l) {
        side.cpuMicrosPerMessage = l.json().path("nanosPerMessage").asDouble(Double.NaN) / 1e3;
        double process = l.json().path("processNanosPerMessage").asDouble(Double.NaN);
        side.processMicrosPerMessage = process < 0 ? Double.NaN : process / 1e3;
    }

    /**
     * Sends the profile's warm-up then timed messages, never more than {@link #WINDOW} ahead of the slowest
     * receiver; returns when the first timed message was sent, once every receiver has them all.
     */
    private long pump(Arrivals arrivals, Sender sender) throws InterruptedException {
        int warmup = profile.throughputWarmup();
        int total = arrivals.messages();
        long deadline = Waits.deadline(LIMIT);
        long t0 = System.nanoTime();
        try {
            for (int m = 0; m < total; m++) {
                if (m == warmup) {
                    awaitMinimum(arrivals, warmup, deadline);
                    t0 = System.nanoTime();
                }
                if (m - arrivals.minimum() >= WINDOW) awaitMinimum(arrivals, m - WINDOW + 1, deadline);
                sender.send(m);
            }
        } catch (InterruptedException | BenchException e) {
            throw e;
        } catch (Exception e) {
            throw new BenchException("sending failed: " + e, e);
        }
        awaitMinimum(arrivals, total, deadline);
        return t0;
    }

    private static void awaitMinimum(Arrivals arrivals, int n, long deadline) throws InterruptedException {
        if (!arrivals.awaitMinimum(n, deadline)) {
            throw new BenchException("the slowest receiver had " + arrivals.minimum() + " of " + n + " messages after " + LIMIT.toMinutes() + " min");
        }
    }

    private List<Figure> figures(Side ours, Side raw, List<Side> oursRounds, List<Side> rawRounds) {
        int peers = profile.throughputPeers();
        String why = (ours.failure.isEmpty() ? "" : "convene: " + ours.failure + " ") + (raw.failure.isEmpty() ? "" : "raw: " + raw.failure);
        String rounds = oursRounds.size() == 1 ? "" : String.format(java.util.Locale.ROOT,
                "; median of %d rounds, Convene and raw alternated: convene %s msg/s (CPU %s us), raw %s msg/s", oursRounds.size(),
                joined(oursRounds, r -> r.rate, "%.0f"), joined(oursRounds, r -> r.cpuMicrosPerMessage, "%.1f"), joined(rawRounds, r -> r.rate, "%.0f"));
        String rateNote = profile.throughputMessages() + " messages after " + profile.throughputWarmup() + " warm-up, window " + WINDOW
                + "; signed, encrypted, in SQLite at every peer; " + ours.drops + " frames dropped" + rounds;
        List<Figure> out = new ArrayList<>();
        out.add(new Figure("throughput", "throughput into a " + peers + "-peer conference (tcp)", "msg/s", ours.rate, raw.rate,
                Target.atLeast(5000).andTimesRaw(0.1), why.isEmpty() ? rateNote : why));
        int total = profile.historySize();
        out.add(new Figure("cpu.message", "CPU per message per receiver (" + peers + "-peer conference, tcp)", "us",
                ours.cpuMicrosPerMessage, raw.cpuMicrosPerMessage, null,
                why.isEmpty() ? "thread CPU time (ThreadMXBean) of every Java thread of the receiver in its own process (but the"
                        + " bench's count reporter), from its first message to its last, divided by the messages; JIT compiler and GC"
                        + String.format(java.util.Locale.ROOT, " threads not included (the whole process, with them: convene %.1f us, raw %.1f us;"
                        + " a fresh JVM still compiling)", ours.processMicrosPerMessage, raw.processMicrosPerMessage) : why));
        out.add(new Figure("catchup", "late joiner fetches " + total + " messages (tcp)", "ms", ours.catchUpMillis, raw.catchUpMillis,
                total == 10_000 ? Target.atMostTimesRaw(3) : null,
                why.isEmpty() ? "from accept to the last message delivered; raw: " + total + " unicasts to a new member"
                        + (total == 10_000 ? "" : "; the target is for 10000") : why));
        out.add(new Figure("heap.loaded", "heap per peer after the run (" + (peers - 1) + " in one JVM)", "MiB",
                ours.heapPerPeer / Memory.MIB, raw.heapPerPeer / Memory.MIB, null,
                "after GC, holding " + total + " messages, minus before, divided by " + (peers - 1)));
        out.add(new Figure("rss.loaded", "RSS of a peer process under load (peak)", "MiB", ours.childRssPeak / Memory.MIB,
                raw.childRssPeak / Memory.MIB, null, "the participant in its own process, sampled every 100 ms while receiving"));
        return out;
    }

    private static String joined(List<Side> rounds, java.util.function.ToDoubleFunction<Side> f, String format) {
        return String.join(" / ", rounds.stream().map(r -> String.format(java.util.Locale.ROOT, format, f.applyAsDouble(r))).toList());
    }
}
