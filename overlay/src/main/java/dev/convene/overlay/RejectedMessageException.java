package dev.convene.overlay;

/** Thrown by a {@link MessageHandler} to refuse a message; the overlay counts it and logs the reason at debug. */
public final class RejectedMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A refusal.
     *
     * @param reason why, for the debug log
     */
    public RejectedMessageException(String reason) {
        super(reason, null, false, false);
    }
}
