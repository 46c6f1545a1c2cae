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
    void aConfiguredIntervalAboveTheCapIsKept() {
        assertThat(ViewScaling.xmitInterval(2000, 100)).isEqualTo(2000);
        assertThat(ViewScaling.xmitInterval(777, 10)).isEqualTo(777);
        assertThat(ViewScaling.xmitInterval(777, 40)).isEqualTo(1000);
    }
}
