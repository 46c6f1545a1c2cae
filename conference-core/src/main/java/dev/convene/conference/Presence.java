package dev.convene.conference;

import dev.convene.overlay.Overlay;
import dev.convene.overlay.OverlayListener;
import dev.convene.overlay.PeerAdvertisement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The facade's own overlay listener: it knows the overlay's event thread (every event, tick and wrapped
 * listener marks it) and completes presence waits ({@link ConferencePeer#awaitOnline}) on presence events,
 * without polling. The waiters are touched on the event thread only.
 */
final class Presence implements OverlayListener {
    private volatile Thread eventThread;
    private volatile Overlay overlay;
    private final List<Waiter<?>> waiters = new ArrayList<>();

    /** A wait: {@code condition} maps the online peers to a result once satisfied. */
    record Waiter<T>(Function<List<PeerAdvertisement>, Optional<T>> condition, CompletableFuture<T> future) {
        boolean test(List<PeerAdvertisement> online) {
            if (future.isDone()) return true;
            Optional<T> r = condition.apply(online);
            r.ifPresent(future::complete);
            return r.isPresent();
        }
    }

    void attach(Overlay o) {
        overlay = o;
        o.eventExecutor().execute(this::mark);
    }

    /** Called on the event thread: remembers it. */
    void mark() {
        eventThread = Thread.currentThread();
    }

    boolean onEventThread() {
        Thread t = eventThread;
        return t != null && Thread.currentThread() == t;
    }

    String eventThreadName() {
        Thread t = eventThread;
        return t == null ? "?" : t.getName();
    }

    /** Registers a wait; run on the event thread. Completes it at once if already satisfied. */
    <T> void register(Waiter<T> w) {
        mark();
        waiters.removeIf(x -> x.future().isDone());
        if (!w.test(overlay.directory().online())) waiters.add(w);
    }

    @Override
    public void peerJoined(PeerAdvertisement peer) {
        mark();
        if (waiters.isEmpty()) return;
        List<PeerAdvertisement> online = overlay.directory().online();
        waiters.removeIf(w -> w.test(online));
    }

    @Override
    public void peerLeft(PeerAdvertisement peer) {
        mark();
    }

    @Override
    public void viewChanged(int members) {
        mark();
    }

    /** Wraps an application's listener so that its calls mark the event thread first. */
    OverlayListener marking(OverlayListener l) {
        return new OverlayListener() {
            @Override
            public void peerJoined(PeerAdvertisement peer) {
                mark();
                l.peerJoined(peer);
            }

            @Override
            public void peerLeft(PeerAdvertisement peer) {
                mark();
                l.peerLeft(peer);
            }

            @Override
            public void peerSuspected(PeerAdvertisement peer) {
                mark();
                l.peerSuspected(peer);
            }

            @Override
            public void viewChanged(int members) {
                mark();
                l.viewChanged(members);
            }

            @Override
            public void peerNameConflict(PeerAdvertisement newcomer, PeerAdvertisement known) {
                mark();
                l.peerNameConflict(newcomer, known);
            }

            @Override
            public String toString() {
                return l.toString();
            }
        };
    }
}
