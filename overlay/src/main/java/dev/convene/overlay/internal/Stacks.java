package dev.convene.overlay.internal;

import dev.convene.overlay.HostPort;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.TransportKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.ProtocolStackConfigurator;
import org.jgroups.conf.XmlConfigurator;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.stack.Protocol;

/**
 * The JGroups stack of each {@link NetworkMode}, as XML. Written here rather than taken from JGroups'
 * shipped files because those bind to the external interface, leave diagnostics on and use timings of
 * tens of seconds; every value below is chosen on purpose.
 *
 * <p>Rules kept by every stack: the transport binds only to {@code bindAddress}; FD_SOCK2 is given the
 * same address (it would otherwise listen on 0.0.0.0); diagnostics are off; the transport caps the
 * length of anything it reads.
 *
 * <p>With a {@link OverlayConfig#transportKey() transport key}, {@code SYM_ENCRYPT} sits directly above
 * discovery, lower than JGroups' usual place under NAKACK2: then merge, failure-detection and membership
 * messages from a process without the key are dropped too, so it never takes part in the group (not even in
 * a merge attempt). Discovery stays in clear, as it must for a joiner to find the group. The key is never
 * written into the XML: {@link #configurator} hands it to the protocol before it starts.
 */
public final class Stacks {
    /*
     * The send bundler. JGroups' default ("per-destination") keeps, for every member a transport sends to, an
     * output buffer of bundler.max_size (64 KB by default), a queue of bundler.capacity slots (16384) and a drain
     * array (2048): about 136 KiB per destination, allocated at the first send. n peers in one JVM (the memory
     * network, the demo, the bench) hold n^2 of them: 100 peers ran a 1 GiB heap out before their group had formed.
     * Over TCP, JGroups also raises every connection's write buffer to max_size. Smaller bundles and queues make a
     * destination cost about 26 KiB. This bundler drops a message that finds its destination's queue full
     * (whatever drop_when_full says); NAKACK2/UNICAST3 send a reliable one again (every frame of ours is reliable),
     * an unreliable one (NO_RELIABILITY, which only the tests' hostile member sends) is lost (docs/NETWORKS.md,
     * "Large groups"). FRAG4 must cut below the bundle size.
     */
    /** Most bytes JGroups bundles into one send. */
    static final int BUNDLE_BYTES = 16_000;
    /** Messages queued per destination before the bundler drops (and the reliable layers retransmit). */
    static final int BUNDLER_CAPACITY = 2048;
    /** Messages the bundler takes off a queue at once. */
    static final int BUNDLER_DRAIN = 512;
    /** Fragment size: below {@link #BUNDLE_BYTES}, with room for the headers. */
    static final int FRAG_BYTES = 15_000;

    /** Writes that may wait per TCP connection (TCP_NIO2's max_send_buffers; more are dropped and retransmitted). */
    static final int TCP_SEND_BUFFERS = 10;

    /**
     * JGroups pool threads per TCP peer. A peer's messages from one member run on at most one pool thread at a time
     * (JGroups' MaxOneThreadPerSender), so the pool wanted to grow to one thread per member: with JGroups' default
     * {@code thread_pool.increase_max_size_dynamically} a view larger than {@code max_threads} raises it to the view's
     * size + 10, and 100 TCP peers in one JVM held 3 177 pool threads. Bounded here for real (no growth); a task the
     * full pool refuses runs on the thread that read it ({@code rejection_policy="run"}: TCP_NIO2's selector thread),
     * so nothing is dropped and a peer that receives faster than it can process stops reading (TCP pushes back). With
     * JGroups' default policy ("abort") a refused message is dropped: a regular one stays queued behind its sender
     * until that sender's next message, an out-of-band one (heartbeats, discovery, merge announcements) is lost.
     */
    static final int TCP_POOL_THREADS = 16;

    /** Transport-level read cap: our frame cap plus room for JGroups headers and fragmentation. */
    static int transportMaxLength(OverlayConfig c) {
        return c.maxFrameBytes() + (64 << 10);
    }

    private Stacks() {
    }

    /**
     * The stack XML for {@code config}.
     *
     * @param extraHosts known addresses (from the cache of earlier runs) added to TCP discovery
     */
    public static String xml(OverlayConfig config, Collection<HostPort> extraHosts) {
        StringBuilder x = new StringBuilder("<config xmlns=\"urn:org:jgroups\">\n");
        switch (config.mode()) {
            case LOCAL, SEEDS -> tcp(x, config, extraHosts);
            case LAN -> udp(x, config);
            case RELAY -> tunnel(x, config);
            case MEMORY -> memory(x, config);
        }
        upper(x, config, config.mode() == NetworkMode.LOCAL || config.mode() == NetworkMode.SEEDS || config.mode() == NetworkMode.LAN);
        return x.append("</config>\n").toString();
    }

