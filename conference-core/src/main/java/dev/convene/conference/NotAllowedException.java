package dev.convene.conference;

import java.util.Optional;

/** This peer may not do the operation; {@link #rule()} says which rule refused it. */
public final class NotAllowedException extends ConferenceException {
    private static final long serialVersionUID = 1L;

    /** The rule that refused an operation. */
    public enum Rule {
        /** Only the organiser may do this (end, remove; invite unless participants may invite). */
        ORGANISER_ONLY,
        /** Only the organiser or a participant may invite to this conference. */
        ORGANISER_OR_PARTICIPANT_ONLY,
        /** This peer is not invited to the conference. */
        NOT_INVITED,
        /** This peer has not accepted: only participants may chat. */
        NOT_PARTICIPANT,
        /** This peer's invitation (with the conference key) has not arrived yet. */
        INVITATION_NOT_ARRIVED,
        /** This peer holds no key for the conference's current epoch yet. */
        NO_KEY,
        /** The organiser cannot decline its own conference (it may leave or end it). */
        ORGANISER_CANNOT_DECLINE,
        /** The organiser cannot remove itself (it may end the conference). */
        ORGANISER_CANNOT_REMOVE_ITSELF,
        /** A peer cannot invite itself. */
        CANNOT_INVITE_ITSELF,
        /** A peer cannot ban itself. */
        CANNOT_BAN_ITSELF,
        /** Only the organiser or a co-organiser may do this (end; invite unless participants may invite). */
        ORGANISERS_ONLY,
        /** The conference key was rotated and this peer's new key has not arrived yet: nothing is sent under the old one. */
        KEY_ROTATION_PENDING,
        /** The organiser holds the organiser role already: it cannot grant or revoke its own. */
        ORGANISER_ROLE_OF_ITSELF,
        /** Only a message's author may edit or delete it. */
        AUTHOR_ONLY,
        /**
         * The message cannot be edited or deleted: not a chat message shown here, deleted already, edited the most
         * times allowed, or (delete) older than its author's last {@code 256} messages.
         */
        MESSAGE_NOT_EDITABLE
    }

    /** @serial the conference, or null. */
    private final ConferenceId conference;
    /** @serial the rule. */
    private final Rule rule;

    /**
     * A refusal by rule.
     *
     * @param conference the conference concerned, or null if none (a ban, a conference not yet created)
     * @param rule the rule that refused
     */
    public NotAllowedException(ConferenceId conference, Rule rule) {
        super("not allowed: " + rule + (conference == null ? "" : " in conference " + conference.shortId()));
        this.conference = conference;
        this.rule = rule;
    }

    /**
     * The conference concerned.
     *
     * @return its id, empty for an operation outside a conference
     */
    public Optional<ConferenceId> conference() {
        return Optional.ofNullable(conference);
    }

    /**
     * The rule that refused.
     *
     * @return the rule
     */
    public Rule rule() {
        return rule;
    }
}
