package dev.convene.overlay;

import java.util.Locale;

/**
 * How a peer finds the others. Each mode is a JGroups stack built by the overlay; see docs/NETWORKS.md.
 */
public enum NetworkMode {
    /** Peers on this machine: TCP bound to 127.0.0.1, TCPPING over a small port range. The default. */
    LOCAL,
    /** A local network: UDP multicast on an interface the user names. */
    LAN,
    /** Known addresses across networks: TCP with TCPPING over a list of seeds. */
    SEEDS,
    /** Peers behind NAT: TUNNEL through one or more {@code convene router} processes. */
    RELAY,
    /** In one JVM: SHARED_LOOPBACK, for embedding tests, the demo and the benchmark. */
    MEMORY;

    /**
     * Parses a mode name case-insensitively, with an error that lists the valid names.
     *
     * @param text the name, any case
     * @return the mode
     */
    public static NetworkMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("network mode: '" + text + "' (expected: local, lan, seeds, relay or memory)");
        }
    }

    /**
     * The lower-case name used on the command line.
     *
     * @return the lower-case name used on the command line
     */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
