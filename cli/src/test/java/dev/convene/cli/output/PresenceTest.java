package dev.convene.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.convene.overlay.HostPort;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerAdvertisement;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** In relay mode, losing every router is not "bob left": the peer is out of reach. */
class PresenceTest {
    private final StringWriter sink = new StringWriter();

    private JsonNode left(List<HostPort> routers) throws Exception {
        sink.getBuffer().setLength(0);
        EventWriter out = new EventWriter(new PrintWriter(sink, true), new PrintWriter(new StringWriter()), true, Clock.systemUTC());
        EventGate gate = new EventGate(out, () -> { });
        gate.open();
        Identity bob = Identity.generate();
        new Presence(gate, routers).peerLeft(new PeerAdvertisement(bob.id(), "bob", bob.signingKey(), bob.agreementKey(),
                "127.0.0.1:7800", Set.of(), Instant.now()));
        return new ObjectMapper().readTree(sink.toString().lines().reduce((a, b) -> b).orElseThrow());
    }

    @Test
    void aPeerLeftWhileARouterAnswersLeft() throws Exception {
        try (ServerSocket router = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            JsonNode e = left(List.of(new HostPort("127.0.0.1", router.getLocalPort())));
            assertThat(e.has("reason")).isFalse();
        }
        assertThat(left(List.of()).has("reason")).as("not in relay mode").isFalse();
    }

    @Test
    void withNoRouterAnsweringItIsOutOfReach() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        JsonNode e = left(List.of(new HostPort("127.0.0.1", closed)));
        assertThat(e.path("reason").asText()).isEqualTo("routers-unreachable");
        Identity bob = Identity.generate();
        Event.PeerLeft event = Event.PeerLeft.of(new PeerAdvertisement(bob.id(), "bob", bob.signingKey(), bob.agreementKey(),
                "127.0.0.1:7800", Set.of(), Instant.now()), Event.PeerLeft.ROUTERS_UNREACHABLE);
        assertThat(event.human()).contains("bob (").contains("is out of reach: no relay router answers").doesNotContain(" left");
    }
}