    private static void tcp(StringBuilder x, OverlayConfig c, Collection<HostPort> extraHosts) {
        int range = c.mode() == NetworkMode.LOCAL ? c.portRange() : 0;
        // TCP_NIO2, not TCP: one selector thread per peer reads every connection and hands messages to the bounded
        // thread pool, where TCP keeps a reader thread (and its buffers) per connection. 60 TCP peers in one JVM held
        // 5 482 threads and 630 MiB of heap with TCP; see docs/NETWORKS.md, "Large groups". Read buffers are heap
        // buffers sized to each message (max_length caps it); at most max_send_buffers writes wait per connection.
        x.append("  <TCP_NIO2 bind_addr=\"").append(c.bindAddress()).append("\" bind_port=\"").append(c.port())
                .append("\" port_range=\"").append(Math.max(c.portRange(), 1)).append('"')
                .append(" max_length=\"").append(transportMaxLength(c)).append('"')
                .append(" sock_conn_timeout=\"500\" peer_addr_read_timeout=\"1000\"")
                // Nagle off (JGroups' default is on): a small frame written while the previous one is unacknowledged
                // waited for the receiver's delayed ACK, up to 40 ms on Linux; one chat post in a hundred at 10 peers.
                .append(" tcp_nodelay=\"true\"")
                .append(" use_direct_memory=\"false\" max_send_buffers=\"").append(TCP_SEND_BUFFERS).append('"')
                .append(common(c, TCP_POOL_THREADS))
                .append(" thread_pool.increase_max_size_dynamically=\"false\" thread_pool.rejection_policy=\"run\"")
                .append("/>\n");
        Set<String> hosts = new LinkedHashSet<>();
        if (c.mode() == NetworkMode.LOCAL) {
            hosts.add(c.bindAddress() + "[" + c.port() + "]");
        }
        c.seeds().forEach(s -> hosts.add(s.host() + "[" + s.port() + "]"));
        extraHosts.forEach(h -> hosts.add(h.host() + "[" + h.port() + "]"));
        // return_entire_cache: a seed answers with every member it knows (a joiner knows only the seeds). In local
        // mode every port of the range is asked anyway, so each member answers for itself: over TCP, MERGE3's
        // periodic announcement is this discovery, and every address in every answer is sent an INFO message, so
        // whole caches from the n members of a range cost each announcement n^2 messages (334 000 were queued in a
        // group of 100 TCP peers in one JVM).
        x.append("  <TCPPING initial_hosts=\"").append(String.join(",", hosts)).append("\" port_range=\"").append(range)
                .append("\" async_discovery=\"true\" return_entire_cache=\"").append(c.mode() == NetworkMode.SEEDS)
                .append("\"/>\n");
    }

    private static void udp(StringBuilder x, OverlayConfig c) {
        x.append("  <UDP bind_addr=\"").append(c.bindAddress()).append("\" mcast_addr=\"239.67.78.86\" mcast_port=\"")
                .append(c.port()).append("\" ip_ttl=\"").append(c.multicastTtl()).append('"')
                .append(common(c)).append("/>\n");
        x.append("  <PING/>\n");
    }

    private static void tunnel(StringBuilder x, OverlayConfig c) {
        String routers = c.routers().stream().map(r -> r.host() + "[" + r.port() + "]").collect(Collectors.joining(","));
        x.append("  <TUNNEL bind_addr=\"").append(c.bindAddress()).append("\" gossip_router_hosts=\"").append(routers)
                .append("\" reconnect_interval=\"1000\"")
                // Routers answer heartbeats; without them a router that hangs (or whose host vanishes without
                // a reset) keeps its stub "connected" and sends through it are lost until TCP gives up.
                .append(" heartbeat_interval=\"2000\" heartbeat_timeout=\"7000\"")
                .append(" tcp_nodelay=\"true\"") // as TCP_NIO2's: no frame waits for a delayed ACK
                .append(common(c)).append("/>\n");
        x.append("  <PING/>\n");
    }

    private static void memory(StringBuilder x, OverlayConfig c) {
        x.append("  <SHARED_LOOPBACK").append(common(c)).append("/>\n");
        x.append("  <SHARED_LOOPBACK_PING/>\n");
    }

    private static String common(OverlayConfig c) {
        return common(c, 64);
    }

    private static String common(OverlayConfig c, int poolThreads) {
        // The bundler's sizes: see BUNDLE_BYTES.
        return " diag.enabled=\"false\" thread_naming_pattern=\"l\" thread_pool.min_threads=\"0\""
                + " thread_pool.max_threads=\"" + poolThreads + "\" thread_pool.keep_alive_time=\"30s\""
                + " bundler.max_size=\"" + BUNDLE_BYTES + "\" bundler.capacity=\"" + BUNDLER_CAPACITY + "\""
                + " bundler.remove_queue_capacity=\"" + BUNDLER_DRAIN + "\"";
    }

