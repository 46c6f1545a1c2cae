package dev.convene.cli;

import dev.convene.overlay.OverlayListener;
import dev.convene.overlay.PeerAdvertisement;

/**
 * Turns the overlay's presence callbacks into {@code peer-joined} / {@code peer-left} events, through the
 * session's {@link EventGate} (held back until {@code ready}); a view change without an event still wakes
 * waiting commands.
 *
 * <p>Callbacks run on the overlay's event thread; they never block beyond writing one line.
 */
final class Presence implements OverlayListener {
    private final EventGate gate;

    Presence(EventGate gate) {
        this.gate = gate;
    }

    @Override
    public void peerJoined(PeerAdvertisement peer) {
        gate.publish(Event.PeerJoined.of(peer));
    }

    @Override
    public void peerLeft(PeerAdvertisement peer) {
        gate.publish(Event.PeerLeft.of(peer));
    }

    @Override
    public void viewChanged(int members) {
        gate.changed();
    }
}
