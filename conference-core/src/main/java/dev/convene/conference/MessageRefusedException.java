package dev.convene.conference;

/**
 * An own message that was posted (stored here, pending) turned out never to be valid in the conference's history:
 * for example it was posted under a key that lost a concurrent removal, or dated after a removal this peer had not
 * yet heard of. Completes the {@link Post#acknowledged()} future exceptionally; the message is taken out of this
 * peer's history and is never delivered to others.
 */
public final class MessageRefusedException extends ConferenceException {
    private static final long serialVersionUID = 1L;
    /** @serial the message. */
    private final MessageId message;
    /** @serial the conference. */
    private final ConferenceId conference;

    /**
     * A refused own message.
     *
     * @param conference the conference
     * @param message the message's id
     * @param reason why, in plain English for logs
     */
    public MessageRefusedException(ConferenceId conference, MessageId message, String reason) {
        super("message " + message.sequence() + " in conference " + conference.shortId() + " was refused: " + reason);
        this.conference = conference;
        this.message = message;
    }

    /**
     * The conference.
     *
     * @return its id
     */
    public ConferenceId conference() {
        return conference;
    }

    /**
     * The refused message.
     *
     * @return its id
     */
    public MessageId message() {
        return message;
    }
}
