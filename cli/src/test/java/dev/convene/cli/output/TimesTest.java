package dev.convene.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** One time format on message lines: local time of day, the date when not today, no fractions of seconds. */
class TimesTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aMessageOfTodayShowsTheLocalTimeOfDay() {
        Instant now = Instant.parse("2026-11-21T20:00:00Z");
        assertThat(Times.stamp(Instant.parse("2026-11-21T13:30:05.123456789Z"), now, BERLIN)).isEqualTo("14:30");
    }

    @Test
    void aMessageOfAnotherDayShowsTheDateInTheLocalZone() {
        Instant now = Instant.parse("2026-11-21T20:00:00Z");
        assertThat(Times.stamp(Instant.parse("2026-11-20T13:30:00Z"), now, BERLIN)).isEqualTo("2026-11-20 14:30");
        // 23:30 UTC on the 21st is already the 22nd in Berlin
        assertThat(Times.stamp(Instant.parse("2026-11-21T23:30:00Z"), now, BERLIN)).isEqualTo("2026-11-22 00:30");
    }

    @Test
    void everyMessageLineStartsWithItsTime() {
        String sentAt = Instant.now().toString();
        ConferenceInfo.PeerRef bob = new ConferenceInfo.PeerRef("n6uuy37pj4naagwu4vzb2zibgwtes4k3", "bob");
        String expected = Times.stamp(Instant.parse(sentAt));
        assertThat(new Event.Message("c", "Design review", "x:1", 1, bob, "hi", sentAt, false).human()).startsWith(expected + " [Design review] bob");
        assertThat(new Event.ChatLine("x:1", 1, bob, "hi", sentAt, false).human()).startsWith(expected + " bob");
        assertThat(expected).matches("\\d\\d:\\d\\d");
    }

    @Test
    void aStandingRoomIsShownWithoutAnEnd() {
        dev.convene.overlay.PeerId organiser = dev.convene.overlay.Identity.generate().id();
        Instant start = Instant.parse("2026-11-20T08:00:00Z");
        dev.convene.conference.ConferenceContext timed = new dev.convene.conference.ConferenceContext(
                dev.convene.conference.ConferenceId.random(), "T", "", organiser, start, java.time.Duration.ofMinutes(90),
                new java.util.TreeSet<>(), start, 1, false);
        dev.convene.conference.ConferenceContext standing = new dev.convene.conference.ConferenceContext(
                dev.convene.conference.ConferenceId.random(), "T", "", organiser, start, dev.convene.conference.ConferenceContext.STANDING,
                new java.util.TreeSet<>(), start, 1, false);
        assertThat(Times.lasting(timed)).isEqualTo("for 1h30m");
        assertThat(Times.lasting(standing)).isEqualTo("onwards, a standing room with no fixed end");
        assertThat(Times.until(standing, ZoneId.of("UTC"))).isEqualTo("until it is ended");
        assertThat(Times.until(timed, ZoneId.of("UTC"))).startsWith("until ").doesNotContain("9999");
    }
}
