package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A group of {@link #PEERS} peers in one JVM on the memory network reaches complete directories (every peer
 * sees the others online), and one more peer joining it costs each peer a bounded number of signature checks
 * and frames: the work of a join grows linearly in the group size, never with its square. 30 peers by default
 * (fast enough for CI); {@code -Dconvene.large.peers=100} for the size of issue 13. Before the bundler's sizes
 * were bounded ({@code Stacks.BUNDLE_BYTES}) 100 peers ran a 1 GiB heap out before the group had formed.
 *
 * <p>Outcome and counts only: the waits are generous and no time is asserted (the time is printed; the bench
 * measures it against raw JGroups).
 */
class LargeGroupClusterTest {
    static final int PEERS = Integer.getInteger("convene.large.peers", 30);
    /** TCP peers in {@link #aLargeTcpGroupForms}: 10 in CI; {@code -Dconvene.large.tcp.peers=100} by hand. */
    static final int TCP_PEERS = Integer.getInteger("convene.large.tcp.peers", 10);
    static final Duration FORM = Duration.ofSeconds(Math.max(120, PEERS * 3L));
    /**
     * Signature checks one join may cost an existing peer: the joiner's Hello, its answer to this peer's new
     * session, and requests or repeats of a Hello lost in a view race. A constant, not a function of the size.
     */
    static final int CHECKS_PER_EXISTING_PEER = 6;
    /** Frames one join may cost an existing peer: those Hellos and requests (the joiner answers each member's Hello with one echoing it). */
    static final int FRAMES_PER_EXISTING_PEER = 8;

