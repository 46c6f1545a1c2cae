package dev.convene.conference;

/** No conference with this id is known to this peer. */
public final class ConferenceNotFoundException extends ConferenceException {
    private static final long serialVersionUID = 1L;
    /** @serial the id asked for. */
    private final ConferenceId conference;

    /**
     * The conference is unknown.
     *
     * @param conference the id asked for
     */
    public ConferenceNotFoundException(ConferenceId conference) {
        super("no conference " + conference.shortId() + " here");
        this.conference = conference;
    }

    /**
     * The id asked for.
     *
     * @return the conference id
     */
    public ConferenceId conference() {
        return conference;
    }
}
