package dev.convene.conference;

import dev.convene.overlay.PeerId;
import java.util.Optional;

/** The peer an operation names cannot be used for it: unknown here, already a member, or not a member. */
public final class MemberException extends ConferenceException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the peer. */
    public enum Problem {
        /** The peer is not in this peer's directory, so its keys are unknown (it was never seen online). */
        UNKNOWN_PEER,
        /** The peer is already invited to the conference. */
        ALREADY_MEMBER,
        /** The peer is not a member of the conference. */
        NOT_MEMBER,
        /** The peer was removed from the conference; it cannot be invited again or removed twice. */
        REMOVED
    }

    /** @serial the conference, or null. */
    private final ConferenceId conference;
    /** @serial the peer named. */
    private final PeerId peer;
    /** @serial what is wrong. */
    private final Problem problem;

    /**
     * A refusal for a peer.
     *
     * @param conference the conference, or null while creating one
     * @param peer the peer named
     * @param problem what is wrong with it
     */
    public MemberException(ConferenceId conference, PeerId peer, Problem problem) {
        super(problem + ": peer " + peer.shortId() + (conference == null ? "" : " in conference " + conference.shortId()));
        this.conference = conference;
        this.peer = peer;
        this.problem = problem;
    }

    /**
     * The conference concerned.
     *
     * @return its id, empty while creating a conference
     */
    public Optional<ConferenceId> conference() {
        return Optional.ofNullable(conference);
    }

    /**
     * The peer named.
     *
     * @return its id
     */
    public PeerId peer() {
        return peer;
    }

    /**
     * What is wrong with the peer.
     *
     * @return the problem
     */
    public Problem problem() {
        return problem;
    }
}
