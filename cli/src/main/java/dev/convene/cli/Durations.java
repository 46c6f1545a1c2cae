package dev.convene.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}, or combined: {@code 1m30s}. */
final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}(?:ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @param what the argument's name for the error, e.g. {@code --timeout}
     * @throws CliException a usage error saying what is expected
     */
    static Duration parse(String text, String what) {
        if (!WHOLE.matcher(text).matches()) {
            throw CliException.usage(what + ": '" + text + "' (expected: a duration such as 500ms, 2s, 1m or 1h)");
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
        }
        return total;
    }

    /** The short form people read: {@code 500ms}, {@code 2s}, {@code 1m30s}. */
    static String format(Duration d) {
        if (d.toMillis() < 1000 || d.toMillisPart() != 0) return d.toMillis() + "ms";
        StringBuilder b = new StringBuilder();
        if (d.toHours() > 0) b.append(d.toHours()).append('h');
        if (d.toMinutesPart() > 0) b.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0) b.append(d.toSecondsPart()).append('s');
        return b.toString();
    }
}
