package dev.convene.conference;

/**
 * A read or write on a broken {@link ConferenceStream}; {@link #reason()} says why.
 */
public class StreamIOException extends java.io.IOException {
    private static final long serialVersionUID = 1L;
    /** Why the stream broke. */
    private final StreamException.Reason reason;

    /**
     * A failed read or write.
     *
     * @param reason why the stream broke
     */
    public StreamIOException(StreamException.Reason reason) {
        super("stream broken: " + reason);
        this.reason = reason;
    }

    /**
     * Why the stream broke.
     *
     * @return the reason
     */
    public StreamException.Reason reason() {
        return reason;
    }
}
