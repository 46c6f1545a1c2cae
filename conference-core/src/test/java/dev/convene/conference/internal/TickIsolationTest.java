package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.HOUR;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.convene.conference.ConferenceState;
import dev.convene.conference.MutableClock;
import dev.convene.conference.RecordingListener;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One conference whose step throws never stops the others' ticks (engine driven directly, no overlay). */
class TickIsolationTest {
    private final MutableClock clock = new MutableClock(START.minus(Duration.ofMinutes(10)));
    private final ConferenceEngine bob = new ConferenceEngine(BOB, null, clock, Runnable::run, List.of(new RecordingListener()),
            Duration.ofSeconds(1), Duration.ofHours(1));

    private SignedContext invite(String title) {
        SignedContext c = Fixtures.signed(Fixtures.context(ALICE, START, HOUR, title, "", List.of(BOB.id()), 1));
        bob.onMeta(ALICE.id(), new Meta(c, List.of(Fixtures.invitation(c, ALICE, BOB, ContentCrypto.newKey())), List.of(), null));
        return c;
    }

    @Test
    void aConferenceThatThrowsInItsTickDoesNotStopTheOthers() {
        List<SignedContext> all = List.of(invite("One"), invite("Two"), invite("Three"));
        Conference broken = bob.conferenceForTest(all.get(1).context().id());
        broken.context = null; // any failure inside one conference's step

        clock.advance(Duration.ofMinutes(10));
        for (int i = 0; i < 3; i++) assertThatCode(bob::tick).doesNotThrowAnyException();

        assertThat(bob.view(all.get(0).context().id()).state()).isEqualTo(ConferenceState.LIVE);
        assertThat(bob.view(all.get(2).context().id()).state()).isEqualTo(ConferenceState.LIVE);
        assertThat(bob.stats().conferenceFailures()).isEqualTo(3);
    }

    @Test
    void ticksResumeAfterTheEventThreadRefusedThem() throws Exception {
        SignedContext c = invite("Later");
        clock.advance(Duration.ofMinutes(10));
        java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger(3);
        java.util.concurrent.Executor flaky = task -> {
            if (refusals.getAndDecrement() > 0) throw new java.util.concurrent.RejectedExecutionException("queue full");
            task.run();
        };
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            timer.scheduleWithFixedDelay(bob.tickSubmitter(flaky), 1, 1, java.util.concurrent.TimeUnit.MILLISECONDS);
            dev.convene.conference.ConferenceCluster.await(() -> bob.view(c.context().id()).state() == ConferenceState.LIVE,
                    () -> "the conference never went live: " + bob.stats());
        } finally {
            timer.shutdownNow();
        }
        assertThat(bob.stats().tickFailures()).isEqualTo(3);
    }
}
