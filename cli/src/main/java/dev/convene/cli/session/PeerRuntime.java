package dev.convene.cli.session;

import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferencePeer;
import dev.convene.overlay.Identity;
import dev.convene.overlay.Overlay;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.OverlayListener;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running peer behind a session or a demo participant: a {@link ConferencePeer}, which builds the
 * {@link Overlay} underneath it. {@link #start} is the only place the CLI creates one.
 *
 * <p>Thread-safe as the conference peer is. Closing leaves the group gracefully (after waiting briefly for
 * outstanding chat acknowledgements); closing again does nothing.
 */
public final class PeerRuntime implements AutoCloseable {
    private final ConferencePeer conferences;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PeerRuntime(ConferencePeer conferences) {
        this.conferences = conferences;
    }

    /**
     * Joins the group; returns once this peer is a member. With a home in the config, conferences, replies
     * and chat are kept in {@code HOME/convene.db} and restored here.
     *
     * @param listener presence events, in place before the first one
     * @param conferenceListener conference events, in place before the first one
     * @throws dev.convene.overlay.OverlayException if the network stack cannot start, saying what to do
     * @throws dev.convene.conference.ConferenceException if the store cannot be opened
     */
    public static PeerRuntime start(OverlayConfig config, Identity identity, OverlayListener listener, ConferenceListener conferenceListener) {
        return new PeerRuntime(ConferencePeer.builder(config, identity).overlayListener(listener).listener(conferenceListener).start());
    }

    public Overlay overlay() {
        return conferences.overlay();
    }

    /** The conference facade of this peer. */
    public ConferencePeer conferences() {
        return conferences;
    }

    /** Stops as a killed process would (demo and tests of failure). */
    void crash() {
        if (closed.compareAndSet(false, true)) conferences.crash();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) conferences.close();
    }
}
