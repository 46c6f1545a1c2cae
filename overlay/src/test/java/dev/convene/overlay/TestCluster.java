package dev.convene.overlay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The in-JVM cluster fixture: starts overlay peers in one JVM, all bound to 127.0.0.1, in a cluster of
 * their own so parallel tests never see each other, and closes them at the end. Shipped as a test-jar for
 * conference-core and the integration tests.
 */
public final class TestCluster implements AutoCloseable {
    private final NetworkMode mode;
    private final String cluster;
    private final int basePort;
    private final List<Overlay> peers = new ArrayList<>();

    private TestCluster(NetworkMode mode) {
        this.mode = mode;
        this.cluster = "test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        // A random range per cluster keeps concurrently running TCP tests (and a developer's own peers on 7800) apart;
        // below Linux's ephemeral ports (32768 up), which outgoing connections take and a listener then cannot.
        this.basePort = mode == NetworkMode.MEMORY ? 20000 : freeBase();
    }

    /** Ranges tried before one whose ports (and FD_SOCK2's first ones) are all free is given up on. */
    private static final int PROBES = 20;

    /**
     * A base port whose {@link #RANGE} ports are free now. Another process (another Maven run on this machine) may still
     * take one before a peer binds it: {@link #retryingOnBusyPorts} runs a test again on another range then.
     */
    private static int freeBase() {
        int base = 0;
        for (int i = 0; i < PROBES; i++) {
            base = 20000 + ThreadLocalRandom.current().nextInt(750) * RANGE;
            if (free(base, RANGE)) return base;
        }
        return base;
    }

    private static boolean free(int from, int count) {
        for (int p = from; p < from + count; p++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new java.net.InetSocketAddress("127.0.0.1", p));
            } catch (java.io.IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Ports per cluster ({@link #config}'s port range). */
    static final int RANGE = 16;

    /** A test body on a TCP cluster; it may throw. */
    @FunctionalInterface
    public interface TcpTest {
        void run(TestCluster cluster) throws Exception;
    }

    /**
     * Runs {@code test} on a new TCP cluster, and again (up to three times in all) on a new cluster with another port
     * range if a peer could not listen on its port ("cannot listen on 127.0.0.1 ports N-N": taken by another process
     * between the probe of the range and the bind, as when several Maven runs share the machine). Any other failure is
     * the test's.
     */
    public static void retryingOnBusyPorts(TcpTest test) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try (TestCluster c = tcp()) {
                test.run(c);
                return;
            } catch (OverlayException e) {
                if (attempt >= 3 || !busyPort(e)) throw e;
                System.err.println("TestCluster: " + e.getMessage() + "; again on another port range");
            }
        }
    }

    private static boolean busyPort(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) return true;
            if (t.getMessage() != null && t.getMessage().startsWith("cannot listen on")) return true;
        }
        return false;
    }

    /** Peers on SHARED_LOOPBACK. */
    public static TestCluster memory() {
        return new TestCluster(NetworkMode.MEMORY);
    }

    /** Peers on real loopback TCP ({@code local} mode on a random port range). */
    public static TestCluster tcp() {
        return new TestCluster(NetworkMode.LOCAL);
    }

    public NetworkMode mode() {
        return mode;
    }

    public int basePort() {
        return basePort;
    }

    /** A config for a new peer of this cluster. */
    public OverlayConfig.Builder config(String name, Path home) {
        return OverlayConfig.builder(name).home(home).mode(mode).cluster(cluster).bindAddress("127.0.0.1")
                .port(basePort).portRange(RANGE);
    }

    /** Starts a peer with a fresh in-memory identity. */
    public Overlay start(String name) {
        return start(name, null, Identity.generate(), b -> b);
    }

    /** Starts a peer; {@code customize} may register message types and listeners. */
    public Overlay start(String name, Path home, Identity identity, Function<Overlay.Builder, Overlay.Builder> customize) {
        Overlay o = customize.apply(Overlay.builder(config(name, home).build(), identity)).start();
        peers.add(o);
        return o;
    }

    /** Starts a peer from an explicit config. */
    public Overlay start(OverlayConfig config, Identity identity, Function<Overlay.Builder, Overlay.Builder> customize) {
        Overlay o = customize.apply(Overlay.builder(config, identity)).start();
        peers.add(o);
        return o;
    }

    public List<Overlay> peers() {
        return List.copyOf(peers);
    }

    /** Waits until every given peer sees all the others online. */
    public static void awaitFullDirectory(Duration timeout, List<Overlay> group) {
        awaitCondition(timeout, () -> group.stream().allMatch(o -> group.stream()
                        .allMatch(p -> p == o || o.directory().isOnline(p.self()))),
                () -> "directories: " + group.stream().map(o -> o.config().name() + "=" + o.directory().online().stream()
                        .map(PeerAdvertisement::name).toList()).toList() + "\n" + diagnose(group));
    }

    /**
     * What each peer of a group that did not complete its directories knows of the others (a one-off failure on CI is
     * otherwise not diagnosable): its counters and, for every peer missing from its directory, whether JGroups has that
     * member in its view and a physical address for it, and UNICAST3's and the transport's connections to it.
     */
    static String diagnose(List<Overlay> group) {
        StringBuilder sb = new StringBuilder();
        for (Overlay o : group) {
            try {
                org.jgroups.JChannel ch = o.core().channel();
                OverlayStats st = o.stats();
                sb.append(o.config().name()).append(" at ").append(ch == null ? null : ch.getAddress())
                        .append(": members ").append(st.members()).append(", sent ").append(st.framesSent())
                        .append(", received ").append(st.framesReceived()).append(", delivered ").append(st.framesDelivered())
                        .append(", outbound dropped ").append(st.outboundDropped()).append(", drops ");
                st.drops().forEach((k, v) -> {
                    if (v > 0) sb.append(k).append('=').append(v).append(' ');
                });
                sb.append("\n  outbound: ").append(o.core().describeOutbound()).append('\n');
                if (ch == null) continue;
                org.jgroups.protocols.TP tp = ch.getProtocolStack().getTransport();
                org.jgroups.protocols.UNICAST3 u3 = ch.getProtocolStack().findProtocol(org.jgroups.protocols.UNICAST3.class);
                for (Overlay p : group) {
                    if (p == o || o.directory().isOnline(p.self())) continue;
                    org.jgroups.JChannel pc = p.core().channel();
                    org.jgroups.Address a = pc == null ? null : pc.getAddress();
                    sb.append("  missing ").append(p.config().name()).append(" (").append(a).append("): in view ")
                            .append(a != null && ch.getView() != null && ch.getView().containsMember(a))
                            .append(", physical address ").append(a == null ? null : tp.getPhysicalAddressFromCache(a));
                    if (u3 != null && a != null) {
                        String conns = u3.printConnections();
                        conns.lines().filter(l -> l.contains(a.toString())).forEach(l -> sb.append("\n    unicast3 ").append(l));
                    }
                    sb.append('\n');
                }
                if (tp instanceof org.jgroups.protocols.BasicTCP tcp) {
                    tcp.printConnections().lines().forEach(l -> sb.append("  tcp ").append(l).append('\n'));
                }
            } catch (RuntimeException e) {
                sb.append(o.config().name()).append(": ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    /** Waits on a condition with a deadline, polling; fails with the description if it never holds. */
    public static void awaitCondition(Duration timeout, BooleanSupplier condition, Supplier<String> describe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout + ": " + describe.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    @Override
    public void close() {
        for (Overlay o : peers) {
            try {
                o.close();
            } catch (RuntimeException ignored) {
                // a crashed peer is already closed
            }
        }
    }
}
