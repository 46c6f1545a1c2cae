package dev.convene.cli.bench;

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
 * configuration runs ({@link Stacks#xml}), in a group and port range of their own. Payloads carry their
 * message number in the first four bytes; nothing else is done with them.
 */
final class RawGroup implements AutoCloseable {
    private final NetworkMode mode;
    private final String cluster;
    private final int basePort;
    private final int portRange;
    private final List<JChannel> channels = new ArrayList<>();
    private final List<Tap> taps = new ArrayList<>();

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

    /** The stack XML of a raw channel (and of a Convene peer) with this configuration. */
    static String xml(OverlayConfig config) {
        return Stacks.xml(config, List.of());
    }

    /** Connects one more channel; closed with the group. Returns its index. */
    int join(String name) throws Exception {
        OverlayConfig config = ConveneGroup.config(name, mode, cluster, basePort, portRange).build();
        JChannel ch = new JChannel(new ByteArrayInputStream(xml(config).getBytes(StandardCharsets.UTF_8)));
        ch.name(name);
        Tap tap = new Tap();
        ch.setReceiver(tap);
        channels.add(ch);
        taps.add(tap);
        ch.connect(cluster);
        return channels.size() - 1;
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
