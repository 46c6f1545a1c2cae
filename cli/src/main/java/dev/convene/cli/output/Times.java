package dev.convene.cli.output;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Times as people read them: in the local time zone ({@code 2026-11-21 14:30 CET}), and relative to now
 * ({@code in 10m}, {@code 3m ago}). JSON never uses these: it carries ISO-8601 instants.
 */
public final class Times {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);
    private static final DateTimeFormatter STAMP_TODAY = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter STAMP_OTHER_DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private Times() {
    }

    /** The zone times are shown in: this machine's. */
    public static ZoneId zone() {
        return ZoneId.systemDefault();
    }

    /** {@code 2026-11-21 14:30 CET}, in {@code zone}. */
    public static String local(Instant instant, ZoneId zone) {
        return LOCAL.format(instant.atZone(zone));
    }

    /** {@link #local(Instant, ZoneId)} in this machine's zone. */
    public static String local(Instant instant) {
        return local(instant, zone());
    }

    /** {@code 14:30:05}, the time of day in this machine's zone. */
    static String clock(Instant instant) {
        return CLOCK.format(instant.atZone(zone()));
    }

    /**
     * The time of a message line: {@code 14:30} on the day of {@code now}, {@code 2026-11-20 14:30} on
     * another day, in {@code zone}; never seconds' fractions.
     */
    static String stamp(Instant instant, Instant now, ZoneId zone) {
        ZonedDateTime at = instant.atZone(zone);
        return (at.toLocalDate().equals(now.atZone(zone).toLocalDate()) ? STAMP_TODAY : STAMP_OTHER_DAY).format(at);
    }

    /** {@link #stamp(Instant, Instant, ZoneId)} now, in this machine's zone. */
    static String stamp(Instant instant) {
        return stamp(instant, Instant.now(), zone());
    }

    /** {@code in 10m}, {@code 3m ago} or {@code now}, to the second. */
    public static String relative(Instant now, Instant then) {
        Duration d = Duration.between(now, then).withNanos(0);
        if (d.abs().getSeconds() < 1) return "now";
        return d.isNegative() ? Durations.format(d.negated()) + " ago" : "in " + Durations.format(d);
    }

    /**
     * How long a conference lasts, for people, to follow its start: "for 1h", or "onwards, a standing room with no
     * fixed end".
     *
     * @param c the conference's context
     * @return the words
     */
    public static String lasting(dev.convene.conference.ConferenceContext c) {
        return c.standing() ? "onwards, a standing room with no fixed end" : "for " + duration(c.duration());
    }

    /**
     * Until when a conference is live, for people: a local time, or "until it is ended" for a standing room.
     *
     * @param c the conference's context
     * @param zone the zone to show times in
     * @return the words, starting with "until"
     */
    public static String until(dev.convene.conference.ConferenceContext c, ZoneId zone) {
        return c.standing() ? "until it is ended" : "until " + local(c.end(), zone);
    }

    /** A duration as typed: {@code 1h}, {@code 30m}, {@code 1h30m}. */
    public static String duration(Duration d) {
        return Durations.format(d);
    }
}
