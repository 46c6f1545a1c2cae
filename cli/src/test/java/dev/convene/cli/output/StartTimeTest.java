package dev.convene.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.cli.CliException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code create --at / --in}, against an injected clock and time zone. */
class StartTimeTest {
    /** 13:10 in Paris (UTC+1 in November). */
    private static final Instant NOW = Instant.parse("2026-11-21T12:10:00Z");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneId.of("UTC"));

    private static Instant at(String text) {
        return StartTime.parse(Optional.of(text), Optional.empty()).resolve(CLOCK, PARIS);
    }

    @Test
    void aTimeOfDayIsTodayInTheLocalZone() {
        assertThat(at("14:30")).isEqualTo(Instant.parse("2026-11-21T13:30:00Z"));
        assertThat(at("23:59:59")).isEqualTo(Instant.parse("2026-11-21T22:59:59Z"));
    }

    @Test
    void aTimeOfDayThatHasPassedIsAnErrorNotTomorrow() {
        assertThatThrownBy(() -> at("9:05")).isInstanceOfSatisfying(CliException.class, e -> assertThat(e.isUsage()).isFalse())
                .hasMessage("--at 9:05: 2026-11-21 09:05 CET has already passed (it is 2026-11-21 13:10 CET now); give a date for another day,"
                        + " e.g. --at 2026-11-22T09:05, or use --in");
        assertThatThrownBy(() -> at("13:08")).hasMessageContaining("has already passed");
    }

    @Test
    void theCurrentMinuteCountsAsNow() {
        assertThat(at("13:10")).isEqualTo(NOW);
        assertThat(at("13:09:30")).isEqualTo(NOW.minusSeconds(30));
    }

    @Test
    void aDateAndTimeIsLocalAndAnOffsetIsExact() {
        assertThat(at("2026-12-01T09:00")).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(at("2026-12-01 09:00")).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(at("2026-12-01T09:00Z")).isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
        assertThat(at("2026-12-01T09:00+05:30")).isEqualTo(Instant.parse("2026-12-01T03:30:00Z"));
        // summer time in Paris: UTC+2
        assertThat(at("2027-07-01T09:00")).isEqualTo(Instant.parse("2027-07-01T07:00:00Z"));
        assertThatThrownBy(() -> at("2026-11-20T09:00")).hasMessage("--at 2026-11-20T09:00: 2026-11-20 09:00 CET has already passed"
                + " (it is 2026-11-21 13:10 CET now); give a time to come, or use --in");
    }

    @Test
    void inIsFromTheMomentTheCommandRunsAndNothingIsNow() {
        assertThat(StartTime.parse(Optional.empty(), Optional.of("10m")).resolve(CLOCK, PARIS)).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        assertThat(StartTime.parse(Optional.empty(), Optional.of("1h30m")).resolve(CLOCK, PARIS)).isEqualTo(NOW.plus(Duration.ofMinutes(90)));
        assertThat(StartTime.parse(Optional.empty(), Optional.empty()).resolve(CLOCK, PARIS)).isEqualTo(NOW);
    }

    @Test
    void malformedTimesAreUsageErrors() {
        for (String bad : new String[] {"soon", "25:00", "14:5", "14h30", "2026-02-30T09:00", "2026-12-01", "T09:00"}) {
            assertThatThrownBy(() -> StartTime.parse(Optional.of(bad), Optional.empty())).as(bad)
                    .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.isUsage()).isTrue())
                    .hasMessage("--at: '" + bad + "' (expected: a time such as 14:30, 2026-12-01T09:00 or 2026-12-01T08:00Z)");
        }
        assertThatThrownBy(() -> StartTime.parse(Optional.of("14:30"), Optional.of("1m"))).hasMessage("give --at or --in, not both");
    }
}
