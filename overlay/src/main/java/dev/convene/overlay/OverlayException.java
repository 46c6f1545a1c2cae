package dev.convene.overlay;

/** The overlay could not do what was asked (start, send); the message says what to do next. */
public class OverlayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure with its cause.
     *
     * @param message what happened
     * @param cause the underlying failure
     */
    public OverlayException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A failure.
     *
     * @param message what happened
     */
    public OverlayException(String message) {
        super(message);
    }
}
