package dev.convene.overlay.internal;

import dev.convene.overlay.HostPort;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.wire.FrameCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.stack.IpAddress;
import org.jgroups.util.UUID;

/** How a peer is reached, and how its transport address is named in signatures. Stateless. */
final class Endpoints {
    private Endpoints() {
    }

    /**
     * What other peers reach this one at, as shown in its advertisement. Only TCP and UDP have a real
     * listening address: SHARED_LOOPBACK reports a fake {@code 127.0.0.1:1} for every member, and TUNNEL's
     * physical address is a datagram socket nobody sends to (all traffic goes through the routers), so
     * those modes say how the peer is really reached. Kept short: the advertisement codec reads at most
     * {@link OverlayMessages#MAX_ENDPOINT} bytes.
     */
    static String describe(OverlayConfig config, JChannel ch) {
        String described = switch (config.mode()) {
            case MEMORY -> "memory:" + ch.getName();
            case RELAY -> "relay:" + config.routers().stream().map(HostPort::toString)
                    .collect(java.util.stream.Collectors.joining(","));
            case LOCAL, SEEDS, LAN -> {
                Object phys = ch.down(new Event(Event.GET_PHYSICAL_ADDRESS, ch.getAddress()));
                yield phys instanceof IpAddress ip && ip.getIpAddress() != null
                        ? ip.getIpAddress().getHostAddress() + ":" + ip.getPort() : String.valueOf(ch.getAddress());
            }
        };
        return OverlayMessages.fitEndpoint(described);
    }

    /** A start failure in words a person can act on. */
    static String startFailure(OverlayConfig config, Exception e) {
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (what.contains("Cannot assign requested address") || what.contains("unknown") || what.contains("UnknownHost")) {
            return "cannot bind to " + config.bindAddress() + ": it is not an address of this machine; choose one with --bind";
        }
        if (what.contains("BindException") || what.contains("Address already in use") || what.contains("no port available")
                || e instanceof java.net.BindException) {
            return "cannot listen on " + config.bindAddress() + " ports " + config.port() + "-" + (config.port() + config.portRange())
                    + " (all in use or not allowed: " + what + "): choose another with --port, or stop other peers";
        }
        return "cannot start the " + config.mode().cliName() + " network stack: " + what + "; check --bind, --port and --network";
    }

    /** The 16-byte tag of a transport address that signed frames are signed over. */
    static byte[] tag(Address address) {
        ByteBuffer b = ByteBuffer.allocate(FrameCodec.TAG_LENGTH);
        if (address instanceof UUID u) {
            b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        } else {
            byte[] s = String.valueOf(address).getBytes(StandardCharsets.UTF_8);
            b.put(com.google.common.hash.Hashing.sha256().hashBytes(s).asBytes(), 0, FrameCodec.TAG_LENGTH);
        }
        return b.array();
    }
}
