package dev.convene.overlay;

/** The overlay could not do what was asked (start, send); the message says what to do next. */
public class OverlayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OverlayException(String message, Throwable cause) {
        super(message, cause);
    }

    public OverlayException(String message) {
        super(message);
    }
}
