package dev.convene.conference;

import java.util.Set;

/**
 * The conference is in a state that does not allow the operation: chat only while {@link ConferenceState#LIVE},
 * invitations, answers, removals and ending only until it is over.
 */
public final class ConferenceStateException extends ConferenceException {
    private static final long serialVersionUID = 1L;
    /** @serial the conference refused. */
    private final ConferenceId conference;
    /** @serial its state. */
    private final ConferenceState state;
    /** @serial the states that allow the operation. */
    private final Set<ConferenceState> required;

    /**
     * A refusal for the conference's state.
     *
     * @param conference the conference
     * @param state its state by this peer's clock
     * @param required the states in which the operation is allowed
     */
    public ConferenceStateException(ConferenceId conference, ConferenceState state, Set<ConferenceState> required) {
        super("conference " + conference.shortId() + " is " + state + " (required: " + (required.isEmpty() ? "[]" : java.util.EnumSet.copyOf(required)) + ")");
        this.conference = conference;
        this.state = state;
        this.required = Set.copyOf(required);
    }

    /**
     * The conference refused.
     *
     * @return its id
     */
    public ConferenceId conference() {
        return conference;
    }

    /**
     * The state it was in.
     *
     * @return the state by this peer's clock
     */
    public ConferenceState state() {
        return state;
    }

    /**
     * The states that would have allowed the operation.
     *
     * @return the allowed states
     */
    public Set<ConferenceState> required() {
        return required;
    }
}
