package dev.convene.conference;

import dev.convene.overlay.PeerId;

/** The {@link ConferencePeer} was closed (or crashed): start a new one on the same home to go on. */
public final class PeerClosedException extends ConferenceException {
    private static final long serialVersionUID = 1L;
    /** @serial the closed peer. */
    private final PeerId peer;

    /**
     * A call on a closed peer.
     *
     * @param peer the closed peer's id
     */
    public PeerClosedException(PeerId peer) {
        super("peer " + peer.shortId() + " is closed");
        this.peer = peer;
    }

    /**
     * The closed peer.
     *
     * @return its id
     */
    public PeerId peer() {
        return peer;
    }
}
