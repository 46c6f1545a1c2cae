package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Message;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Above 20 members {@code ViewScaling} stretches UNICAST3's retransmission interval and restarts its timer task. A
 * unicast frame lost on the wire in such a view is still resent by UNICAST3: the overlay itself never resends a frame,
 * so a timer task that the restart left stopped would lose it for good (at the conference layer anti-entropy would
 * mask that, which is why this is tested here, below it). The same holds for NAKACK2, whose retransmission task is
 * stretched and restarted the same way (session 11): a group multicast lost once on the wire (JGroups' own, such as
 * a view; the overlay sends none) is still resent.
 */
class UnicastRecoveryClusterTest {
    /** Twice ViewScaling's 20: the interval is stretched (400 ms) whether it grows in proportion or in steps of 20. */
    private static final int PEERS = 40;
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Drops the first frames going down to one member whose bytes contain a marker; everything else passes. */
    static final class DropMarked extends Protocol {
        private final Address target;
        private final byte[] marker;
        private final AtomicInteger toDrop;
        final AtomicInteger dropped = new AtomicInteger();

        DropMarked(Address target, String marker, int count) {
            this.target = target;
            this.marker = marker.getBytes(StandardCharsets.UTF_8);
            this.toDrop = new AtomicInteger(count);
        }

        @Override
        public Object down(Message msg) {
            if (target.equals(msg.getDest()) && msg.hasArray() && contains(msg.getArray(), msg.getOffset(), msg.getLength())
                    && toDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                dropped.incrementAndGet();
                return null;
            }
            return down_prot.down(msg);
        }

        private boolean contains(byte[] buf, int off, int len) {
            return UnicastRecoveryClusterTest.contains(buf, off, len, marker);
        }
    }

    /** Drops the first multicasts going down whose bytes contain a marker; everything else passes. */
    static final class DropMarkedMulticast extends Protocol {
        private final byte[] marker;
        private final AtomicInteger toDrop;
        final AtomicInteger dropped = new AtomicInteger();

        DropMarkedMulticast(String marker, int count) {
            this.marker = marker.getBytes(StandardCharsets.UTF_8);
            this.toDrop = new AtomicInteger(count);
        }

        @Override
        public Object down(Message msg) {
            if (msg.getDest() == null && msg.hasArray() && contains(msg.getArray(), msg.getOffset(), msg.getLength(), marker)
                    && toDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                dropped.incrementAndGet();
                return null;
            }
            return down_prot.down(msg);
        }
    }

    /** Takes the messages coming up whose bytes contain a marker out of the stack, recording their payloads in order. */
    static final class CaptureMarked extends Protocol {
        private final byte[] marker;
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        CaptureMarked(String marker) {
            this.marker = marker.getBytes(StandardCharsets.UTF_8);
        }

        private boolean take(Message msg) {
            if (!msg.hasArray() || !contains(msg.getArray(), msg.getOffset(), msg.getLength(), marker)) return false;
            seen.add(new String(msg.getArray(), msg.getOffset(), msg.getLength(), StandardCharsets.UTF_8));
            return true;
        }

        @Override
        public Object up(Message msg) {
            return take(msg) ? null : up_prot.up(msg);
        }

        @Override
        public void up(org.jgroups.util.MessageBatch batch) {
            for (java.util.Iterator<Message> it = batch.iterator(); it.hasNext(); ) {
                if (take(it.next())) it.remove();
            }
            if (!batch.isEmpty()) up_prot.up(batch);
        }
    }

