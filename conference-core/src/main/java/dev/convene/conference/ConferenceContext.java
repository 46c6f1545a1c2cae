package dev.convene.conference;

import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a conference is: the record that travels, signed by the organiser, inside every invitation.
 * Versioned: the organiser issues a higher {@link #version()} when it changes the invitee list; every peer
 * keeps the highest version it has verified.
 *
 * <p>The compact constructor checks structure (sizes, positive duration); {@link #validateNew} adds the
 * checks that need the creator's clock.
 *
 * @param id the conference id
 * @param title 1-200 characters
 * @param agenda up to 4,000 characters (may be empty)
 * @param organiser the peer that created it and signs it
 * @param start when it goes LIVE
 * @param duration how long it lasts, more than zero and at most 7 days
 * @param invitees the peers invited by the organiser (not the organiser itself), at most 256
 * @param createdAt when the organiser created it
 * @param version 1 for the first issue, higher for each change
 * @param participantsMayInvite whether participants (not only the organiser) may invite more peers
 * @param historyJoined whether newcomers read only from their admission ({@code --history joined}) instead of the
 *     whole history ({@code shared}, the default)
 */
public record ConferenceContext(ConferenceId id, String title, String agenda, PeerId organiser, Instant start,
                                Duration duration, SortedSet<PeerId> invitees, Instant createdAt, int version,
                                boolean participantsMayInvite, boolean historyJoined) {
    public static final int MAX_TITLE = 200;
    public static final int MAX_AGENDA = 4000;
    public static final int MAX_INVITEES = 256;
    public static final Duration MAX_DURATION = Duration.ofDays(7);
    /** How far in the past a new conference's start may lie (clock skew, typing time). */
    public static final Duration START_GRACE = Duration.ofMinutes(5);

    public ConferenceContext {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organiser, "organiser");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(createdAt, "createdAt");
        title = Objects.requireNonNull(title, "title").strip();
        agenda = Objects.requireNonNull(agenda, "agenda").strip();
        if (title.isEmpty()) throw new IllegalArgumentException("title: empty (expected: 1-" + MAX_TITLE + " characters)");
        if (title.length() > MAX_TITLE) throw new IllegalArgumentException("title: " + title.length() + " characters (expected: <= " + MAX_TITLE + ")");
        if (title.chars().anyMatch(Character::isISOControl)) throw new IllegalArgumentException("title: contains control characters (expected: one printable line)");
        if (agenda.length() > MAX_AGENDA) throw new IllegalArgumentException("agenda: " + agenda.length() + " characters (expected: <= " + MAX_AGENDA + ")");
        if (duration.isZero() || duration.isNegative()) throw new IllegalArgumentException("duration: " + duration + " (expected: > 0, e.g. 30m)");
        if (duration.compareTo(MAX_DURATION) > 0) throw new IllegalArgumentException("duration: " + duration + " (expected: <= 7 days)");
        if (version < 1) throw new IllegalArgumentException("version: " + version + " (expected: >= 1)");
        invitees = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(invitees, "invitees")));
        if (invitees.size() > MAX_INVITEES) throw new IllegalArgumentException("invitees: " + invitees.size() + " (expected: <= " + MAX_INVITEES + ")");
        if (invitees.contains(organiser)) throw new IllegalArgumentException("invitees: the organiser cannot invite itself");
    }

    /** A context with shared history. */
    public ConferenceContext(ConferenceId id, String title, String agenda, PeerId organiser, Instant start, Duration duration,
                             SortedSet<PeerId> invitees, Instant createdAt, int version, boolean participantsMayInvite) {
        this(id, title, agenda, organiser, start, duration, invitees, createdAt, version, participantsMayInvite, false);
    }

    /** When it ends by schedule. */
    public Instant end() {
        return start.plus(duration);
    }

    /**
     * Checks what only the creator can check: the start is not in the far past by its clock.
     *
     * @throws IllegalArgumentException with what to do
     */
    public void validateNew(Instant now) {
        if (start.isBefore(now.minus(START_GRACE))) {
            throw new IllegalArgumentException("start: " + start + " is in the past (expected: now or later, e.g. --in 10m)");
        }
    }

    /** A copy with more invitees and the next version. */
    public ConferenceContext withInvitees(Collection<PeerId> more) {
        TreeSet<PeerId> all = new TreeSet<>(invitees);
        all.addAll(more);
        all.remove(organiser);
        return new ConferenceContext(id, title, agenda, organiser, start, duration, all, createdAt, version + 1, participantsMayInvite,
                historyJoined);
    }
}
