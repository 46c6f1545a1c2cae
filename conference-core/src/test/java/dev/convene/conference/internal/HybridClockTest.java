package dev.convene.conference.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The hybrid logical clock: follows wall time, never goes back, and stays ahead of what it has seen. */
class HybridClockTest {
    private static final Instant T0 = Instant.parse("2030-01-01T12:00:00Z");
    private final MutableClock wall = new MutableClock(T0);
    private final HybridClock hlc = new HybridClock(wall);

    private static long ms(Instant t) {
        return t.toEpochMilli();
    }

    @Test
    void followsTheWallClockWhenItMovesForward() {
        assertThat(hlc.now()).isEqualTo(new HlcTimestamp(ms(T0), 0));
        wall.advance(Duration.ofMillis(5));
        assertThat(hlc.now()).isEqualTo(new HlcTimestamp(ms(T0) + 5, 0));
    }

    @Test
    void countsUpWhileTheWallClockStandsStill() {
        HlcTimestamp a = hlc.now();
        HlcTimestamp b = hlc.now();
        HlcTimestamp c = hlc.now();
        assertThat(a).isLessThan(b);
        assertThat(b).isLessThan(c);
        assertThat(c).isEqualTo(new HlcTimestamp(ms(T0), 2));
    }

    @Test
    void staysMonotonicWhenTheWallClockGoesBackwards() {
        wall.advance(Duration.ofSeconds(10));
        HlcTimestamp before = hlc.now();
        wall.advance(Duration.ofSeconds(-8));
        HlcTimestamp after = hlc.now();
        assertThat(after).isGreaterThan(before);
        assertThat(after.wallMillis()).isEqualTo(before.wallMillis());
        // Once the wall clock passes the old high mark, it is followed again.
        wall.advance(Duration.ofSeconds(9));
        assertThat(hlc.now()).isEqualTo(new HlcTimestamp(ms(T0) + 11_000, 0));
    }

    @Test
    void neverRepeatsOrGoesBackAcrossAnyWallClockWalk() {
        long[] steps = {0, 1, 0, -3, -1, 0, 7, -7, 2, 0, 0, -100, 200, -1, 1};
        HlcTimestamp last = hlc.now();
        for (int round = 0; round < 20; round++) {
            for (long step : steps) {
                wall.advance(Duration.ofMillis(step));
                HlcTimestamp next = hlc.now();
                assertThat(next).isGreaterThan(last);
                last = next;
            }
        }
    }

    @Test
    void observingARemoteTimestampAheadMakesTheNextLocalOneLater() {
        HlcTimestamp remote = new HlcTimestamp(ms(T0) + 60_000, 4);
        hlc.observe(remote);
        HlcTimestamp next = hlc.now();
        assertThat(next).isGreaterThan(remote);
        assertThat(next.wallMillis()).isEqualTo(remote.wallMillis());
    }

    @Test
    void observingARemoteTimestampInTheSameMillisecondWithAHigherCounterMakesTheNextLocalOneLater() {
        hlc.now();
        hlc.now();
        HlcTimestamp remote = new HlcTimestamp(ms(T0), 50);
        hlc.observe(remote);
        assertThat(hlc.now()).isGreaterThan(remote);
    }

    @Test
    void observingARemoteTimestampInTheSameMillisecondWithALowerCounterKeepsTheLocalOneAhead() {
        for (int i = 0; i < 10; i++) hlc.now();
        HlcTimestamp local = hlc.now();
        hlc.observe(new HlcTimestamp(ms(T0), 1));
        assertThat(hlc.now()).isGreaterThan(local);
    }

    @Test
    void observingAnOldRemoteTimestampDoesNotMoveTheClockBack() {
        wall.advance(Duration.ofSeconds(5));
        HlcTimestamp local = hlc.now();
        hlc.observe(new HlcTimestamp(ms(T0), 999));
        HlcTimestamp next = hlc.now();
        assertThat(next).isGreaterThan(local);
        assertThat(next.wallMillis()).isEqualTo(local.wallMillis());
    }

    @Test
    void observingWhenTheWallClockIsAheadOfBothFollowsTheWallClock() {
        hlc.observe(new HlcTimestamp(ms(T0) - 1_000, 3));
        wall.advance(Duration.ofMillis(1));
        assertThat(hlc.now()).isEqualTo(new HlcTimestamp(ms(T0) + 1, 0));
    }

    @Test
    void aConversationBetweenPeersWithSkewedClocksKeepsCausalOrder() {
        MutableClock slowWall = new MutableClock(T0.minusSeconds(30));
        HybridClock slow = new HybridClock(slowWall);
        HlcTimestamp sent = hlc.now();
        for (int hop = 0; hop < 50; hop++) {
            HybridClock receiver = hop % 2 == 0 ? slow : hlc;
            receiver.observe(sent);
            HlcTimestamp answer = receiver.now();
            assertThat(answer).isGreaterThan(sent);
            sent = answer;
            slowWall.advance(Duration.ofMillis(hop % 3));
            wall.advance(Duration.ofMillis(hop % 2));
        }
    }

    @Test
    void observingTheLargestCounterStillGivesALaterValidTimestamp() {
        HlcTimestamp remote = new HlcTimestamp(ms(T0), Integer.MAX_VALUE);
        hlc.observe(remote);
        assertThat(hlc.now()).isGreaterThan(remote);
    }
}
