package dev.convene.cli.output;

import dev.convene.cli.CliException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * When a conference created by {@code create} starts: {@code --at TIME}, {@code --in DURATION}, or now.
 * {@link #parse} checks only the form (a script is checked before its peer starts); {@link #resolve} turns
 * it into an instant with the clock and time zone of the moment the command runs.
 *
 * <p>{@code --at} takes {@code 14:30} (today, local time), {@code 2026-12-01T09:00} (local time; a space
 * instead of the {@code T} works when quoted) or an instant with an offset ({@code 2026-12-01T08:00Z},
 * {@code …+01:00}). A time that has already passed is an error that says so, rather than a guess at
 * tomorrow; within the same minute counts as now.
 */
public abstract sealed class StartTime {
    private static final Pattern TIME_OF_DAY = Pattern.compile("\\d{1,2}:\\d{2}(:\\d{2})?");
    /** How far in the past a start may be and still mean "now" (the minute the user typed). */
    static final Duration SAME_MINUTE = Duration.ofMinutes(1);
    static final String FORMS = "14:30, 2026-12-01T09:00 or 2026-12-01T08:00Z";

    private StartTime() {
    }

    /** Starts when the command runs. */
    static StartTime now() {
        return new In(Duration.ZERO);
    }

    /**
     * Parses {@code --at} and {@code --in}, at most one of them.
     *
     * @throws CliException a usage error for a malformed time or both options
     */
    public static StartTime parse(Optional<String> at, Optional<String> in) {
        if (at.isPresent() && in.isPresent()) throw CliException.usage("give --at or --in, not both");
        if (in.isPresent()) return new In(Durations.parse(in.get(), "--in"));
        return at.map(StartTime::parseAt).orElseGet(StartTime::now);
    }

    private static StartTime parseAt(String text) {
        String t = text.strip().replace(' ', 'T');
        try {
            if (TIME_OF_DAY.matcher(t).matches()) return new Today(LocalTime.parse(t.length() == 4 || t.length() == 7 ? "0" + t : t), text);
            if (t.endsWith("Z") || t.matches(".*[+-]\\d{2}:?\\d{2}$")) return new Exact(OffsetDateTime.parse(t).toInstant(), text);
            return new Local(LocalDateTime.parse(t), text);
        } catch (DateTimeParseException e) {
            throw CliException.usage("--at: '" + text + "' (expected: a time such as " + FORMS + ")");
        }
    }

    /**
     * The start instant, by {@code clock} in {@code zone}.
     *
     * @throws CliException a failure if the time has already passed, saying what to give instead
     */
    public abstract Instant resolve(Clock clock, ZoneId zone);

    /** Fails if {@code start} lies more than {@link #SAME_MINUTE} before now. */
    static Instant notPast(Instant start, Instant now, ZoneId zone, String typed, String hint) {
        if (start.isBefore(now.minus(SAME_MINUTE))) {
            throw CliException.failed("--at " + typed + ": " + Times.local(start, zone) + " has already passed (it is "
                    + Times.local(now, zone) + " now); " + hint);
        }
        return start;
    }

    /** {@code --in D}, or now. */
    static final class In extends StartTime {
        private final Duration delay;

        In(Duration delay) {
            this.delay = delay;
        }

        @Override
        public Instant resolve(Clock clock, ZoneId zone) {
            return clock.instant().plus(delay);
        }
    }

    /** {@code --at 14:30}: today. */
    static final class Today extends StartTime {
        private final LocalTime time;
        private final String typed;

        Today(LocalTime time, String typed) {
            this.time = time;
            this.typed = typed;
        }

        @Override
        public Instant resolve(Clock clock, ZoneId zone) {
            Instant now = clock.instant();
            LocalDate today = LocalDate.ofInstant(now, zone);
            Instant start = today.atTime(time).atZone(zone).toInstant();
            return notPast(start, now, zone, typed, "give a date for another day, e.g. --at " + today.plusDays(1) + "T" + time
                    + ", or use --in");
        }
    }

    /** {@code --at 2026-12-01T09:00}: local time. */
    static final class Local extends StartTime {
        private final LocalDateTime time;
        private final String typed;

        Local(LocalDateTime time, String typed) {
            this.time = time;
            this.typed = typed;
        }

        @Override
        public Instant resolve(Clock clock, ZoneId zone) {
            return notPast(time.atZone(zone).toInstant(), clock.instant(), zone, typed, "give a time to come, or use --in");
        }
    }

    /** {@code --at 2026-12-01T08:00Z}: an instant. */
    static final class Exact extends StartTime {
        private final Instant instant;
        private final String typed;

        Exact(Instant instant, String typed) {
            this.instant = instant;
            this.typed = typed;
        }

        @Override
        public Instant resolve(Clock clock, ZoneId zone) {
            return notPast(instant, clock.instant(), zone, typed, "give a time to come, or use --in");
        }
    }
}
