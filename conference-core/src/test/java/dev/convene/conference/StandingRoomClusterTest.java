package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A standing room: no fixed end, LIVE past any 7-day limit until its organiser ends it, across restarts. */
@Timeout(120)
class StandingRoomClusterTest {
    @TempDir
    Path dir;

    private ConferencePeer startAt(ConferenceCluster cl, String name) {
        Path home = dir.resolve(name);
        return cl.start(name, home, Identity.loadOrCreate(home), cl.clock);
    }

    @Test
    void aStandingRoomStaysLivePastSevenDaysSurvivesARestartAndEndsWhenItsOrganiserEndsIt() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob);
            ConferenceView created = alice.create(NewConference.titled("Team").standing().invite(bob.self())).join();
            ConferenceId id = created.id();
            assertThat(created.standing()).isTrue();
            assertThat(created.context().duration()).isEqualTo(ConferenceContext.STANDING);
            await(() -> bob.conference(id).isPresent(), () -> "bob has no invitation");
            assertThat(bob.conference(id).orElseThrow().standing()).isTrue();
            bob.accept(id).join();
            await(() -> alice.conference(id).orElseThrow().participants().contains(bob.self()), () -> "bob not participant");

            cl.clock.advance(ConferenceContext.MAX_DURATION.plusDays(3)); // past any conference with a fixed end
            await(() -> alice.conference(id).orElseThrow().state() == ConferenceState.LIVE
                    && bob.conference(id).orElseThrow().state() == ConferenceState.LIVE, () -> "not live after 10 days");
            bob.say(id, "still here on day 10").join().acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> alice.history(id).size() == 1, () -> "alice: " + alice.history(id));

            bob.close();
            ConferencePeer bob2 = startAt(cl, "bob");
            ConferenceView restored = bob2.conference(id).orElseThrow();
            assertThat(restored.standing()).isTrue();
            assertThat(restored.state()).isEqualTo(ConferenceState.LIVE);
            cl.awaitDirectories(alice, bob2);

            alice.end(id).join();
            await(() -> alice.conference(id).orElseThrow().state() == ConferenceState.ENDED
                    && bob2.conference(id).orElseThrow().state() == ConferenceState.ENDED, () -> "not ended everywhere");
        }
    }

    @Test
    void aZeroDurationIsNotAnAccidentalStandingRoom() {
        assertThatThrownBy(() -> NewConference.titled("x").lasting(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration");
        assertThat(NewConference.titled("x").standing().lasting(Duration.ofHours(1)).duration()).isEqualTo(Duration.ofHours(1));
    }
}
