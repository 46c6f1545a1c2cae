package dev.convene.conference;

import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What to create: built with {@link #titled(String)}. The start is either an instant or a delay from the
 * moment of creation by the creating peer's clock; by default the conference starts at once and lasts one
 * hour.
 *
 * @param title the title
 * @param agenda the agenda (may be empty)
 * @param start an explicit start, or null to use {@code startIn}
 * @param startIn the delay from creation when {@code start} is null
 * @param duration how long it lasts, or {@link ConferenceContext#STANDING} for a standing room
 * @param invitees who to invite
 * @param participantsMayInvite whether participants may invite more peers
 * @param historyJoined whether newcomers read only what is said from their admission on (default: the whole history)
 */
public record NewConference(String title, String agenda, Instant start, Duration startIn, Duration duration,
                            List<PeerId> invitees, boolean participantsMayInvite, boolean historyJoined) {
    /**
     * Without a history visibility: shared history.
     *
     * @param title the title
     * @param agenda the agenda (may be empty)
     * @param start an explicit start, or null to use {@code startIn}
     * @param startIn the delay from creation when {@code start} is null
     * @param duration how long it lasts
     * @param invitees who to invite
     * @param participantsMayInvite whether participants may invite more peers
     */
    public NewConference(String title, String agenda, Instant start, Duration startIn, Duration duration, List<PeerId> invitees,
                         boolean participantsMayInvite) {
        this(title, agenda, start, startIn, duration, invitees, participantsMayInvite, false);
    }

    /**
     * Checks the components (see {@link ConferenceContext} for the limits checked at creation).
     *
     * @param title the title
     * @param agenda the agenda (may be empty)
     * @param start an explicit start, or null to use {@code startIn}
     * @param startIn the delay from creation when {@code start} is null
     * @param duration how long it lasts, or {@link ConferenceContext#STANDING} for a standing room
     * @param invitees who to invite
     * @param participantsMayInvite whether participants may invite more peers
     * @param historyJoined whether newcomers read only what is said from their admission on
     */
    public NewConference {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(agenda, "agenda");
        Objects.requireNonNull(startIn, "startIn");
        Objects.requireNonNull(duration, "duration");
        invitees = List.copyOf(invitees);
    }

    /**
     * A standing room: no fixed end, LIVE from its start until its organiser ends it (no 7-day limit).
     *
     * @return a changed copy with the duration {@link ConferenceContext#STANDING}
     */
    public NewConference standing() {
        return new NewConference(title, agenda, start, startIn, ConferenceContext.STANDING, invitees, participantsMayInvite, historyJoined);
    }

    /**
     * Starts a spec with defaults: now, one hour, nobody invited, only the organiser invites.
     *
     * @param title the title
     * @return the spec
     */
    public static NewConference titled(String title) {
        return new NewConference(title, "", null, Duration.ZERO, Duration.ofHours(1), List.of(), false);
    }

    /**
     * With an agenda.
     *
     * @param text the agenda, may be empty
     * @return a changed copy
     */
    public NewConference agenda(String text) {
        return new NewConference(title, text, start, startIn, duration, invitees, participantsMayInvite, historyJoined);
    }

    /**
     * Starting at an instant.
     *
     * @param at the start
     * @return a changed copy
     */
    public NewConference startingAt(Instant at) {
        return new NewConference(title, agenda, at, Duration.ZERO, duration, invitees, participantsMayInvite, historyJoined);
    }

    /**
     * Starting a delay after creation, by the creating peer's clock.
     *
     * @param delay the delay
     * @return a changed copy
     */
    public NewConference startingIn(Duration delay) {
        return new NewConference(title, agenda, null, delay, duration, invitees, participantsMayInvite, historyJoined);
    }

    /**
     * Lasting a duration (at most {@link ConferenceContext#MAX_DURATION}).
     *
     * @param d the duration, more than zero
     * @return a changed copy
     * @throws IllegalArgumentException if {@code d} is zero or negative (for no fixed end, use {@link #standing()})
     */
    public NewConference lasting(Duration d) {
        if (d.isZero() || d.isNegative()) throw new IllegalArgumentException("duration: " + d + " (expected: > 0, e.g. 30m)");
        return new NewConference(title, agenda, start, startIn, d, invitees, participantsMayInvite, historyJoined);
    }

    /**
     * Inviting more peers; they must be known to the creating peer (seen online, with their keys).
     *
     * @param peers the peers
     * @return a changed copy
     */
    public NewConference invite(Collection<PeerId> peers) {
        List<PeerId> all = new ArrayList<>(invitees);
        all.addAll(peers);
        return new NewConference(title, agenda, start, startIn, duration, all, participantsMayInvite, historyJoined);
    }

    /**
     * Inviting more peers.
     *
     * @param peers the peers
     * @return a changed copy
     */
    public NewConference invite(PeerId... peers) {
        return invite(List.of(peers));
    }

    /**
     * Whether participants may invite more peers.
     *
     * @param allowed true to let them
     * @return a changed copy
     */
    public NewConference participantsMayInvite(boolean allowed) {
        return new NewConference(title, agenda, start, startIn, duration, invitees, allowed, historyJoined);
    }

    /**
     * History visibility: {@code true} ({@code joined}) and a newcomer reads only what is said from its admission
     * on (the key is rotated for each invitation, and only the organiser invites); {@code false} ({@code shared},
     * the default) and it reads the whole history.
     *
     * @param joined true for {@code joined}, false for {@code shared}
     * @return a changed copy
     */
    public NewConference historyJoined(boolean joined) {
        return new NewConference(title, agenda, start, startIn, duration, invitees, participantsMayInvite, joined);
    }
}
