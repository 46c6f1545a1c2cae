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
import org.jgroups.Message;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Above 20 members {@code ViewScaling} stretches UNICAST3's retransmission interval and restarts its timer task. A
 * unicast frame lost on the wire in such a view is still resent by UNICAST3: the overlay itself never resends a frame,
 * so a timer task that the restart left stopped would lose it for good (at the conference layer anti-entropy would
 * mask that, which is why this is tested here, below it).
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
            outer:
            for (int i = off; i <= off + len - marker.length; i++) {
                for (int j = 0; j < marker.length; j++) {
                    if (buf[i + j] != marker[j]) continue outer;
                }
                return true;
            }
            return false;
        }
    }

    @Test
    @Timeout(300)
    void aUnicastFrameLostInAViewAboveTwentyIsResentByUnicast3() throws Exception {
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
        }
    }
}
