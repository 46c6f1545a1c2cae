package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import java.util.List;
import org.jgroups.JChannel;
import org.junit.jupiter.api.Test;

/** MERGE3's interval keeps the configured timings up to {@link ViewScaling#FROM} members and grows with the view above. */
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
            assertThat(s.xmitInterval()).as("in steps of 20 members").isEqualTo(400);
            s.apply(60);
            assertThat(s.xmitInterval()).isEqualTo(600);
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

    /**
     * A forming group of 100 installs about one view per joiner at each member; each change of the interval restarts the
     * task, which walks every connection at once on the event thread. Grown member by member, the interval changes 4
     * times (at 40, 60, 80 and 100 members), not at every view above 20 (80 times when it was in proportion).
     */
    @Test
    void aViewGrowingOneMemberAtATimeRestartsTheRetransmissionTaskOnlyAtEachStep() throws Exception {
        OverlayConfig config = OverlayConfig.builder("p").mode(NetworkMode.MEMORY).bindAddress("127.0.0.1").build();
        try (JChannel ch = new JChannel(Stacks.configurator(config, Stacks.xml(config, List.of())))) {
            ch.connect("view-scaling-" + System.nanoTime());
            org.jgroups.protocols.UNICAST3 u = ch.getProtocolStack().findProtocol(org.jgroups.protocols.UNICAST3.class);
            ViewScaling s = ViewScaling.of(ch);
            java.util.Set<Long> intervals = new java.util.TreeSet<>();
            for (int size = 1; size <= 100; size++) {
                s.apply(size);
                intervals.add(s.xmitInterval());
            }
            assertThat(s.restarts()).isEqualTo(4);
            assertThat(intervals).containsExactly(200L, 400L, 600L, 800L, 1000L);
            assertThat(u.isXmitTaskRunning()).isTrue();
            assertThat(u.getXmitInterval()).isEqualTo(ViewScaling.XMIT_MAX_MILLIS);
        }
    }

    @Test
    void aConfiguredIntervalAboveTheCapIsKept() {
        assertThat(ViewScaling.xmitInterval(2000, 100)).isEqualTo(2000);
        assertThat(ViewScaling.xmitInterval(777, 10)).isEqualTo(777);
        assertThat(ViewScaling.xmitInterval(777, 40)).isEqualTo(1000);
        assertThat(ViewScaling.xmitInterval(200, 39)).isEqualTo(200);
        assertThat(ViewScaling.xmitInterval(200, 99)).isEqualTo(800);
    }
}