    @Test
    @Timeout(600)
    void aLargeMemoryGroupFormsAndAJoinCostsEachPeerAConstant() throws Exception {
        String cluster = "large-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        List<Overlay> peers = new ArrayList<>();
        ExecutorService starters = Executors.newFixedThreadPool(4);
        try {
            java.util.Map<Long, Long> cpuBefore = threadCpu();
            long t0 = System.nanoTime();
            List<Future<Overlay>> started = new ArrayList<>();
            for (int i = 0; i < PEERS; i++) {
                String name = "p" + i;
                started.add(starters.submit(() -> start(cluster, name)));
            }
            for (Future<Overlay> f : started) peers.add(f.get(FORM.toSeconds(), TimeUnit.SECONDS));
            double allStarted = (System.nanoTime() - t0) / 1e9;
            TestCluster.awaitCondition(FORM, () -> peers.stream().allMatch(o -> o.stats().members() == PEERS), () -> "views of " + PEERS);
            double views = (System.nanoTime() - t0) / 1e9;
            awaitComplete(peers);
            double formed = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "LargeGroupClusterTest: all %d started at %.1f s, every view of %d at %.1f s, directories"
                    + " complete at %.1f s%n", PEERS, allStarted, PEERS, views, formed);
            for (Overlay o : peers) {
                for (Overlay p : peers) if (p != o) assertThat(o.directory().isOnline(p.self())).isTrue();
            }
            long checks = peers.stream().mapToLong(o -> o.stats().signatureChecks()).sum();
            long received = peers.stream().mapToLong(o -> o.stats().framesReceived()).sum();
            long sent = peers.stream().mapToLong(o -> o.stats().framesSent()).sum();
            System.out.printf(Locale.ROOT, "LargeGroupClusterTest: %d memory peers complete in %.1f s; per peer: %.1f frames received,"
                    + " %.1f sent, %.1f signature checks%n", PEERS, formed, received / (double) PEERS, sent / (double) PEERS,
                    checks / (double) PEERS);
            System.out.println("LargeGroupClusterTest: " + breakdown(peers));
            System.out.println("LargeGroupClusterTest: CPU of the formation by thread " + cpuByThreadGroup(cpuBefore));
            // Forming pairwise sessions costs each peer a constant per other peer (a Hello each way and its answer).
            for (Overlay o : peers) assertThat(o.stats().signatureChecks()).isLessThanOrEqualTo((long) CHECKS_PER_EXISTING_PEER * PEERS);

            List<OverlayStats> before = peers.stream().map(Overlay::stats).toList();
            long j0 = System.nanoTime();
            Overlay joiner = start(cluster, "joiner");
            peers.add(joiner);
            awaitComplete(peers);
            double joined = (System.nanoTime() - j0) / 1e9;
            long maxChecks = 0;
            long maxReceived = 0;
            long sumChecks = 0;
            for (int i = 0; i < before.size(); i++) {
                OverlayStats now = peers.get(i).stats();
                long c = now.signatureChecks() - before.get(i).signatureChecks();
                maxChecks = Math.max(maxChecks, c);
                maxReceived = Math.max(maxReceived, now.framesReceived() - before.get(i).framesReceived());
                sumChecks += c;
            }
            OverlayStats j = joiner.stats();
            System.out.printf(Locale.ROOT, "LargeGroupClusterTest: one join into %d in %.1f s; existing peers: at most %d signature checks"
                    + " and %d frames received each, %d checks in all; the joiner: %d checks, %d frames received, %d sent%n",
                    PEERS, joined, maxChecks, maxReceived, sumChecks, j.signatureChecks(), j.framesReceived(), j.framesSent());
            // Each existing peer pays a constant; the joiner pays a constant per member: linear in all.
            assertThat(maxChecks).isLessThanOrEqualTo(CHECKS_PER_EXISTING_PEER);
            assertThat(maxReceived).isLessThanOrEqualTo(FRAMES_PER_EXISTING_PEER);
            assertThat(j.signatureChecks()).isLessThanOrEqualTo((long) CHECKS_PER_EXISTING_PEER * PEERS);
            assertThat(j.framesReceived()).isLessThanOrEqualTo((long) FRAMES_PER_EXISTING_PEER * PEERS);
        } finally {
            starters.shutdownNow();
            peers.parallelStream().forEach(o -> {
                try {
                    o.close();
                } catch (RuntimeException ignored) {
                    // best effort at the end
                }
            });
        }
    }

    /**
     * {@link #TCP_PEERS} peers over loopback TCP ({@code local} mode) in one JVM form a complete group. Prints the
     * formation time, the JVM's live threads and the heap used after a GC (the figures of docs/NETWORKS.md, "Large
     * groups"); asserts only the outcome.
     */
    @Test
    @Timeout(900)
    void aLargeTcpGroupForms() throws Exception {
        TestCluster tcp = TestCluster.tcp();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        List<Overlay> peers = new ArrayList<>();
        ExecutorService starters = Executors.newFixedThreadPool(4);
        Duration form = Duration.ofSeconds(Math.max(120, TCP_PEERS * 4L));
        // Below Linux's ephemeral ports (32768 up): n peers open about n^2 outgoing connections from those, and
        // one could take a port of the range before its peer binds it. The range and FD_SOCK2's above it fit.
        int basePort = 21000 + ThreadLocalRandom.current().nextInt(20) * 500;
        try {
            long t0 = System.nanoTime();
            List<Future<Overlay>> started = new ArrayList<>();
            for (int i = 0; i < TCP_PEERS; i++) {
                OverlayConfig config = tcp.config("t" + i, null).port(basePort).portRange(TCP_PEERS + 4).build();
                started.add(starters.submit(() -> Overlay.builder(config, Identity.generate()).start()));
            }
            for (Future<Overlay> f : started) peers.add(f.get(form.toSeconds(), TimeUnit.SECONDS));
            TestCluster.awaitCondition(form, () -> peers.stream().allMatch(o -> o.directory().online().size() == TCP_PEERS - 1),
                    () -> "peers online per directory: " + peers.stream().map(o -> o.directory().online().size()).toList());
            double formed = (System.nanoTime() - t0) / 1e9;
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            System.gc();
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            System.out.printf(Locale.ROOT, "LargeGroupClusterTest: %d TCP peers complete in %.1f s; %d live threads (%d before),"
                    + " heap used after GC %d MiB (max %d MiB)%n", TCP_PEERS, formed, threads, threadsBefore,
                    heap.getUsed() >> 20, heap.getMax() >> 20);
            for (Overlay o : peers) {
                for (Overlay p : peers) if (p != o) assertThat(o.directory().isOnline(p.self())).isTrue();
            }
        } finally {
            starters.shutdownNow();
            peers.parallelStream().forEach(o -> {
                try {
                    o.close();
                } catch (RuntimeException ignored) {
                    // best effort at the end
                }
            });
        }
    }

    /** Frames received by type and drops by reason, summed over {@code peers}: where a formation's frames went. */
    static String breakdown(List<Overlay> peers) {
        java.util.Map<Integer, Long> types = new java.util.TreeMap<>();
        java.util.Map<DropReason, Long> drops = new java.util.TreeMap<>();
        for (Overlay o : peers) {
            OverlayStats s = o.stats();
            s.receivedByType().forEach((k, v) -> types.merge(k, v, Long::sum));
            s.drops().forEach((k, v) -> { if (v > 0) drops.merge(k, v, Long::sum); });
        }
        return "received by type " + types + ", drops " + drops;
    }

    /** CPU time so far of every live thread, by id (empty where the JVM does not measure it). */
    static java.util.Map<Long, Long> threadCpu() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        java.util.Map<Long, Long> out = new java.util.HashMap<>();
        if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) return out;
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu >= 0) out.put(id, cpu);
        }
        return out;
    }

    /**
     * CPU time spent since {@code before} by the live threads, grouped by name with digits and JGroups' address suffix
     * taken out ({@code convene-#-events}, {@code jgroups-#,p#}, ...), largest first: where a formation's CPU went.
     * Threads that ended meanwhile are not counted.
     */
    static String cpuByThreadGroup(java.util.Map<Long, Long> before) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        java.util.Map<String, long[]> groups = new java.util.HashMap<>();
        long total = 0;
        for (var e : threadCpu().entrySet()) {
            java.lang.management.ThreadInfo info = threads.getThreadInfo(e.getKey());
            if (info == null) continue;
            long spent = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            String group = info.getThreadName().replaceAll(",.*", ",*").replaceAll("[0-9]+", "#");
            long[] g = groups.computeIfAbsent(group, k -> new long[2]);
            g[0] += spent;
            g[1]++;
            total += spent;
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "(%.2f s in all):", total / 1e9));
        groups.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(8)
                .forEach(e -> b.append(String.format(Locale.ROOT, " %s %.2f s (%d threads);", e.getKey(), e.getValue()[0] / 1e9, e.getValue()[1])));
        return b.toString();
    }

    private static Overlay start(String cluster, String name) {
        return Overlay.builder(OverlayConfig.builder(name).mode(NetworkMode.MEMORY).cluster(cluster).bindAddress("127.0.0.1").build(),
                Identity.generate()).start();
    }

    private static void awaitComplete(List<Overlay> peers) {
        int n = peers.size();
        TestCluster.awaitCondition(FORM, () -> peers.stream().allMatch(o -> o.directory().online().size() == n - 1),
                () -> "peers online per directory: " + peers.stream().map(o -> o.directory().online().size()).toList());
    }
}
