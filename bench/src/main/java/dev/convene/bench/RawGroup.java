package dev.convene.bench;

import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.internal.Stacks;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;

/**
 * The baseline: plain JGroups channels built from the very stack XML a Convene peer of the same
 * configuration runs ({@link Stacks#xml}; TCP with JGroups' default Nagle setting, see {@link #xml}), in a group and
 * port range of their own. Payloads carry their
 * message number in the first four bytes; nothing else is done with them.
 */
final class RawGroup implements AutoCloseable {
    private final NetworkMode mode;
    private final String cluster;
    private final int basePort;
    private final int portRange;
    /** Whether transports count their messages (off for the latency and throughput baselines: no extra work). */
    private volatile boolean countMessages;
    private final List<JChannel> channels = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Tap> taps = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RawGroup(Workspace ws, String purpose, NetworkMode mode, int size) {
        this.mode = mode;
        this.cluster = ws.cluster(purpose);
        this.basePort = ws.basePort();
        this.portRange = Math.max(OverlayConfig.DEFAULT_PORT_RANGE, size + 4);
    }

    static RawGroup start(Workspace ws, String purpose, int size, NetworkMode mode) throws Exception {
        RawGroup g = new RawGroup(ws, purpose, mode, size);
        try {
            for (int i = 0; i < size; i++) g.join(purpose + i);
            Waits.until(ConveneGroup.SETUP, () -> g.channels.stream().allMatch(c -> c.getView() != null && c.getView().size() == size),
                    () -> "a view of " + size + " raw channels");
            return g;
        } catch (Exception e) {
            g.close();
            throw e;
        }
    }

    /**
     * Starts {@code size} channels as {@link ConveneGroup#start} starts peers: the first alone, the others
     * three at a time; returns once every channel has a view of {@code size}.
     */
    static RawGroup startInParallel(Workspace ws, String purpose, int size, NetworkMode mode, java.time.Duration timeout) throws Exception {
        RawGroup g = new RawGroup(ws, purpose, mode, size);
        g.countMessages = true;
        java.util.concurrent.ExecutorService starters = java.util.concurrent.Executors.newFixedThreadPool(3, r -> new Thread(r, "bench-start"));
        try {
            g.join(purpose + "0");
            List<java.util.concurrent.Future<Integer>> started = new ArrayList<>();
            for (int i = 1; i < size; i++) {
                String name = purpose + i;
                started.add(starters.submit(() -> g.join(name)));
            }
            for (java.util.concurrent.Future<Integer> f : started) f.get(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            Waits.until(timeout, () -> g.viewsComplete(size), () -> "a view of " + size + " raw channels");
            return g;
        } catch (Exception e) {
            g.close();
            throw e;
        } finally {
            starters.shutdownNow();
        }
    }

    /** Whether every channel has a view of {@code size}. */
    boolean viewsComplete(int size) {
        return channels.stream().allMatch(c -> c.getView() != null && c.getView().size() == size);
    }

    /** Messages received by all transports so far (JGroups' own counters, its internal messages included). */
    long messagesReceived() {
        return channels.stream().mapToLong(c -> c.getProtocolStack().getTransport().getMessageStats().getNumMsgsReceived()).sum();
    }

    /**
     * The stack XML of a raw channel with this configuration: a Convene peer's, except that TCP transports keep JGroups'
     * default of Nagle's algorithm on. Convene turns it off (no frame waits for a delayed ACK); raw JGroups keeps the
     * setting that gives it its best throughput (about 70-88k msg/s into 5 channels on 2 cores, 44k with Nagle off),
     * so no ratio improves because the baseline got slower.
     */
    static String xml(OverlayConfig config) {
        return Stacks.xml(config, List.of()).replace(" tcp_nodelay=\"true\"", " tcp_nodelay=\"false\"");
    }

    /** Connects one more channel; closed with the group. Returns its index. */
    int join(String name) throws Exception {
        OverlayConfig config = ConveneGroup.config(name, mode, cluster, basePort, portRange).build();
        JChannel ch = new JChannel(new ByteArrayInputStream(xml(config).getBytes(StandardCharsets.UTF_8)));
        ch.name(name);
        if (countMessages) {
            ch.getProtocolStack().getTransport().enableStats(true);
            ch.getProtocolStack().getTransport().getMessageStats().enable(true);
        }
        Tap tap = new Tap();
        ch.setReceiver(tap);
        int index;
        synchronized (this) { // channel i and tap i stay a pair when channels join in parallel
            channels.add(ch);
            taps.add(tap);
            index = channels.size() - 1;
        }
        ch.connect(cluster);
        return index;
    }

    JChannel channel(int i) {
        return channels.get(i);
    }

    int size() {
        return channels.size();
    }

    int basePort() {
        return basePort;
    }

    int portRange() {
        return portRange;
    }

    String cluster() {
        return cluster;
    }

    /** From now on, messages reaching channel {@code i} are recorded as receiver {@code r} of {@code arrivals}. */
    void recordArrivals(int i, int r, Arrivals arrivals) {
        taps.get(i).arrivals = arrivals;
        taps.get(i).receiver = r;
    }

    /** Sends message number {@code m} of {@code size} bytes from channel {@code from} to {@code to} (null: everyone). */
    void send(int from, Address to, int m, int size) throws Exception {
        byte[] payload = new byte[Math.max(4, size)];
        ByteBuffer.wrap(payload).putInt(m);
        channels.get(from).send(new BytesMessage(to, payload));
    }

    @Override
    public void close() {
        for (int i = channels.size() - 1; i >= 0; i--) channels.get(i).close();
    }

    /** Records arrivals for one channel; JGroups calls it on its own threads. */
    private static final class Tap implements Receiver {
        volatile Arrivals arrivals;
        volatile int receiver;

        @Override
        public void receive(Message msg) {
            long now = System.nanoTime();
            Arrivals a = arrivals;
            if (a != null && msg.getLength() >= 4) {
                a.record(receiver, ByteBuffer.wrap(msg.getArray(), msg.getOffset(), 4).getInt(), now);
            }
        }
    }
}
