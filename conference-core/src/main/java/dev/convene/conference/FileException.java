package dev.convene.conference;

/**
 * Sharing or fetching a file failed; {@link #reason()} says why, {@link #conference()} and {@link #offer()} which.
 */
public final class FileException extends ConferenceException {
    private static final long serialVersionUID = 1L;

    /** Why a share or fetch failed. */
    public enum Reason {
        /** The peer has no home directory, where shared and fetched files are kept. */
        NO_HOME,
        /** No offer with that id in the conference here. */
        NOT_FOUND,
        /** The file to share is not a readable regular file, or is larger than the bounds allow. */
        NOT_SHAREABLE,
        /**
         * No online participant held a missing chunk for {@link ConferencePeer#FETCH_STALL} (or the builder's
         * {@link ConferencePeer.Builder#fetchStall}); the verified chunks are kept: a later fetch continues.
         */
        NO_SOURCE,
        /** Every chunk matched the offer's chunk hashes but the whole did not match its SHA-256: the offer is false. */
        CORRUPT,
        /** Reading or writing a file failed (the cause says how). */
        IO,
        /** The fetch was stopped: the peer closed. */
        CLOSED
    }

    /** Which conference. */
    private final transient ConferenceId conference;
    /** The offer, if any. */
    private final transient MessageId offer;
    /** @serial why. */
    private final Reason reason;

    /**
     * A failure.
     *
     * @param conference the conference
     * @param offer the offer, or null when sharing
     * @param reason why
     * @param cause the underlying failure, or null
     */
    public FileException(ConferenceId conference, MessageId offer, Reason reason, Throwable cause) {
        super("file " + (offer == null ? "share" : offer.toString()) + " in " + conference + ": " + reason, cause);
        this.conference = conference;
        this.offer = offer;
        this.reason = reason;
    }

    /**
     * The conference.
     *
     * @return the conference
     */
    public ConferenceId conference() {
        return conference;
    }

    /**
     * The offer fetched, or null for a share.
     *
     * @return the offer's id, or null
     */
    public MessageId offer() {
        return offer;
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
