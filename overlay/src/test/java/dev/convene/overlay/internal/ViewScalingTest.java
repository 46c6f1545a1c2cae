package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import org.jgroups.JChannel;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.junit.jupiter.api.Test;

/**
 * MERGE3's interval, and UNICAST3's and NAKACK2's retransmission intervals, keep the configured timings up to
 * {@link ViewScaling#FROM} members and grow with the view above.
 */
class ViewScalingTest {
    @Test
    void mergeIntervalGrowsWithTheViewAboveTwentyAndShrinksBack() throws Exception {
        OverlayConfig config = OverlayConfig.builder("p").mode(NetworkMode.MEMORY).bindAddress("127.0.0.1").build();
        long min = config.timings().mergeMin().toMillis();
        long max = config.timings().mergeMax().toMillis();
        try (JChannel ch = new JChannel(Stacks.configurator(config, Stacks.xml(config, List.of())))) {
            ViewScaling s = ViewScaling.of(ch);
            s.apply(1);
            assertThat(s.minInterval()).isEqualTo(min);
            assertThat(s.maxInterval()).isEqualTo(max);
            s.apply(ViewScaling.FROM);
            assertThat(s.maxInterval()).isEqualTo(max);
            s.apply(100);
            assertThat(s.minInterval()).isEqualTo(5 * min);
            assertThat(s.maxInterval()).isEqualTo(5 * max);
            s.apply(40);
            assertThat(s.minInterval()).isEqualTo(2 * min);
            assertThat(s.maxInterval()).isEqualTo(2 * max);
            s.apply(3);
            assertThat(s.minInterval()).isEqualTo(min);
            assertThat(s.maxInterval()).isEqualTo(max);
        }
    }

    @Test
    void unicastRetransmissionIntervalGrowsWithTheViewUpToASecondAndShrinksBack() throws Exception {
        OverlayConfig config = OverlayConfig.builder("p").mode(NetworkMode.MEMORY).bindAddress("127.0.0.1").build();
        try (JChannel ch = new JChannel(Stacks.configurator(config, Stacks.xml(config, List.of())))) {
            ch.connect("view-scaling-" + System.nanoTime());
            org.jgroups.protocols.UNICAST3 u = ch.getProtocolStack().findProtocol(org.jgroups.protocols.UNICAST3.class);
            long base = u.getXmitInterval();
            assertThat(base).isEqualTo(200);
            ViewScaling s = ViewScaling.of(ch);
            s.apply(ViewScaling.FROM);
            assertThat(s.xmitInterval()).isEqualTo(base);
            s.apply(50);
            assertThat(s.xmitInterval()).isEqualTo(500);
            assertThat(u.isXmitTaskRunning()).as("restarted with the new interval").isTrue();
            s.apply(100);
            assertThat(s.xmitInterval()).isEqualTo(ViewScaling.XMIT_MAX_MILLIS);
            s.apply(400);
            assertThat(s.xmitInterval()).as("capped").isEqualTo(ViewScaling.XMIT_MAX_MILLIS);
            s.apply(3);
            assertThat(s.xmitInterval()).isEqualTo(base);
            assertThat(u.isXmitTaskRunning()).isTrue();
        }
    }

    @Test
    void multicastRetransmissionIntervalGrowsWithTheViewAndItsTaskIsRestarted() throws Exception {
        OverlayConfig config = OverlayConfig.builder("p").mode(NetworkMode.MEMORY).bindAddress("127.0.0.1").build();
        try (JChannel ch = new JChannel(Stacks.configurator(config, Stacks.xml(config, List.of())))) {
            ch.connect("view-scaling-" + System.nanoTime());
            NAKACK2 nak = ch.getProtocolStack().findProtocol(NAKACK2.class);
            VarHandle task = MethodHandles.privateLookupIn(NAKACK2.class, MethodHandles.lookup())
                    .findVarHandle(NAKACK2.class, "xmit_task", java.util.concurrent.Future.class);
            assertThat(nak.getXmitInterval()).isEqualTo(200);
            ViewScaling s = ViewScaling.of(ch);
            Object first = task.get(nak);
            s.apply(ViewScaling.FROM);
            assertThat(s.nakXmitInterval()).isEqualTo(200);
            assertThat(task.get(nak)).as("unchanged interval: same task").isSameAs(first);
            s.apply(100);
            assertThat(s.nakXmitInterval()).isEqualTo(ViewScaling.XMIT_MAX_MILLIS);
            Object scaled = task.get(nak);
            assertThat(scaled).as("a new task, scheduled with the new interval").isNotSameAs(first);
            assertThat(((java.util.concurrent.Future<?>) first).isCancelled()).as("the old one stopped").isTrue();
            assertThat(nak.isXmitTaskRunning()).isTrue();
            s.apply(3);
            assertThat(s.nakXmitInterval()).isEqualTo(200);
            assertThat(task.get(nak)).isNotSameAs(scaled);
            assertThat(nak.isXmitTaskRunning()).isTrue();
        }
    }

    @Test
    void aConfiguredIntervalAboveTheCapIsKept() {
        assertThat(ViewScaling.xmitInterval(2000, 100)).isEqualTo(2000);
        assertThat(ViewScaling.xmitInterval(777, 10)).isEqualTo(777);
        assertThat(ViewScaling.xmitInterval(777, 40)).isEqualTo(1000);
    }
}
