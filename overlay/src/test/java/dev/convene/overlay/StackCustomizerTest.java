package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.stack.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A host adjusts the JGroups stack through a typed hook instead of writing XML. */
class StackCustomizerTest {
    private final String cluster = "stack-" + UUID.randomUUID();

    @Test
    @Timeout(60)
    void theCustomizerSeesTheStackAndItsChangesReachTheChannel() {
        List<String> seen = new CopyOnWriteArrayList<>();
        OverlayConfig config = OverlayConfig.builder("alice").mode(NetworkMode.MEMORY).cluster(cluster).stack(stack -> {
            seen.addAll(stack.protocols());
            assertThat(stack.property("UNICAST3", "xmit_interval")).contains("200");
            stack.set("UNICAST3", "xmit_interval", "777").insertAbove("pbcast.GMS", "COUNTER", Map.of());
            stack.remove("COUNTER"); // and back out again
        }).build();
        assertThat(config.toBuilder().build().stack()).isSameAs(config.stack());
        try (Overlay alice = Overlay.builder(config, Identity.generate()).start()) {
            assertThat(seen.get(0)).isEqualTo("SHARED_LOOPBACK");
            assertThat(seen).contains("pbcast.GMS", "UNICAST3", "FRAG4");
            List<Protocol> protocols = OverlayTestHooks.core(alice).channel().getProtocolStack().getProtocols();
            UNICAST3 unicast = (UNICAST3) protocols.stream().filter(p -> p instanceof UNICAST3).findFirst().orElseThrow();
            assertThat(unicast.getXmitInterval()).isEqualTo(777);
        }
    }

    @Test
    void aMistakeInTheCustomizerIsReportedNotIgnored() {
        JGroupsStack stack = new JGroupsStack(List.of(Map.entry("TCP", Map.of("bind_addr", "127.0.0.1")), Map.entry("TCPPING", Map.of())));
        assertThatThrownBy(() -> stack.set("NOPE", "x", "1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no protocol NOPE");
        assertThatThrownBy(() -> stack.remove("TCP")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transport");
        stack.replace("TCPPING", "dns.DNS_PING", Map.of("dns_query", "convene.example"));
        assertThat(stack.protocols()).containsExactly("TCP", "dns.DNS_PING");
        assertThat(stack.property("dns.DNS_PING", "dns_query")).contains("convene.example");

        OverlayConfig bad = OverlayConfig.builder("bob").mode(NetworkMode.MEMORY).cluster(cluster)
                .stack(s -> s.set("NO_SUCH_PROTOCOL", "x", "1")).build();
        assertThatThrownBy(() -> Overlay.builder(bad, Identity.generate()).start()).hasStackTraceContaining("no protocol NO_SUCH_PROTOCOL");
    }
}
