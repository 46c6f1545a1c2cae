package dev.convene.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesEveryUnitAndCombinations() {
        assertThat(Durations.parse("500ms", "d")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2s", "d")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parse("1m", "d")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("1h", "d")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("1m30s", "d")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("0s", "d")).isZero();
    }

    @Test
    void takesDecimals() {
        assertThat(Durations.parse("1.5s", "d")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("0.15s", "d")).isEqualTo(Duration.ofMillis(150));
        assertThat(Durations.parse("2.5h", "d")).isEqualTo(Duration.ofMinutes(150));
        assertThat(Durations.parse("0.5ms", "d")).isEqualTo(Duration.ofNanos(500_000));
        assertThat(Durations.parse("1m0.25s", "d")).isEqualTo(Duration.ofMillis(60_250));
    }

    @Test
    void rejectsAnythingElseWithAnExample() {
        for (String bad : new String[] {"", "5", "5x", "-1s", "1.s", ".5s", "1,5s", "s", "2 s", "PT2S"}) {
            assertThatThrownBy(() -> Durations.parse(bad, "--timeout"))
                    .hasMessage("--timeout: '" + bad + "' (expected: a duration such as 500ms, 2s, 1m or 1h)");
        }
    }

    @Test
    void formatsShortly() {
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofSeconds(2))).isEqualTo("2s");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
    }
}
