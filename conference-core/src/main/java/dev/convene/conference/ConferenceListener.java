package dev.convene.conference;

import dev.convene.overlay.PeerId;

/**
 * Conference events. Every method has an empty default.
 *
 * <p>Threading: the callbacks of one {@link ConferencePeer} run one at a time, in the order the events
 * happened, on its callback thread ({@code convene-<name>-callbacks}), never on a JGroups thread and never
 * on the thread that changes conference state, so a slow listener delays only later callbacks. Calling
 * the peer's methods from a callback is allowed, and so is waiting on the futures they return (including
 * {@link Post#acknowledged()}); an exception thrown by a callback is logged and does not stop later ones.
 */
public interface ConferenceListener {
    /**
     * This peer was invited (also for an invitation delivered late, after coming online).
     *
     * @param conference the conference as now known
     * @param inviter who sent the invitation
     */
    default void invitation(ConferenceView conference, PeerId inviter) {
    }

    /**
     * A peer answered (or changed its answer).
     *
     * @param conference the conference as now known
     * @param from who answered
     * @param answer the answer
     * @param reason its reason, may be empty
     */
    default void reply(ConferenceView conference, PeerId from, Answer answer, String reason) {
    }

    /**
     * The conference went LIVE by this peer's clock.
     *
     * @param conference the conference as now known
     */
    default void started(ConferenceView conference) {
    }

    /**
     * The schedule in effect changed: an organiser (this peer, the original organiser or a co-organiser) changed the
     * start or the duration, or concurrent changes were resolved differently now that more records are known. The
     * context inside each view carries the schedule in effect; a state change it causes ({@link #started},
     * {@link #ended}) is heard after this.
     *
     * @param before the conference as known before the change
     * @param after the conference with the schedule now in effect
     */
    default void rescheduled(ConferenceView before, ConferenceView after) {
    }

    /**
     * The conference ended (by schedule or by the organiser) or was cancelled.
     *
     * @param conference the conference as now known
     */
    default void ended(ConferenceView conference) {
    }

    /**
     * A chat message arrived or was posted here; delivered once per message, FIFO per author.
     *
     * @param message the message
     */
    default void message(ChatEntry message) {
    }

    /**
     * An own message that was pending is now acknowledged: at least one other participant confirmed it stored it
     * (durably, in its own store), so it reaches everyone else through that peer even if this one goes away.
     * Fires once per message, after {@link #message} for it, when the {@code Post}'s future completes.
     *
     * @param message the acknowledged message
     */
    default void delivered(ChatEntry message) {
    }

    /**
     * An own message is now stored by every other current participant (each confirmed storing it), as
     * {@link Post#storedByAll()} says. Fires once per message, after {@link #delivered} for it, only for messages
     * posted since this peer started.
     *
     * @param message the message
     */
    default void deliveredToAll(ChatEntry message) {
    }

    /**
     * A message already shown (through {@link #message}) is taken out of the history again: a record heard later
     * makes it invalid (its author had been removed before it was posted, by a removal this peer had not heard of
     * yet, or it was sent under an epoch's key that lost a conflict). Every participant ends with the same history;
     * this one now no longer holds it. An own message taken out also fails its {@code Post}'s future. Fires at
     * most once per message, after {@link #message} for it; a message put back later (its removal lost a conflict)
     * is told through {@link #message} again.
     *
     * @param message the message as it was shown
     * @param reason why, in words for logs: {@code invalid by membership} or {@code unreadable}
     */
    default void retracted(ChatEntry message, String reason) {
    }

    /**
     * A peer became a participant (accepted) or a participant came online.
     *
     * @param conference the conference as now known
     * @param peer the participant
     * @param reason {@code accepted} or {@code online}
     */
    default void participantJoined(ConferenceView conference, PeerId peer, String reason) {
    }

    /**
     * A participant declined or left, was removed, or went offline.
     *
     * @param conference the conference as now known
     * @param peer the participant
     * @param reason why: the answer's label (such as {@code declined} or {@code left}), {@code removed} or {@code offline}
     */
    default void participantLeft(ConferenceView conference, PeerId peer, String reason) {
    }

    /**
     * A file was offered in a conference ({@link ConferencePeer#share}, by this peer or another participant):
     * once per offer as it is delivered, in each sharer's order (offers restored from the store at start are not
     * told again; {@link ConferencePeer#files} lists them all). An offer with an unsafe name or out of bounds is
     * never told (counted in {@link FileStats#offersRefused()}).
     *
     * @param offer the offer
     */
    default void fileOffered(FileOffer offer) {
    }
}
