package dev.convene.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where scenarios leave their figures instead of printing them: one line per scenario appended to the file
 * named by {@code -Dconvene.it.figures} (the pom sets {@code target/reliability-figures.txt}); nothing if
 * unset. Also reads {@code -Dconvene.soak}, the soak length. Safe from any thread (appends are whole lines).
 */
public final class Figures {
    private static final Pattern LENGTH = Pattern.compile("(\\d+)(s|m|h)");
    private Figures() {
    }

    /** Appends {@code line}, stamped with the time. A figures file that cannot be written is not a failure. */
    public static synchronized void record(String line) {
        String file = System.getProperty("convene.it.figures");
        if (file == null || file.isBlank()) return;
        try {
            Files.writeString(Path.of(file), Instant.now() + " " + line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // figures are a by-product; the check itself stands
        }
    }

    /** {@code -Dconvene.soak=10m} (also {@code 90s}, {@code 2h}): the soak length; empty in normal runs. */
    public static Optional<Duration> soak() {
        String value = System.getProperty("convene.soak", "").strip();
        if (value.isEmpty()) return Optional.empty();
        Matcher m = LENGTH.matcher(value);
        if (!m.matches()) throw new IllegalArgumentException("-Dconvene.soak=" + value + " (expected: a length such as 90s, 10m or 2h)");
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        });
    }
}
