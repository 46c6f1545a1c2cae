package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.HostPort;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.junit.jupiter.api.Test;

/**
 * The generated JGroups stacks keep the network rules: bound to the chosen address only, FD_SOCK2 bound
 * too, diagnostics off, reads capped, and no address-picking keyword that could reach another interface.
 */
class StacksTest {
    /** Values that make JGroups choose an interface by itself, or every interface. */
    private static final List<String> FORBIDDEN = List.of("0.0.0.0", "SITE_LOCAL", "GLOBAL", "NON_LOOPBACK", "LINK_LOCAL",
            "match-interface", "match-address", "match-host", "::");
    private static final List<HostPort> CACHED = List.of(new HostPort("127.0.0.1", 7805));

    private static OverlayConfig config(NetworkMode mode, String bind) {
        OverlayConfig.Builder b = OverlayConfig.builder("p").mode(mode).bindAddress(bind).port(23400).portRange(8);
        if (mode == NetworkMode.SEEDS) b.seed(new HostPort(bind, 23400)).seed(new HostPort(bind, 23410));
        if (mode == NetworkMode.RELAY) b.router(new HostPort(bind, 12001)).router(new HostPort(bind, 12002));
        return b.build();
    }

    /** Each protocol of the stack, in order, with its attributes. */
    private static List<Map.Entry<String, Map<String, String>>> protocols(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element root = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        List<Map.Entry<String, Map<String, String>>> out = new ArrayList<>();
        NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i).getNodeType() != Node.ELEMENT_NODE) continue;
            Element e = (Element) children.item(i);
            Map<String, String> attrs = new TreeMap<>();
            NamedNodeMap nodes = e.getAttributes();
            for (int j = 0; j < nodes.getLength(); j++) attrs.put(nodes.item(j).getNodeName(), nodes.item(j).getNodeValue());
            out.add(Map.entry(e.getLocalName(), attrs));
        }
        return out;
    }

    private static Map<String, String> attributes(List<Map.Entry<String, Map<String, String>>> stack, String protocol) {
        return stack.stream().filter(p -> p.getKey().equals(protocol)).map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(protocol + " not in the stack"));
    }

    private static boolean has(List<Map.Entry<String, Map<String, String>>> stack, String protocol) {
        return stack.stream().anyMatch(p -> p.getKey().equals(protocol));
    }

    @ParameterizedTest
    @EnumSource(NetworkMode.class)
    void everyStackKeepsTheNetworkRules(NetworkMode mode) throws Exception {
        OverlayConfig config = config(mode, "127.0.0.1");
        String xml = Stacks.xml(config, CACHED);
        for (String word : FORBIDDEN) assertThat(xml).as("%s stack", mode).doesNotContainIgnoringCase(word);

        List<Map.Entry<String, Map<String, String>>> stack = protocols(xml);
        Map<String, String> transport = stack.get(0).getValue();
        assertThat(transport).as("transport of %s", mode).containsEntry("diag.enabled", "false");
        if (mode == NetworkMode.MEMORY) {
            assertThat(stack.get(0).getKey()).isEqualTo("SHARED_LOOPBACK");
            assertThat(transport).doesNotContainKey("bind_addr"); // nothing to bind: it never leaves the JVM
        } else {
            assertThat(transport).containsEntry("bind_addr", "127.0.0.1");
        }
        if (has(stack, "FD_SOCK2")) {
            assertThat(attributes(stack, "FD_SOCK2")).containsEntry("bind_addr", "127.0.0.1");
            // Its ports start past the transport's whole range.
            assertThat(Integer.parseInt(attributes(stack, "FD_SOCK2").get("offset"))).isGreaterThan(config.portRange());
        }
        if (config.mode() == NetworkMode.LOCAL || config.mode() == NetworkMode.SEEDS) {
            assertThat(stack.get(0).getKey()).isEqualTo("TCP_NIO2");
            assertThat(Integer.parseInt(attributes(stack, "TCP_NIO2").get("max_length")))
                    .isGreaterThanOrEqualTo(config.maxFrameBytes()).isLessThan(config.maxFrameBytes() * 2);
        }
        // Every address in the stack is one the user gave.
        for (Map.Entry<String, Map<String, String>> p : stack) {
            for (Map.Entry<String, String> a : p.getValue().entrySet()) {
                if (a.getKey().endsWith("bind_addr") || a.getKey().equals("external_addr")) {
                    assertThat(a.getValue()).as("%s.%s", p.getKey(), a.getKey()).isEqualTo("127.0.0.1");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.5", "192.0.2.10"})
    void chosenAddressIsTheOnlyOneBound(String bind) throws Exception {
        for (NetworkMode mode : List.of(NetworkMode.LOCAL, NetworkMode.SEEDS, NetworkMode.LAN, NetworkMode.RELAY)) {
            List<Map.Entry<String, Map<String, String>>> stack = protocols(Stacks.xml(config(mode, bind), List.of()));
            assertThat(stack.get(0).getValue()).as("%s", mode).containsEntry("bind_addr", bind);
            if (has(stack, "FD_SOCK2")) assertThat(attributes(stack, "FD_SOCK2")).containsEntry("bind_addr", bind);
        }
    }

    @Test
    void localModeProbesItsPortRangeOnTheBindAddressAndTheRememberedPeers() throws Exception {
        Map<String, String> ping = attributes(protocols(Stacks.xml(config(NetworkMode.LOCAL, "127.0.0.1"), CACHED)), "TCPPING");
        assertThat(ping).containsEntry("port_range", "8").containsEntry("initial_hosts", "127.0.0.1[23400],127.0.0.1[7805]")
                // Every port is asked: each member answers for itself, not with every member it knows (n^2 per round).
                .containsEntry("return_entire_cache", "false");
    }

    @Test
    void seedsModeProbesExactlyTheSeedsWithAPortRangeOfZero() throws Exception {
        Map<String, String> ping = attributes(protocols(Stacks.xml(config(NetworkMode.SEEDS, "127.0.0.1"), CACHED)), "TCPPING");
        assertThat(ping).containsEntry("port_range", "0")
                .containsEntry("initial_hosts", "127.0.0.1[23400],127.0.0.1[23410],127.0.0.1[7805]")
                // A joiner knows only the seeds: they answer with every member they know.
                .containsEntry("return_entire_cache", "true");
    }

    @Test
    void lanModeKeepsMulticastOnThisHostWhenBoundToLoopback() throws Exception {
        Map<String, String> udp = attributes(protocols(Stacks.xml(config(NetworkMode.LAN, "127.0.0.1"), List.of())), "UDP");
        assertThat(udp).containsEntry("ip_ttl", "0").containsEntry("mcast_port", "23400");
        assertThat(udp.get("mcast_addr")).startsWith("239."); // administratively scoped: never routed off-site
    }

    @Test
    void relayModeNamesEveryRouterAndHeartbeatsThem() throws Exception {
        Map<String, String> tunnel = attributes(protocols(Stacks.xml(config(NetworkMode.RELAY, "127.0.0.1"), List.of())), "TUNNEL");
        assertThat(tunnel).containsEntry("gossip_router_hosts", "127.0.0.1[12001],127.0.0.1[12002]");
        assertThat(Long.parseLong(tunnel.get("heartbeat_interval"))).isPositive()
                .isLessThan(Long.parseLong(tunnel.get("heartbeat_timeout")));
    }

    @Test
    void memoryAndRelayStacksHaveNoSocketFailureDetector() throws Exception {
        // FD_SOCK2 opens a server socket; in memory mode there is nothing to watch, behind a relay nothing reachable.
        assertThat(has(protocols(Stacks.xml(config(NetworkMode.MEMORY, "127.0.0.1"), List.of())), "FD_SOCK2")).isFalse();
        assertThat(has(protocols(Stacks.xml(config(NetworkMode.RELAY, "127.0.0.1"), List.of())), "FD_SOCK2")).isFalse();
    }

    /**
     * Memory that grows with the group: one send queue and buffer per transport, not one per member it sends to
     * (JGroups' default bundler), and small per-connection TCP buffers. The channel is only created, not connected.
     */
    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"MEMORY", "LOCAL"})
    void sendBuffersDoNotGrowWithTheGroup(NetworkMode mode) throws Exception {
        OverlayConfig config = config(mode, "127.0.0.1");
        String xml = Stacks.xml(config, List.of());
        try (org.jgroups.JChannel ch = new org.jgroups.JChannel(Stacks.configurator(config, xml))) {
            // The transfer-queue bundler (one queue per transport instead of one per destination) let 100 memory peers
            // form in one JVM, but frames were lost under it in HostileMemberClusterTest: JGroups' default bundler stays.
            if (mode == NetworkMode.LOCAL) {
                // No reader thread per connection: one selector, and a bounded number of writes queued per connection.
                org.jgroups.protocols.TCP_NIO2 tcp = (org.jgroups.protocols.TCP_NIO2) ch.getProtocolStack().getTransport();
                assertThat(tcp.getMaxSendBuffers()).isLessThanOrEqualTo(Stacks.TCP_SEND_BUFFERS);
                // A pool that does not grow with the view, and a full one runs the task on the reading thread instead of
                // dropping the message.
                org.jgroups.util.ThreadPool pool = tcp.getThreadPool();
                assertThat(pool.getMaxThreads()).isEqualTo(Stacks.TCP_POOL_THREADS);
                assertThat(pool.getIncreaseMaxSizeDynamically()).isFalse();
                java.util.concurrent.RejectedExecutionHandler refused = pool.getRejectedExecutionHandler();
                if (refused instanceof org.jgroups.util.ShutdownRejectedExecutionHandler wrapped) refused = wrapped.handler();
                assertThat(refused).isInstanceOf(java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy.class);
            }
        }
    }

    /**
     * Small frames leave at once over TCP: with Nagle's algorithm (JGroups' default) a frame written while the previous one
     * was unacknowledged waited for the receiver's delayed ACK, up to 40 ms on Linux.
     */
    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"LOCAL", "SEEDS", "RELAY"})
    void tcpStacksSendSmallFramesWithoutNagle(NetworkMode mode) throws Exception {
        OverlayConfig config = config(mode, "127.0.0.1");
        String xml = Stacks.xml(config, List.of());
        try (org.jgroups.JChannel ch = new org.jgroups.JChannel(Stacks.configurator(config, xml))) {
            org.jgroups.stack.Protocol transport = ch.getProtocolStack().getTransport();
            if (transport instanceof org.jgroups.protocols.BasicTCP tcp) {
                assertThat(tcp.tcpNodelay()).as("%s", mode).isTrue();
            } else {
                assertThat(transport).as("%s", mode).isInstanceOf(org.jgroups.protocols.TUNNEL.class);
                assertThat(((org.jgroups.protocols.TUNNEL) transport).isTcpNodelay()).isTrue();
            }
        }
    }
}
