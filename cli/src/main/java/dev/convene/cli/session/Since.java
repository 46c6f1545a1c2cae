package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * {@code --since TIME} of {@code history}: a duration back from now ({@code 30m}, {@code 1.5h}), a time
 * of day today ({@code 14:30}, local), a date ({@code 2026-11-20}, its start, local), a local date and
 * time ({@code 2026-11-20T09:00}) or an instant with an offset ({@code 2026-11-20T08:00Z}). Parsed when the
 * line is checked; turned into an instant when it runs.
 */
record Since(Duration back, LocalTime timeOfDay, LocalDateTime local, Instant exact) {
    private static final Pattern TIME_OF_DAY = Pattern.compile("\\d{1,2}:\\d{2}(:\\d{2})?");
    static final String FORMS = "30m, 14:30, 2026-11-20, 2026-11-20T09:00 or 2026-11-20T08:00Z";

    Since {
        int given = (back == null ? 0 : 1) + (timeOfDay == null ? 0 : 1) + (local == null ? 0 : 1) + (exact == null ? 0 : 1);
        if (given != 1) throw new IllegalArgumentException("exactly one form of --since, got " + given);
    }

    /** @throws CliException a usage error saying what is expected */
    static Since parse(String text) {
        String t = text.strip().replace(' ', 'T');
        try {
            if (t.matches("[0-9.]+(ms|s|m|h).*")) return new Since(Durations.parse(t, "--since"), null, null, null);
            if (TIME_OF_DAY.matcher(t).matches()) {
                return new Since(null, LocalTime.parse(t.length() == 4 || t.length() == 7 ? "0" + t : t), null, null);
            }
            if (t.matches("\\d{4}-\\d{2}-\\d{2}")) return new Since(null, null, LocalDate.parse(t).atStartOfDay(), null);
            if (t.endsWith("Z") || t.matches(".*[+-]\\d{2}:?\\d{2}$")) return new Since(null, null, null, OffsetDateTime.parse(t).toInstant());
            return new Since(null, null, LocalDateTime.parse(t), null);
        } catch (DateTimeParseException | CliException e) {
            throw CliException.usage("--since: '" + text + "' (expected: " + FORMS + ")");
        }
    }

    /** The instant it names, by {@code clock} in {@code zone}. */
    Instant resolve(Clock clock, ZoneId zone) {
        if (back != null) return clock.instant().minus(back);
        if (timeOfDay != null) return LocalDate.now(clock.withZone(zone)).atTime(timeOfDay).atZone(zone).toInstant();
        if (local != null) return local.atZone(zone).toInstant();
        return exact;
    }
}
