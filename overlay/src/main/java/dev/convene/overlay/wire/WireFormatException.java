package dev.convene.overlay.wire;

/** A frame or body that does not follow the wire format. Carries what was expected. */
public final class WireFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A violation of the wire format.
     *
     * @param message what was found and what was expected
     */
    public WireFormatException(String message) {
        super(message, null, false, false);
    }
}
