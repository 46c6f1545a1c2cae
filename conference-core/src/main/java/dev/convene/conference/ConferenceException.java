package dev.convene.conference;

/**
 * An operation of a {@link ConferencePeer} that cannot be done. Each subclass names one kind of refusal and
 * carries its data (ids, states, the offending value), so a caller branches on the type and words the
 * problem itself; the message is a plain English summary for logs, never advice about a user interface.
 *
 * <p>The subclasses:
 * <ul>
 *   <li>{@link ConferenceNotFoundException}: no conference with that id here;</li>
 *   <li>{@link ConferenceLookupException}: a reference (id prefix, title) matches none or several;</li>
 *   <li>{@link ConferenceStateException}: the conference is in the wrong state for the operation;</li>
 *   <li>{@link NotAllowedException}: this peer may not do it (a {@link NotAllowedException.Rule});</li>
 *   <li>{@link MemberException}: the peer named is unknown, already a member or not a member;</li>
 *   <li>{@link InvalidInputException}: a value out of bounds (text too long, too many invitees);</li>
 *   <li>{@link MessageRefusedException}: an own pending message turned out never to be valid;</li>
 *   <li>{@link PeerClosedException}: the peer was closed;</li>
 *   <li>{@link EventThreadException}: a blocking wait on the overlay's event thread, which would deadlock;</li>
 *   <li>{@link HomeLockedException}, {@link HomeOwnerException}, {@link StoreException}: the home directory
 *       is in use, belongs to another identity, or its store failed.</li>
 * </ul>
 */
public class ConferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A refusal without a more specific type.
     *
     * @param message what happened, in one line
     */
    public ConferenceException(String message) {
        super(message);
    }

    /**
     * A refusal caused by another failure.
     *
     * @param message what happened, in one line
     * @param cause the underlying failure
     */
    public ConferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
