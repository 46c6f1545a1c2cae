package dev.convene.conference;

import dev.convene.overlay.PeerId;

/**
 * A stream could not be opened; {@link #reason()} says why.
 */
public class StreamException extends ConferenceException {
    private static final long serialVersionUID = 1L;

    /** Why a stream was refused or broken. */
    public enum Reason {
        /** This peer or the other one is not a current participant of a conference that is not over. */
        NOT_A_PARTICIPANT,
        /** The other peer is not online. */
        PEER_OFFLINE,
        /** The other side has no handler for the protocol. */
        NO_HANDLER,
        /** Too many streams with that peer or in total, at either side. */
        TOO_MANY,
        /** No answer in time, or a write found no credit in time. */
        TIMEOUT,
        /** A frame failed its authentication, order or credit check. */
        PROTOCOL,
        /** The stream or this peer was closed. */
        CLOSED
    }

    /** The other end. */
    private final transient PeerId peer;
    /** Why. */
    private final Reason reason;

    /**
     * A refusal.
     *
     * @param peer the other end
     * @param reason why
     */
    public StreamException(PeerId peer, Reason reason) {
        super("stream with " + peer.shortId() + " refused: " + reason);
        this.peer = peer;
        this.reason = reason;
    }

    /**
     * The other end.
     *
     * @return the other peer
     */
    public PeerId peer() {
        return peer;
    }

    /**
     * Why.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
