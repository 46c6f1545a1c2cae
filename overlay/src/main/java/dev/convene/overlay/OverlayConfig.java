package dev.convene.overlay;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How an {@link Overlay} joins the network. Built with {@link #builder(String)}; every field has a
 * sensible default for {@link NetworkMode#LOCAL}.
 *
 * @param name this peer's display name
 * @param home the home directory (identity, known peers), or null for a peer that keeps nothing on disk
 * @param mode the discovery mode
 * @param bindAddress the address to bind to; {@code 127.0.0.1} unless the user chose another
 * @param port the first port to try ({@code local}, {@code seeds}: TCP; {@code lan}: multicast port)
 * @param portRange how many ports from {@code port} peers on one host may take and discovery probes
 * @param seeds {@code seeds} mode: the addresses to probe
 * @param routers {@code relay} mode: the GossipRouters
 * @param multicastTtl {@code lan} mode: multicast TTL (0 keeps packets on this host)
 * @param cluster the group name; peers with different names never see each other
 * @param maxFrameBytes the largest frame sent or accepted
 * @param timings failure-detection and membership timings
 * @param clock the clock for advertisements (tests inject one)
 * @param maxFramesPerSecond per sending peer: frames above this rate (with an equal burst) are dropped and
 *     counted as {@link DropReason#RATE_LIMITED}
 * @param maxQueuedFrames frames waiting for the event thread beyond which new ones are dropped and counted
 *     as {@link DropReason#OVERLOADED}
 * @param transportKey when set, JGroups encrypts what the members send one another with this shared key
 *     (defence in depth beneath Convene's signatures and content encryption; see {@link TransportKey}); null
 *     (the default) leaves the transport as it is
 * @param stack adjusts the JGroups stack before the channel is created ({@link StackCustomizer#NONE} by default)
 */
public record OverlayConfig(String name, Path home, NetworkMode mode, String bindAddress, int port, int portRange,
                            List<HostPort> seeds, List<HostPort> routers, int multicastTtl, String cluster,
                            int maxFrameBytes, Timings timings, Clock clock, int maxFramesPerSecond,
                            int maxQueuedFrames, TransportKey transportKey, StackCustomizer stack) {
    /** Default per-peer frame rate. */
    public static final int DEFAULT_MAX_FRAMES_PER_SECOND = 20_000;
    /** Default bound of the incoming frame queue. */
    public static final int DEFAULT_MAX_QUEUED_FRAMES = 50_000;
    /** Default first port of {@code local} and {@code seeds} mode. */
    public static final int DEFAULT_PORT = 7800;
    /** Default port range of {@code local} mode: that many peers per machine. */
    public static final int DEFAULT_PORT_RANGE = 16;
    /** Default router port. */
    public static final int DEFAULT_ROUTER_PORT = 12001;
    /** Default frame cap: 1 MiB. */
    public static final int DEFAULT_MAX_FRAME = 1 << 20;

    /**
     * Checks the components.
     *
     * @param name this peer's display name
     * @param home the home directory (identity, known peers), or null for a peer that keeps nothing on disk
     * @param mode the discovery mode
     * @param bindAddress the address to bind to; {@code 127.0.0.1} unless the user chose another
     * @param port the first port to try ({@code local}, {@code seeds}: TCP; {@code lan}: multicast port)
     * @param portRange how many ports from {@code port} peers on one host may take and discovery probes
     * @param seeds {@code seeds} mode: the addresses to probe
     * @param routers {@code relay} mode: the GossipRouters
     * @param multicastTtl {@code lan} mode: multicast TTL (0 keeps packets on this host)
     * @param cluster the group name; peers with different names never see each other
     * @param maxFrameBytes the largest frame sent or accepted
     * @param timings failure-detection and membership timings
     * @param clock the clock for advertisements (tests inject one)
     * @param maxFramesPerSecond per sending peer: frames above this rate (with an equal burst) are dropped and
     *         counted as {@link DropReason#RATE_LIMITED}
     * @param maxQueuedFrames frames waiting for the event thread beyond which new ones are dropped and counted
     *         as {@link DropReason#OVERLOADED}
     * @param transportKey when set, JGroups encrypts what the members send one another with this shared key
     *         (defence in depth beneath Convene's signatures and content encryption; see {@link TransportKey}); null
     *         (the default) leaves the transport as it is
     * @param stack adjusts the JGroups stack before the channel is created ({@link StackCustomizer#NONE} by default)
     */
    public OverlayConfig {
        name = PeerAdvertisement.checkName(name);
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(timings, "timings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(stack, "stack");
        seeds = List.copyOf(seeds);
        routers = List.copyOf(routers);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        if (portRange < 0 || portRange > 1000) throw new IllegalArgumentException("portRange: " + portRange + " (expected: 0-1000)");
        if (maxFrameBytes < 4096 || maxFrameBytes > (64 << 20)) {
            throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: 4096 - 64 MiB)");
        }
        if (mode == NetworkMode.SEEDS && seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds mode needs at least one --seed HOST:PORT (any peer already in the group)");
        }
        if (mode == NetworkMode.RELAY && routers.isEmpty()) {
            throw new IllegalArgumentException("relay mode needs at least one --router HOST:PORT (start one with 'convene router')");
        }
        if (maxFramesPerSecond < 1) throw new IllegalArgumentException("maxFramesPerSecond: " + maxFramesPerSecond + " (expected: > 0)");
        if (maxQueuedFrames < 1) throw new IllegalArgumentException("maxQueuedFrames: " + maxQueuedFrames + " (expected: > 0)");
        if (multicastTtl < 0 || multicastTtl > 255) throw new IllegalArgumentException("multicastTtl: " + multicastTtl + " (expected: 0-255)");
    }

    /**
     * A builder with the defaults of {@code local} mode.
     *
     * @param name this peer's display name
     * @return a builder with the defaults of {@code local} mode
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * A builder holding this config's values.
     *
     * @return a builder holding this config's values
     */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.home = home;
        b.mode = mode;
        b.bindAddress = bindAddress;
        b.port = port;
        b.portRange = portRange;
        b.seeds.addAll(seeds);
        b.routers.addAll(routers);
        b.multicastTtl = multicastTtl;
        b.cluster = cluster;
        b.maxFrameBytes = maxFrameBytes;
        b.timings = timings;
        b.clock = clock;
        b.maxFramesPerSecond = maxFramesPerSecond;
        b.maxQueuedFrames = maxQueuedFrames;
        b.transportKey = transportKey;
        b.stack = stack;
        return b;
    }

    /**
     * Membership timings. The defaults are tuned for interactive use (JGroups' shipped values take many
     * seconds): join in well under a second, a crashed peer removed in about a second, a hung one in about
     * seven, split groups merged within a few seconds of healing.
     *
     * @param joinTimeout GMS.join_timeout: how long a starting peer looks for a coordinator
     * @param heartbeatInterval FD_ALL3.interval
     * @param heartbeatTimeout FD_ALL3.timeout: a peer silent this long is suspected
     * @param verifySuspect VERIFY_SUSPECT2.timeout
     * @param mergeMin MERGE3.min_interval
     * @param mergeMax MERGE3.max_interval
     */
    public record Timings(Duration joinTimeout, Duration heartbeatInterval, Duration heartbeatTimeout,
                          Duration verifySuspect, Duration mergeMin, Duration mergeMax) {
        /** The interactive defaults. */
        public static final Timings DEFAULT = new Timings(Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(6),
                Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(5));

        /**
         * Checks the components.
         *
         * @param joinTimeout GMS.join_timeout: how long a starting peer looks for a coordinator
         * @param heartbeatInterval FD_ALL3.interval
         * @param heartbeatTimeout FD_ALL3.timeout: a peer silent this long is suspected
         * @param verifySuspect VERIFY_SUSPECT2.timeout
         * @param mergeMin MERGE3.min_interval
         * @param mergeMax MERGE3.max_interval
         */
        public Timings {
            for (Duration d : List.of(joinTimeout, heartbeatInterval, heartbeatTimeout, verifySuspect, mergeMin, mergeMax)) {
                if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("timings: " + d + " (expected: > 0)");
            }
            if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
                throw new IllegalArgumentException("heartbeatTimeout: " + heartbeatTimeout + " (expected: > heartbeatInterval " + heartbeatInterval + ")");
            }
            if (mergeMax.compareTo(mergeMin) <= 0) {
                throw new IllegalArgumentException("mergeMax: " + mergeMax + " (expected: > mergeMin " + mergeMin + ")");
            }
        }
    }

    /** Builds an {@link OverlayConfig}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private Path home;
        private NetworkMode mode = NetworkMode.LOCAL;
        private String bindAddress = "127.0.0.1";
        private int port = -1;
        private int portRange = DEFAULT_PORT_RANGE;
        private final List<HostPort> seeds = new ArrayList<>();
        private final List<HostPort> routers = new ArrayList<>();
        private int multicastTtl = -1;
        private String cluster = "convene";
        private int maxFrameBytes = DEFAULT_MAX_FRAME;
        private Timings timings = Timings.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private int maxFramesPerSecond = DEFAULT_MAX_FRAMES_PER_SECOND;
        private int maxQueuedFrames = DEFAULT_MAX_QUEUED_FRAMES;
        private TransportKey transportKey;
        private StackCustomizer stack = StackCustomizer.NONE;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * The home directory (identity, known peers), or null to keep nothing on disk.
         *
         * @param home the directory
         * @return this builder
         */
        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        /**
         * The discovery mode (default {@code local}).
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder mode(NetworkMode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * The address to bind to (default {@code 127.0.0.1}).
         *
         * @param bindAddress the address
         * @return this builder
         */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        /**
         * The first port to try.
         *
         * @param port the port
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * How many ports from the first one peers on one host may take and discovery probes.
         *
         * @param portRange the number of ports
         * @return this builder
         */
        public Builder portRange(int portRange) {
            this.portRange = portRange;
            return this;
        }

        /**
         * Adds a seed address ({@code seeds} mode).
         *
         * @param seed the address
         * @return this builder
         */
        public Builder seed(HostPort seed) {
            seeds.add(seed);
            return this;
        }

        /**
         * Adds seed addresses ({@code seeds} mode).
         *
         * @param all the addresses
         * @return this builder
         */
        public Builder seeds(List<HostPort> all) {
            seeds.addAll(all);
            return this;
        }

        /**
         * Adds a GossipRouter ({@code relay} mode).
         *
         * @param router the router's address
         * @return this builder
         */
        public Builder router(HostPort router) {
            routers.add(router);
            return this;
        }

        /**
         * Adds GossipRouters ({@code relay} mode).
         *
         * @param all the routers' addresses
         * @return this builder
         */
        public Builder routers(List<HostPort> all) {
            routers.addAll(all);
            return this;
        }

        /**
         * The multicast TTL ({@code lan} mode; 0 keeps packets on this host).
         *
         * @param ttl the TTL
         * @return this builder
         */
        public Builder multicastTtl(int ttl) {
            this.multicastTtl = ttl;
            return this;
        }

        /**
         * The group name; peers with different names never see each other.
         *
         * @param cluster the name
         * @return this builder
         */
        public Builder cluster(String cluster) {
            this.cluster = cluster;
            return this;
        }

        /**
         * The largest frame sent or accepted.
         *
         * @param maxFrameBytes the size in bytes
         * @return this builder
         */
        public Builder maxFrameBytes(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /**
         * Failure-detection and membership timings.
         *
         * @param timings the timings
         * @return this builder
         */
        public Builder timings(Timings timings) {
            this.timings = timings;
            return this;
        }

        /**
         * The clock for advertisements (tests inject one).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Frames per second accepted from one sending peer (with an equal burst); more are dropped and counted.
         *
         * @param rate frames per second
         * @return this builder
         */
        public Builder maxFramesPerSecond(int rate) {
            this.maxFramesPerSecond = rate;
            return this;
        }

        /**
         * Frames waiting for the event thread beyond which new ones are dropped and counted.
         *
         * @param frames the bound
         * @return this builder
         */
        public Builder maxQueuedFrames(int frames) {
            this.maxQueuedFrames = frames;
            return this;
        }

        /**
         * Turns on transport encryption (JGroups {@code SYM_ENCRYPT}) with a key every peer of the group shares,
         * or off with null (the default). Peers with another key, or none, cannot join the group. Meant for
         * {@code lan}, {@code seeds} and {@code relay} mode, where packets cross a network; see {@link TransportKey}
         * for what it does and does not protect.
         *
         * @param key the shared key, or null
         * @return this builder
         */
        public Builder transportKey(TransportKey key) {
            this.transportKey = key;
            return this;
        }

        /**
         * Adjusts the JGroups stack before the channel is created (discovery, thread pools, timeouts).
         *
         * @param customizer the adjustment; {@link StackCustomizer#NONE} leaves the stack as Convene writes it
         * @return this builder
         */
        public Builder stack(StackCustomizer customizer) {
            this.stack = java.util.Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * The configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException if a value is out of bounds
         */
        public OverlayConfig build() {
            int p = port >= 0 ? port : (mode == NetworkMode.LAN ? 45600 : DEFAULT_PORT);
            // Multicast never leaves this host when bound to loopback; a LAN needs at least one hop.
            int ttl = multicastTtl >= 0 ? multicastTtl : (bindAddress.startsWith("127.") ? 0 : 1);
            return new OverlayConfig(name, home, mode, bindAddress, p, portRange, seeds, routers, ttl, cluster,
                    maxFrameBytes, timings, clock, maxFramesPerSecond, maxQueuedFrames, transportKey, stack);
        }
    }
}
