package dev.convene.cli.output;

import dev.convene.overlay.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import dev.convene.overlay.OverlayListener;
import dev.convene.overlay.PeerAdvertisement;

/**
 * Turns the overlay's presence callbacks into {@code peer-joined} / {@code peer-left} events, through the
 * session's {@link EventGate} (held back until {@code ready}); a view change without an event still wakes
 * waiting commands.
 *
 * <p>Callbacks run on the overlay's event thread; they never block beyond writing one line.
 */
public final class Presence implements OverlayListener {
    /** How long a relay router may take to accept a connection before it counts as unreachable. */
    static final Duration ROUTER_PROBE = Duration.ofMillis(300);

    private final EventGate gate;
    private final List<HostPort> routers;

    /** @param routers the relay routers of this peer (relay mode), or none */
    public Presence(EventGate gate, List<HostPort> routers) {
        this.gate = gate;
        this.routers = List.copyOf(routers);
    }

    @Override
    public void peerJoined(PeerAdvertisement peer) {
        gate.publish(Event.PeerJoined.of(peer));
    }

    /**
     * A peer left; in relay mode, if no relay router of this peer accepts a connection, it is out of reach
     * rather than gone ({@code reason} {@code routers-unreachable}): losing every router is not "bob left".
     */
    @Override
    public void peerLeft(PeerAdvertisement peer) {
        boolean cutOff = !routers.isEmpty() && routers.stream().noneMatch(Presence::accepts);
        gate.publish(Event.PeerLeft.of(peer, cutOff ? Event.PeerLeft.ROUTERS_UNREACHABLE : null));
    }

    /** Whether a TCP connection to {@code router} succeeds within {@link #ROUTER_PROBE}. */
    static boolean accepts(HostPort router) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(router.host(), router.port()), (int) ROUTER_PROBE.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void viewChanged(int members) {
        gate.changed();
    }
}
