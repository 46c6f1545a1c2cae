package dev.convene.cli.output;

import dev.convene.cli.CliException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}, decimal ({@code 1.5s},
 * {@code 0.15s}, {@code 2.5h}), or combined: {@code 1m30s}. Below a nanosecond is dropped.
 */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}(?:\\.\\d{1,9})?(?:ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,9})?)(ms|s|m|h)");

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @param what the argument's name for the error, e.g. {@code --timeout}
     * @throws CliException a usage error saying what is expected
     */
    public static Duration parse(String text, String what) {
        if (!WHOLE.matcher(text).matches()) {
            throw CliException.usage(what + ": '" + text + "' (expected: a duration such as 500ms, 2s, 1m or 1h)");
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            long unitNanos = switch (m.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos));
            total = total.plusNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact());
        }
        return total;
    }

    /** The short form people read: {@code 500ms}, {@code 2s}, {@code 1m30s}. */
    public static String format(Duration d) {
        if (d.toMillis() < 1000 || d.toMillisPart() != 0) return d.toMillis() + "ms";
        StringBuilder b = new StringBuilder();
        if (d.toHours() > 0) b.append(d.toHours()).append('h');
        if (d.toMinutesPart() > 0) b.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0) b.append(d.toSecondsPart()).append('s');
        return b.toString();
    }
}
