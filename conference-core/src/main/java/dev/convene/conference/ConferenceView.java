package dev.convene.conference;

import dev.convene.overlay.PeerId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of one conference as this peer knows it. Immutable.
 *
 * @param context the newest verified context
 * @param state the lifecycle state by this peer's clock
 * @param invitees everyone invited (by the organiser or, where allowed, by participants)
 * @param answers each peer's latest answer, with its reason
 * @param participants the organiser (unless it left) and every invitee whose latest answer is accept
 * @param myRole this peer's relation to the conference (a co-organiser's is its answer's: see {@code coOrganisers})
 * @param coOrganisers the members the organiser granted the organiser role (and did not revoke)
 */
public record ConferenceView(ConferenceContext context, ConferenceState state, Set<PeerId> invitees,
                             Map<PeerId, Reply> answers, Set<PeerId> participants, Role myRole, Set<PeerId> coOrganisers) {
    public ConferenceView {
        invitees = Set.copyOf(invitees);
        answers = Map.copyOf(answers);
        participants = Set.copyOf(participants);
        coOrganisers = Set.copyOf(coOrganisers);
    }

    /** A view of a conference without co-organisers. */
    public ConferenceView(ConferenceContext context, ConferenceState state, Set<PeerId> invitees, Map<PeerId, Reply> answers,
                          Set<PeerId> participants, Role myRole) {
        this(context, state, invitees, answers, participants, myRole, Set.of());
    }

    /** An answer and its optional reason. */
    public record Reply(Answer answer, String reason) {
    }

    /** This peer's relation to a conference. */
    public enum Role {
        ORGANISER, PARTICIPANT, INVITED, DECLINED, LEFT, REMOVED
    }

    public ConferenceId id() {
        return context.id();
    }

    public String title() {
        return context.title();
    }

    /** This peer's latest answer, if any. */
    public Optional<Reply> answerOf(PeerId peer) {
        return Optional.ofNullable(answers.get(peer));
    }
}
