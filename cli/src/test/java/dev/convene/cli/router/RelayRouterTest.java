package dev.convene.cli.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.cli.output.EventWriter;
import dev.convene.overlay.TestCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jgroups.Address;
import org.jgroups.blocks.cs.BaseServer;
import org.jgroups.blocks.cs.Connection;
import org.jgroups.blocks.cs.TcpConnection;
import org.jgroups.stack.GossipRouter;
import org.jgroups.stack.IpAddress;
import org.jgroups.stack.RouterStub;
import org.jgroups.util.DefaultSocketFactory;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay router sends without Nagle's algorithm, as the peers' TUNNEL transports do (docs/NETWORKS.md): a small
 * frame relayed after an unacknowledged one would otherwise wait for the receiver's delayed ACK (up to 40 ms).
 * Checked on the socket the router accepted from a real JGroups router client on 127.0.0.1.
 */
@Timeout(60)
class RelayRouterTest {
    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void acceptedConnectionsSendWithoutNagle() throws Exception {
        int port = freeLoopbackPort();
        StringWriter events = new StringWriter();
        RelayRouter router = new RelayRouter("127.0.0.1", port, new EventWriter(new PrintWriter(events), new PrintWriter(new StringWriter()), true, Clock.systemUTC()));
        router.start();
        RouterStub client = new RouterStub(null, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), false, null, new DefaultSocketFactory());
        try {
            client.connect();
            Address self = UUID.randomUUID();
            client.connect("nagle-test", self, "client", new IpAddress("127.0.0.1", freeLoopbackPort()));
            Map<Address, Connection> conns = connections(router);
            TestCluster.awaitCondition(Duration.ofSeconds(30), () -> !conns.isEmpty(), () -> "the router accepted no connection");
            for (Connection c : conns.values()) {
                assertThat(c).isInstanceOf(TcpConnection.class);
                assertThat(socket((TcpConnection) c).getTcpNoDelay()).as("TCP_NODELAY on the router's side of %s", c).isTrue();
            }
        } finally {
            client.destroy();
            router.stop();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Address, Connection> connections(GossipRouter router) throws ReflectiveOperationException {
        var server = GossipRouter.class.getDeclaredField("server");
        server.setAccessible(true);
        var conns = BaseServer.class.getDeclaredField("conns");
        conns.setAccessible(true);
        return (Map<Address, Connection>) conns.get(server.get(router));
    }

    private static Socket socket(TcpConnection c) throws ReflectiveOperationException {
        var sock = TcpConnection.class.getDeclaredField("sock");
        sock.setAccessible(true);
        return (Socket) sock.get(c);
    }
}
