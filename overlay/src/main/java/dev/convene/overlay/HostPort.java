package dev.convene.overlay;

import java.util.Objects;

/**
 * A host and a TCP/UDP port, as given with {@code --seed} or {@code --router}.
 *
 * @param host a host name or literal address
 * @param port 1 to 65535
 */
public record HostPort(String host, int port) {
    /**
     * Checks the components.
     *
     * @param host a host name or literal address
     * @param port 1 to 65535
     */
    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) throw new IllegalArgumentException("host: empty (expected: a host name or address)");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }

    /**
     * Parses {@code host:port}.
     *
     * @param text {@code host:port}
     * @return the address
     */
    public static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("address: '" + text + "' (expected: HOST:PORT, e.g. 127.0.0.1:7800)");
        }
        try {
            return new HostPort(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address: '" + text + "' (expected: HOST:PORT with a numeric port)");
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