    static boolean contains(byte[] buf, int off, int len, byte[] marker) {
        outer:
        for (int i = off; i <= off + len - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buf[i + j] != marker[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    @Test
    @Timeout(300)
    void framesLostInAViewAboveTwentyAreResentByUnicast3AndNakack2() throws Exception {
        Inbox inbox = new Inbox();
        List<Overlay> peers = new ArrayList<>();
        try (TestCluster c = TestCluster.memory()) {
            ExecutorService starters = Executors.newFixedThreadPool(4);
            try {
                List<Future<Overlay>> started = new ArrayList<>();
                for (int i = 0; i < PEERS; i++) {
                    String name = "u" + i;
                    Inbox mine = i == PEERS - 1 ? inbox : new Inbox(); // the sender needs the type registered too
                    started.add(starters.submit(() -> c.start(name, null, Identity.generate(), b -> b.handle(TestMessages.NOTE, mine))));
                }
                for (Future<Overlay> f : started) peers.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            } finally {
                starters.shutdownNow();
            }
            TestCluster.awaitFullDirectory(WAIT, peers);
            Overlay from = peers.get(0);
            Overlay to = peers.get(PEERS - 1);
            ProtocolStack stack = from.core().channel().getProtocolStack();
            UNICAST3 unicast = stack.findProtocol(UNICAST3.class);
            // Every peer has installed the view of 40 by now (its directory is complete), so the interval is stretched.
            assertThat(unicast.getXmitInterval()).isGreaterThan(200);
            assertThat(unicast.isXmitTaskRunning()).isTrue();

            String marker = "lost-once-" + Long.toHexString(System.nanoTime());
            DropMarked drop = new DropMarked(to.core().channel().getAddress(), marker, 2);
            stack.insertProtocol(drop, ProtocolStack.Position.ABOVE, TP.class);
            from.send(to.self(), new TestMessages.Note(1, marker));
            from.send(to.self(), new TestMessages.Note(2, "after " + marker));

            TestCluster.awaitCondition(WAIT, () -> inbox.all().size() == 2, () -> "delivered: " + inbox.all()
                    + ", dropped " + drop.dropped.get() + "\n" + TestCluster.diagnose(List.of(from, to)));
            // Both were lost once on the wire (so the test proves a resend, not a lucky send), and arrive once, in order.
            assertThat(drop.dropped.get()).isEqualTo(2);
            assertThat(inbox.all()).extracting(r -> r.note().seq()).containsExactly(1, 2);
            assertThat(inbox.all()).extracting(Inbox.Received::from).containsOnly(from.self());

            // A group multicast lost once on the wire: NAKACK2 at the receivers sees the gap when the next arrives
            // and asks for it on its (stretched, restarted) retransmission task.
            NAKACK2 nak = stack.findProtocol(NAKACK2.class);
            NAKACK2 theirs = to.core().channel().getProtocolStack().findProtocol(NAKACK2.class);
            assertThat(theirs.getXmitInterval()).isGreaterThan(200);
            assertThat(theirs.isXmitTaskRunning()).isTrue();
            assertThat(nak.getXmitInterval()).isGreaterThan(200);
            String mcast = "group-lost-once-" + Long.toHexString(System.nanoTime());
            DropMarkedMulticast dropGroup = new DropMarkedMulticast(mcast, 1);
            stack.insertProtocol(dropGroup, ProtocolStack.Position.ABOVE, TP.class);
            CaptureMarked capture = new CaptureMarked(mcast);
            to.core().channel().getProtocolStack().insertProtocol(capture, ProtocolStack.Position.ABOVE, NAKACK2.class);
            from.core().channel().send(new BytesMessage(null, ("1 " + mcast).getBytes(StandardCharsets.UTF_8)));
            from.core().channel().send(new BytesMessage(null, ("2 " + mcast).getBytes(StandardCharsets.UTF_8)));
            TestCluster.awaitCondition(WAIT, () -> capture.seen.size() == 2, () -> "multicasts delivered: " + capture.seen
                    + ", dropped " + dropGroup.dropped.get() + "\n" + TestCluster.diagnose(List.of(from, to)));
            assertThat(dropGroup.dropped.get()).as("lost once on the wire: a resend, not a lucky send").isEqualTo(1);
            assertThat(capture.seen).containsExactly("1 " + mcast, "2 " + mcast);
        }
    }
}