    private static void upper(StringBuilder x, OverlayConfig c, boolean fdSock) {
        OverlayConfig.Timings t = c.timings();
        if (c.transportKey() != null) {
            // AES-CBC with a fresh IV per message, as JGroups ships it: its Encrypt passes the IV as an
            // IvParameterSpec, which AES-GCM refuses, so there is no authentication at this layer. Integrity
            // comes from the Ed25519 signature on every frame above.
            x.append("  <SYM_ENCRYPT sym_algorithm=\"AES/CBC/PKCS5Padding\" sym_iv_length=\"16\" sym_keylength=\"256\"/>\n");
        }
        x.append("  <MERGE3 min_interval=\"").append(ms(t.mergeMin())).append("\" max_interval=\"").append(ms(t.mergeMax()))
                .append("\"/>\n");
        if (fdSock) {
            // Notices a killed process at once (its socket closes). Bound explicitly: it defaults to 0.0.0.0.
            // port_range: the default (3 ports at bind_port + 100) is too few when peers on one host restart quickly
            // while old sockets linger; a restart then failed with 'cannot listen' although TCP ports were free.
            // offset: its ports start past the transport's range (JGroups' 100 overlapped a range of more than 100 ports,
            // and a peer then found its transport port taken by another's FD_SOCK2).
            x.append("  <FD_SOCK2 bind_addr=\"").append(c.bindAddress()).append("\" offset=\"")
                    .append(Math.max(100, c.portRange() + 1)).append("\" port_range=\"")
                    .append(Math.max(50, c.portRange() * 3)).append("\"/>\n");
        }
        x.append("  <FD_ALL3 timeout=\"").append(ms(t.heartbeatTimeout())).append("\" interval=\"")
                .append(ms(t.heartbeatInterval())).append("\"/>\n");
        x.append("  <VERIFY_SUSPECT2 timeout=\"").append(ms(t.verifySuspect())).append("\"/>\n");
        x.append("  <BARRIER/>\n");
        x.append("  <pbcast.NAKACK2 use_mcast_xmit=\"false\" xmit_interval=\"200\"/>\n");
        x.append("  <UNICAST3 xmit_interval=\"200\"/>\n");
        x.append("  <pbcast.STABLE desired_avg_gossip=\"5000\" max_bytes=\"4M\"/>\n");
        x.append("  <pbcast.GMS print_local_addr=\"false\" join_timeout=\"").append(ms(t.joinTimeout()))
                .append("\" view_ack_collection_timeout=\"1000\" leave_timeout=\"1000\" log_collect_msgs=\"false\"/>\n");
        x.append("  <UFC max_credits=\"4M\" min_threshold=\"0.4\"/>\n");
        x.append("  <MFC max_credits=\"4M\" min_threshold=\"0.4\"/>\n");
        x.append("  <FRAG4 frag_size=\"" + FRAG_BYTES + "\"/>\n");
    }

    /**
     * How a channel is made from {@code xml}: the stack as written, with the transport key (if any) handed to
     * {@code SYM_ENCRYPT} after it is created and before it initialises.
     */
    public static ProtocolStackConfigurator configurator(OverlayConfig config, String xml) throws IOException {
        XmlConfigurator parsed = XmlConfigurator.getInstance(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        TransportKey key = config.transportKey();
        List<ProtocolConfiguration> stack = customized(parsed.getProtocolStack(), config.stack());
        return new ProtocolStackConfigurator() {
            @Override
            public String getProtocolStackString() {
                return parsed.getProtocolStackString();
            }

            @Override
            public List<ProtocolConfiguration> getProtocolStack() {
                return stack;
            }

            @Override
            public void afterCreation(Protocol protocol) {
                if (protocol instanceof SYM_ENCRYPT encrypt && key != null) encrypt.setSecretKey(key.secretKey());
            }
        };
    }

    /** The stack after the configuration's {@link dev.convene.overlay.StackCustomizer} (none: as written). */
    static List<ProtocolConfiguration> customized(List<ProtocolConfiguration> written, dev.convene.overlay.StackCustomizer customizer) {
        if (customizer == dev.convene.overlay.StackCustomizer.NONE) return written;
        List<java.util.Map.Entry<String, java.util.Map<String, String>>> entries = new java.util.ArrayList<>();
        for (ProtocolConfiguration p : written) entries.add(java.util.Map.entry(p.getProtocolName(), p.getProperties()));
        dev.convene.overlay.JGroupsStack stack = new dev.convene.overlay.JGroupsStack(entries);
        customizer.customize(stack);
        List<ProtocolConfiguration> out = new java.util.ArrayList<>();
        for (var e : stack.entries()) out.add(new ProtocolConfiguration(e.getKey(), new java.util.HashMap<>(e.getValue())));
        return out;
    }

    private static String ms(Duration d) {
        return Long.toString(d.toMillis());
    }
}
