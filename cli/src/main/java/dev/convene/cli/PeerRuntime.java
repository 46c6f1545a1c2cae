package dev.convene.cli;

import dev.convene.overlay.Identity;
import dev.convene.overlay.Overlay;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.OverlayListener;

/**
 * The running peer behind a session or a demo participant. {@link #start} is the only place the CLI
 * creates an {@link Overlay}: when conference-core's {@code ConferencePeer} arrives (it builds the overlay
 * itself, registering its message types before start), it replaces the body of {@code start} and this
 * class exposes it beside {@link #overlay()}.
 *
 * <p>Thread-safe as the overlay is. Closing leaves the group gracefully.
 */
final class PeerRuntime implements AutoCloseable {
    private final Overlay overlay;

    private PeerRuntime(Overlay overlay) {
        this.overlay = overlay;
    }

    /**
     * Joins the group; returns once this peer is a member.
     *
     * @param listener in place before the first presence event
     * @throws dev.convene.overlay.OverlayException if the network stack cannot start, saying what to do
     */
    static PeerRuntime start(OverlayConfig config, Identity identity, OverlayListener listener) {
        return new PeerRuntime(Overlay.builder(config, identity).listener(listener).start());
    }

    Overlay overlay() {
        return overlay;
    }

    /** Stops as a killed process would (demo and tests of failure). */
    void crash() {
        overlay.crash();
    }

    @Override
    public void close() {
        overlay.close();
    }
}
