package dev.convene.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MessageId;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Messages that come by catch-up, one author at a time, are shown in the history's order. */
class CatchUpOrderTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final ConferenceId CONF = ConferenceId.random();
    private final PeerId alice = Identity.generate().id();
    private final PeerId bob = Identity.generate().id();
    private final List<String> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final CatchUpOrder order = new CatchUpOrder(e -> shown.add(e.text()), Clock.fixed(NOW, ZoneOffset.UTC), timer);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static ChatEntry entry(PeerId author, long sequence, Instant sent, String text) {
        return new ChatEntry(CONF, new MessageId(author, sequence), new HlcTimestamp(sent.toEpochMilli(), 0), "x", text, false);
    }

    @Test
    void catchUpGroupedByAuthorIsShownInHistoryOrder() {
        Instant t = NOW.minusSeconds(600);
        order.accept(entry(alice, 1, t, "a1"));
        order.accept(entry(alice, 2, t.plusSeconds(20), "a2"));
        order.accept(entry(bob, 1, t.plusSeconds(10), "b1"));
        order.accept(entry(bob, 2, t.plusSeconds(30), "b2"));
        assertThat(shown).as("held while catch-up goes on").isEmpty();
        order.flush();
        assertThat(shown).containsExactly("a1", "b1", "a2", "b2");
    }

    @Test
    void theHeldOnesGoOutAfterAQuietSpellOrBeforeALiveMessage() throws InterruptedException {
        Instant t = NOW.minusSeconds(600);
        order.accept(entry(bob, 2, t.plusSeconds(30), "b2"));
        order.accept(entry(alice, 1, t, "a1"));
        order.accept(entry(alice, 3, NOW.minusSeconds(1), "live"));
        assertThat(shown).containsExactly("a1", "b2", "live");

        order.accept(entry(bob, 3, t.plusSeconds(40), "b3"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (shown.size() < 4 && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(shown).containsExactly("a1", "b2", "live", "b3");
    }
}
