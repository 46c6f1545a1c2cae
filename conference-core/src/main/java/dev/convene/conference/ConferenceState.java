package dev.convene.conference;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of a conference: {@code SCHEDULED → LIVE → ENDED}, or {@code CANCELLED} before it starts.
 * Each peer moves a conference to LIVE when the start time arrives by its own clock, and to ENDED when
 * the duration has passed or the organiser ends it.
 */
public enum ConferenceState {
    /** Created; its start time has not come yet by this peer's clock. */
    SCHEDULED,
    /** Started and not over: chat is open. */
    LIVE,
    /** Over: its duration passed or the organiser ended it. */
    ENDED,
    /** Ended by the organiser before it started. */
    CANCELLED;

    private static final Map<ConferenceState, Set<ConferenceState>> ALLOWED = Map.of(
            SCHEDULED, EnumSet.of(LIVE, ENDED, CANCELLED),
            LIVE, EnumSet.of(ENDED),
            ENDED, EnumSet.noneOf(ConferenceState.class),
            CANCELLED, EnumSet.noneOf(ConferenceState.class));

    /**
     * True if a conference in this state may move to {@code next}.
     *
     * @param next the state to move to
     * @return true if a conference in this state may move to {@code next}
     */
    public boolean canMoveTo(ConferenceState next) {
        return ALLOWED.get(this).contains(next);
    }

    /**
     * Checks a transition.
     *
     * @param next the state to move to
     * @return {@code next}
     * @throws IllegalStateException naming both states if the move is not allowed
     */
    public ConferenceState moveTo(ConferenceState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("a conference cannot go from " + this + " to " + next
                    + " (allowed: " + (ALLOWED.get(this).isEmpty() ? "none, it is over" : ALLOWED.get(this)) + ")");
        }
        return next;
    }

    /**
     * True for ENDED and CANCELLED.
     *
     * @return true for ENDED and CANCELLED
     */
    public boolean isOver() {
        return this == ENDED || this == CANCELLED;
    }
}
