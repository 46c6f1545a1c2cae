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
 * @param title 1-200 characters, one line, no control, invisible or separator characters ({@link UnsafeCharacterException})
 * @param agenda up to 4,000 characters (may be empty); new lines and tabs allowed, other unsafe characters not
 * @param organiser the peer that created it and signs it
 * @param start when it goes LIVE, between {@link #EARLIEST} and {@link #LATEST}
 * @param duration how long it lasts, more than zero and at most 7 days; {@link #STANDING} (zero) for a standing room,
 *                 LIVE from its start until its organiser ends it
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
    /** Longest title, in characters. */
    public static final int MAX_TITLE = 200;
    /** Longest agenda, in characters. */
    public static final int MAX_AGENDA = 4000;
    /** Most invitees of one conference. */
    public static final int MAX_INVITEES = 256;
    /**
     * The duration of a standing room (zero): a conference with no fixed end, LIVE from its start until its
     * organiser ends it, for a team's ongoing channel. A peer of a version before standing rooms refuses such a
     * context as malformed.
     */
    public static final Duration STANDING = Duration.ZERO;
    /** Longest duration of a conference. */
    public static final Duration MAX_DURATION = Duration.ofDays(7);
    /** How far in the past a new conference's start may lie (clock skew, typing time). */
    public static final Duration START_GRACE = Duration.ofMinutes(5);
    /**
     * The earliest instant a context may name (start, creation). Times outside [{@code EARLIEST}, {@link #LATEST}]
     * are refused at construction, so on decode too: every sum a peer computes from them (end, grace periods,
     * milliseconds for the clock) stays far from overflow.
     */
    public static final Instant EARLIEST = Instant.EPOCH;
    /** The latest instant a context may name. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * Checks the components against the limits above.
     *
     * @param id the conference id
     * @param title 1-200 characters
     * @param agenda up to 4,000 characters (may be empty)
     * @param organiser the peer that created it and signs it
     * @param start when it goes LIVE
     * @param duration how long it lasts, more than zero and at most 7 days, or {@link #STANDING}
     * @param invitees the peers invited by the organiser (not the organiser itself), at most 256
     * @param createdAt when the organiser created it
     * @param version 1 for the first issue, higher for each change
     * @param participantsMayInvite whether participants (not only the organiser) may invite more peers
     * @param historyJoined whether newcomers read only what is said from their admission on ({@code joined});
     *     false: the whole history ({@code shared})
     * @throws IllegalArgumentException naming the component, its value and the bound
     */
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
        UnsafeCharacterException.requireSafeLine("title", title);
        UnsafeCharacterException.requireSafeText("agenda", agenda);
        requireSane("start", start);
        requireSane("createdAt", createdAt);
        if (agenda.length() > MAX_AGENDA) throw new IllegalArgumentException("agenda: " + agenda.length() + " characters (expected: <= " + MAX_AGENDA + ")");
        requireDuration(duration);
        if (version < 1) throw new IllegalArgumentException("version: " + version + " (expected: >= 1)");
        invitees = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(invitees, "invitees")));
        if (invitees.size() > MAX_INVITEES) throw new IllegalArgumentException("invitees: " + invitees.size() + " (expected: <= " + MAX_INVITEES + ")");
        if (invitees.contains(organiser)) throw new IllegalArgumentException("invitees: the organiser cannot invite itself");
    }

    /**
     * Refuses an instant outside [{@link #EARLIEST}, {@link #LATEST}].
     *
     * @param what the value's name, for the message
     * @param t the instant
     * @return {@code t}
     * @throws IllegalArgumentException naming {@code what}
     */
    public static Instant requireSane(String what, Instant t) {
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw new IllegalArgumentException(what + ": " + t + " (expected: between " + EARLIEST + " and " + LATEST + ")");
        }
        return t;
    }

    /**
     * Refuses a duration a conference may not have: negative, or longer than {@link #MAX_DURATION}
     * (zero is {@link #STANDING}).
     *
     * @param duration the duration
     * @return {@code duration}
     * @throws IllegalArgumentException naming the duration and the bound
     */
    public static Duration requireDuration(Duration duration) {
        if (duration.isNegative()) throw new IllegalArgumentException("duration: " + duration + " (expected: > 0, e.g. 30m, or zero for a standing room)");
        if (duration.compareTo(MAX_DURATION) > 0) throw new IllegalArgumentException("duration: " + duration + " (expected: <= 7 days)");
        return duration;
    }

    /**
     * A context with shared history.
     *
     * @param id the conference's id
     * @param title the title
     * @param agenda the agenda
     * @param organiser the organiser
     * @param start the start
     * @param duration how long it lasts
     * @param invitees who is invited
     * @param createdAt when it was created
     * @param version the context's version
     * @param participantsMayInvite whether participants may invite
     */
    public ConferenceContext(ConferenceId id, String title, String agenda, PeerId organiser, Instant start, Duration duration,
                             SortedSet<PeerId> invitees, Instant createdAt, int version, boolean participantsMayInvite) {
        this(id, title, agenda, organiser, start, duration, invitees, createdAt, version, participantsMayInvite, false);
    }

    /**
     * Whether this is a standing room: no fixed end, LIVE from its start until its organiser ends it.
     *
     * @return true if {@link #duration()} is {@link #STANDING}
     */
    public boolean standing() {
        return duration.isZero();
    }

    /**
     * When it ends by schedule; for a standing room, which has no scheduled end, {@link #LATEST}.
     *
     * @return when it ends by schedule
     */
    public Instant end() {
        return standing() ? LATEST : start.plus(duration);
    }

    /**
     * Checks what only the creator can check: the start is not in the far past by its clock.
     *
     * @param now the creator's clock
     * @throws IllegalArgumentException with what to do
     */
    public void validateNew(Instant now) {
        if (start.isBefore(now.minus(START_GRACE))) {
            throw new IllegalArgumentException("start: " + start + " is in the past (expected: now or later)");
        }
    }

    /**
     * A copy with another schedule and the same version: how a peer shows a conference whose schedule an organiser
     * changed after signing this context (the signed context itself is never rewritten).
     *
     * @param newStart the start in effect
     * @param newDuration the duration in effect
     * @return a copy with {@code newStart} and {@code newDuration}
     * @throws IllegalArgumentException if they are out of bounds, as in the constructor
     */
    public ConferenceContext withSchedule(Instant newStart, Duration newDuration) {
        return new ConferenceContext(id, title, agenda, organiser, newStart, newDuration, invitees, createdAt, version, participantsMayInvite,
                historyJoined);
    }

    /**
     * A copy with more invitees and the next version.
     *
     * @param more the peers to add (the organiser and peers already invited are ignored)
     * @return a copy with more invitees and the next version
     */
    public ConferenceContext withInvitees(Collection<PeerId> more) {
        TreeSet<PeerId> all = new TreeSet<>(invitees);
        all.addAll(more);
        all.remove(organiser);
        return new ConferenceContext(id, title, agenda, organiser, start, duration, all, createdAt, version + 1, participantsMayInvite,
                historyJoined);
    }
}
