package dev.convene.cli;

import dev.convene.overlay.OverlayListener;
import dev.convene.overlay.PeerAdvertisement;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the overlay's presence callbacks into {@code peer-joined} / {@code peer-left} events. Holds them
 * back until {@link #open()}, so that {@code ready} is always the first line, then emits as they come.
 * Every change also runs {@code onChange}, which wakes waiting commands.
 *
 * <p>Callbacks run on the overlay's event thread; they never block beyond writing one line.
 */
final class Presence implements OverlayListener {
    private final EventWriter out;
    private final Runnable onChange;
    private List<Event> held = new ArrayList<>();

    Presence(EventWriter out, Runnable onChange) {
        this.out = out;
        this.onChange = onChange;
    }

    /** Emits what was held back and everything after it. */
    synchronized void open() {
        held.forEach(out::emit);
        held = null;
    }

    @Override
    public void peerJoined(PeerAdvertisement peer) {
        publish(Event.PeerJoined.of(peer));
    }

    @Override
    public void peerLeft(PeerAdvertisement peer) {
        publish(Event.PeerLeft.of(peer));
    }

    @Override
    public void viewChanged(int members) {
        onChange.run();
    }

    private void publish(Event event) {
        synchronized (this) {
            if (held != null) {
                held.add(event);
            } else {
                out.emit(event);
            }
        }
        onChange.run();
    }
}
