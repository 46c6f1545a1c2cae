package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.convene.overlay.TestMessages.Note;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code lan} mode kept on this machine: UDP multicast on the loopback interface with a TTL of 0. Skipped
 * where the loopback interface does not carry multicast; it never falls back to another interface.
 */
@Timeout(60)
class LanClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Sends one datagram to a group on the loopback interface, TTL 0, and waits up to 2 s to receive it. */
    private static String loopbackMulticastProblem(int port) {
        try {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            NetworkInterface lo = NetworkInterface.getByInetAddress(loopback);
            if (lo == null) return "no interface holds 127.0.0.1";
            InetAddress group = InetAddress.getByName("239.67.78.87");
            try (MulticastSocket socket = new MulticastSocket(new InetSocketAddress(group, port))) {
                socket.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
                socket.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
                socket.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
                socket.joinGroup(new InetSocketAddress(group, port), lo);
                byte[] hello = "convene probe".getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(hello, hello.length, group, port));
                socket.setSoTimeout(2000);
                DatagramPacket in = new DatagramPacket(new byte[64], 64);
                socket.receive(in);
                return null;
            }
        } catch (IOException | RuntimeException e) {
            return e.toString();
        }
    }

    @Test
    void peersFindEachOtherByMulticastThatNeverLeavesThisHost() {
        try (TestCluster c = TestCluster.memory()) {
            int mcastPort = c.basePort() + 7;
            String problem = loopbackMulticastProblem(mcastPort + 1);
            assumeTrue(problem == null, () -> "UDP multicast on the loopback interface does not work here (" + problem
                    + "); lan mode is only tested on loopback, never on another interface");

            List<Overlay> peers = new ArrayList<>();
            List<Inbox> inboxes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Inbox inbox = new Inbox();
                inboxes.add(inbox);
                OverlayConfig config = c.config("l" + i, null).mode(NetworkMode.LAN).bindAddress("127.0.0.1").port(mcastPort).build();
                assertThat(config.multicastTtl()).isZero();
                peers.add(c.start(config, Identity.generate(), b -> b.handle(TestMessages.NOTE, inbox)));
            }
            TestCluster.awaitFullDirectory(WAIT, peers);
            assertThat(peers.get(0).stackDescription()).contains("<UDP bind_addr=\"127.0.0.1\"").contains("ip_ttl=\"0\"");
            for (Overlay o : peers) assertThat(o.advertisement().endpoint()).startsWith("127.0.0.1:");

            peers.get(0).broadcast(new Note(1, "over multicast"));
            inboxes.get(1).await(WAIT, peers.get(0).self(), "over multicast");
            inboxes.get(2).await(WAIT, peers.get(0).self(), "over multicast");
        }
    }
}
