package dev.convene.conference;

import dev.convene.overlay.PeerId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of one conference as this peer knows it. Immutable.
 *
 * @param context the newest verified context, with the schedule in effect: its start and duration replaced by the winning
 *     schedule change if an organiser changed them ({@link ConferencePeer#reschedule}); the version is the signed one
 * @param state the lifecycle state by this peer's clock
 * @param invitees everyone invited (by the organiser or, where allowed, by participants)
 * @param answers each peer's latest answer, with its reason
 * @param participants the organiser (unless it left) and every invitee whose latest answer is accept
 * @param myRole this peer's relation to the conference (a co-organiser's is its answer's: see {@code coOrganisers})
 * @param coOrganisers the members the organiser granted the organiser role (and did not revoke)
 */
public record ConferenceView(ConferenceContext context, ConferenceState state, Set<PeerId> invitees,
                             Map<PeerId, Reply> answers, Set<PeerId> participants, Role myRole, Set<PeerId> coOrganisers) {
    /**
     * Copies the collections.
     *
     * @param context the newest verified context
     * @param state the lifecycle state by this peer's clock
     * @param invitees everyone invited (by the organiser or, where allowed, by participants)
     * @param answers each peer's latest answer, with its reason
     * @param participants the organiser (unless it left) and every invitee whose latest answer is accept
     * @param myRole this peer's relation to the conference
     * @param coOrganisers the members the organiser granted the organiser role (and did not revoke)
     */
    public ConferenceView {
        invitees = Set.copyOf(invitees);
        answers = Map.copyOf(answers);
        participants = Set.copyOf(participants);
        coOrganisers = Set.copyOf(coOrganisers);
    }

    /**
     * A view of a conference without co-organisers.
     *
     * @param context the newest verified context
     * @param state the lifecycle state by this peer's clock
     * @param invitees everyone invited
     * @param answers each peer's latest answer, with its reason
     * @param participants the current participants
     * @param myRole this peer's relation to the conference
     */
    public ConferenceView(ConferenceContext context, ConferenceState state, Set<PeerId> invitees, Map<PeerId, Reply> answers,
                          Set<PeerId> participants, Role myRole) {
        this(context, state, invitees, answers, participants, myRole, Set.of());
    }

    /** An answer and its optional reason. */
    public record Reply(Answer answer, String reason) {
    }

    /** This peer's relation to a conference. */
    public enum Role {
        /** This peer created the conference. */
        ORGANISER,
        /** This peer accepted its invitation. */
        PARTICIPANT,
        /** This peer is invited and has not answered. */
        INVITED,
        /** This peer declined. */
        DECLINED,
        /** This peer accepted, then left. */
        LEFT,
        /** The organiser removed this peer. */
        REMOVED
    }

    /**
     * The conference's id.
     *
     * @return the id from the context
     */
    public ConferenceId id() {
        return context.id();
    }

    /**
     * Whether it is a standing room (no fixed end; LIVE until its organiser ends it).
     *
     * @return the context's {@link ConferenceContext#standing()}
     */
    public boolean standing() {
        return context.standing();
    }

    /**
     * The conference's title.
     *
     * @return the title from the context
     */
    public String title() {
        return context.title();
    }

    /**
     * A peer's latest answer, if any.
     *
     * @param peer an invitee
     * @return its latest answer, if any
     */
    public Optional<Reply> answerOf(PeerId peer) {
        return Optional.ofNullable(answers.get(peer));
    }
}
