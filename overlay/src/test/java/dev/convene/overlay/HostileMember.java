package dev.convene.overlay;

import dev.convene.overlay.internal.OverlayCore;
import dev.convene.overlay.internal.OverlayMessages;
import dev.convene.overlay.internal.Stacks;
import dev.convene.overlay.wire.FrameCodec;
import dev.convene.overlay.wire.MessageType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.util.UUID;

/**
 * A hostile JGroups member for attack tests: a real {@link JChannel} on the same stack as the peers it
 * attacks, with no overlay above it. It can send any bytes with any source address (another member's, or a
 * made-up one), reliably or as {@code NO_RELIABILITY} unicasts that bypass UNICAST3; sign overlay frames
 * with its own key over any address; record everything it receives (to replay it); and stop reading, so
 * that its JGroups thread blocks and it withholds flow-control credits from whoever sends to it. Lives in
 * the test-jar so other modules' suites can use it. Thread-safe.
 */
public final class HostileMember implements AutoCloseable {
    /** A message it received: the source the transport gave, and a copy of the bytes. */
    public record Captured(Address src, byte[] frame) {
    }

    private final JChannel channel;
    private final Identity identity;
    private final String name;
    private final FrameCodec codec;
    private final List<Captured> captured = new CopyOnWriteArrayList<>();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong framesSent = new AtomicLong();
    private volatile CountDownLatch withhold;

    private HostileMember(JChannel channel, Identity identity, String name, List<MessageType<?>> extraTypes) {
        this.channel = channel;
        this.identity = identity;
        this.name = name;
        List<MessageType<?>> types = new ArrayList<>(List.of(OverlayMessages.ADVERTISEMENT, OverlayMessages.AD_REQUEST, OverlayMessages.HELLO));
        types.addAll(extraTypes);
        this.codec = new FrameCodec(types, OverlayConfig.DEFAULT_MAX_FRAME);
    }

    /** Joins the group of {@code member} (same mode, cluster, ports) as {@code name}, with a fresh key. */
    public static HostileMember besides(Overlay member, String name, MessageType<?>... extraTypes) {
        OverlayConfig c = member.config();
        OverlayConfig mine = OverlayConfig.builder(name).mode(c.mode()).cluster(c.cluster()).bindAddress(c.bindAddress())
                .port(c.port()).portRange(c.portRange()).timings(c.timings()).build();
        try {
            // Its NO_RELIABILITY bursts (thousands of frames at once) would overrun its own bundler's bounded queue
            // (Stacks.BUNDLER_CAPACITY): JGroups' per-destination bundler drops what does not fit whatever
            // drop_when_full says, and an unreliable frame is never sent again. The tests count every frame it sent
            // at the victim, so its queue is JGroups' default size, which its bursts fit.
            String xml = Stacks.xml(mine, List.of());
            String bounded = xml.replaceFirst(" bundler\\.capacity=\"\\d+\"", " bundler.capacity=\"16384\"");
            if (bounded.equals(xml)) throw new IllegalStateException("no bundler capacity in the stack");
            xml = bounded;
            JChannel ch = new JChannel(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            HostileMember h = new HostileMember(ch, Identity.generate(), name, List.of(extraTypes));
            ch.name(name);
            ch.setReceiver(h.receiver());
            ch.connect(mine.cluster());
            return h;
        } catch (Exception e) {
            throw new IllegalStateException("hostile member could not join: " + e, e);
        }
    }

    private Receiver receiver() {
        return new Receiver() {
            @Override
            public void receive(Message msg) {
                CountDownLatch w = withhold;
                if (w != null) {
                    try {
                        w.await(60, TimeUnit.SECONDS); // does not read: JGroups stops sending credits
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (msg.hasArray()) {
                    byte[] copy = java.util.Arrays.copyOfRange(msg.getArray(), msg.getOffset(), msg.getOffset() + msg.getLength());
                    captured.add(new Captured(msg.getSrc(), copy));
                }
            }
        };
    }

    public Identity identity() {
        return identity;
    }

    /** Its own transport address. */
    public Address address() {
        return channel.getAddress();
    }

    /** The transport address of an overlay peer. */
    public static Address addressOf(Overlay peer) {
        return OverlayTestHooks.core(peer).channel().getAddress();
    }

    /** A transport address no member has. */
    public static Address madeUpAddress() {
        return UUID.randomUUID();
    }

    /** True while {@code a} is in its view. */
    public boolean sees(Address a) {
        return channel.getView().containsMember(a);
    }

    /** A signed Hello (its advertisement and a session nonce) valid for a sender at {@code as}. */
    public byte[] helloAs(Address as) {
        PeerAdvertisement ad = new PeerAdvertisement(identity.id(), name, identity.signingKey(), identity.agreementKey(), "memory:" + name,
                Set.of("overlay/1"), Instant.now());
        return signedAs(as, new OverlayMessages.Hello(ad, new byte[16]));
    }

    /** A request for advertisements, signed for a sender at {@code as}. */
    public byte[] requestAs(Address as) {
        return signedAs(as, new OverlayMessages.AdvertisementRequest(identity.id()));
    }

    /** Any registered message, signed with its key over the address {@code as}. */
    public byte[] signedAs(Address as, Object message) {
        return codec.encode(message, identity, OverlayCore.tag(as));
    }

    /** Sends {@code frame} to {@code to} from its own address, reliably. */
    public void send(Address to, byte[] frame) {
        send(to, frame, null, false);
    }

    /**
     * Sends {@code frame} to {@code to} claiming the source {@code forgedSrc} (null: its own), as a
     * {@code NO_RELIABILITY} unicast (bypassing UNICAST3) or a normal one.
     */
    public void send(Address to, byte[] frame, Address forgedSrc, boolean noReliability) {
        Message msg = new BytesMessage(to, frame);
        if (forgedSrc != null) msg.setSrc(forgedSrc);
        if (noReliability) msg.setFlag(Message.Flag.NO_RELIABILITY, Message.Flag.NO_FC);
        try {
            channel.send(msg);
            framesSent.incrementAndGet();
            bytesSent.addAndGet(frame.length);
        } catch (Exception e) {
            throw new IllegalStateException("hostile send failed: " + e, e);
        }
    }

    /** Frames it sent so far. */
    public long framesSent() {
        return framesSent.get();
    }

    /** Bytes of frames it sent so far. */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** What it received, in order. */
    public List<Captured> captured() {
        return List.copyOf(captured);
    }

    /** Stops reading: the next message it receives blocks its JGroups thread until {@link #resumeReading}. */
    public void withholdCredits() {
        withhold = new CountDownLatch(1);
    }

    public void resumeReading() {
        CountDownLatch w = withhold;
        withhold = null;
        if (w != null) w.countDown();
    }

    @Override
    public void close() {
        resumeReading();
        channel.close();
    }
}
