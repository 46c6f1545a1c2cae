package dev.convene.conference;

/**
 * An event that cannot be published because it breaks a limit of its type, or its type is not registered here.
 */
public final class EventLimitException extends ConferenceException {
    private static final long serialVersionUID = 1L;

    /** Which limit. */
    public enum Limit {
        /** The encoded value is larger than {@link EventType#maxBytes()}. */
        SIZE,
        /** More than {@link EventType#perSecond()} events of the type in a second. */
        RATE,
        /** The type (name and version) is not registered on this peer. */
        UNREGISTERED
    }

    /** The type's key, {@code name/version}. */
    private final String type;
    /** The limit broken. */
    private final Limit limit;
    /** The limit's value. */
    private final long allowed;
    /** The offending value. */
    private final long actual;

    /**
     * Creates the exception.
     *
     * @param type the type's key ({@link EventType#key()})
     * @param limit which limit
     * @param allowed the limit's value (bytes, events per second; 0 for UNREGISTERED)
     * @param actual the offending value (bytes of the value; events in the second; 0 for UNREGISTERED)
     */
    public EventLimitException(String type, Limit limit, long allowed, long actual) {
        super("event " + type + ": " + switch (limit) {
            case SIZE -> "value of " + actual + " bytes, limit " + allowed;
            case RATE -> "more than " + allowed + " a second";
            case UNREGISTERED -> "type not registered";
        });
        this.type = type;
        this.limit = limit;
        this.allowed = allowed;
        this.actual = actual;
    }

    /**
     * The type.
     *
     * @return the type's key, {@code name/version}
     */
    public String type() {
        return type;
    }

    /**
     * The limit broken.
     *
     * @return the limit
     */
    public Limit limit() {
        return limit;
    }

    /**
     * The limit's value.
     *
     * @return bytes (SIZE), events per second (RATE), or 0
     */
    public long allowed() {
        return allowed;
    }

    /**
     * The offending value.
     *
     * @return bytes of the encoded value (SIZE), 0 otherwise
     */
    public long actual() {
        return actual;
    }
}
