package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Schedule changes across peers: by a co-organiser while the organiser is gone for good, learnt late, kept over a restart. */
@Timeout(120)
class RescheduleClusterTest {

    private static void awaitInvited(ConferencePeer p, ConferenceId id) {
        await(() -> p.invitations().stream().anyMatch(v -> v.id().equals(id)), () -> p.name() + " has no invitation");
    }

    private static boolean shows(ConferencePeer p, ConferenceId id, Instant start, Duration duration) {
        return p.conference(id).map(v -> v.context().start().equals(start) && v.context().duration().equals(duration)).orElse(false);
    }

    @Test
    void aCoOrganiserReschedulesWhileTheOrganiserIsGoneAndEveryPeerLateJoinerAndRestartAgree(@TempDir Path dir) {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            Path carolHome = dir.resolve("carol");
            Identity carolId = Identity.loadOrCreate(carolHome);
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol", carolHome, carolId, cl.clock);
            ConferencePeer dave = cl.start("dave");
            cl.awaitDirectories(alice, bob, carol, dave);
            Instant created = cl.clock.instant();
            ConferenceId id = alice.create(NewConference.titled("Moved").startingIn(Duration.ofHours(1)).lasting(Duration.ofHours(1))
                    .invite(bob.self(), carol.self())).join().id();
            awaitInvited(bob, id);
            awaitInvited(carol, id);
            bob.accept(id).join();
            carol.accept(id).join();
            assertThatThrownBy(() -> bob.reschedule(id, null, Duration.ofHours(2)).join()).hasMessageContaining("ORGANISERS_ONLY");
            alice.grantOrganiser(id, bob.self()).join();
            await(() -> bob.conference(id).orElseThrow().coOrganisers().contains(bob.self())
                    && carol.conference(id).orElseThrow().coOrganisers().contains(bob.self()), () -> "the grant did not spread");
            alice.close(); // gone for good
            List<String> sessionHeard = new java.util.concurrent.CopyOnWriteArrayList<>();
            carol.session(id).addListener(new ConferenceListener() {
                @Override
                public void rescheduled(ConferenceView before, ConferenceView after) {
                    sessionHeard.add(before.context().start() + " -> " + after.context().start());
                }
            });

            cl.clock.advance(Duration.ofSeconds(1));
            Instant newStart = created.plus(Duration.ofMinutes(10));
            Duration newDuration = Duration.ofHours(2);
            ConferenceView after = bob.reschedule(id, newStart, newDuration).join();
            assertThat(after.context().start()).isEqualTo(newStart);
            assertThat(after.state()).isEqualTo(ConferenceState.SCHEDULED);
            await(() -> shows(carol, id, newStart, newDuration), () -> "carol: " + carol.conference(id));
            String heard = "rescheduled Moved " + newStart + " " + newDuration;
            await(() -> cl.events(carol).has(heard) && cl.events(bob).has(heard), () -> "carol's events: " + cl.events(carol).events);
            await(() -> sessionHeard.equals(List.of(created.plus(Duration.ofHours(1)) + " -> " + newStart)), () -> "carol's session: " + sessionHeard);

            // A newcomer invited by the co-organiser learns the schedule in effect with its invitation.
            bob.invite(id, List.of(dave.self())).join();
            awaitInvited(dave, id);
            assertThat(shows(dave, id, newStart, newDuration)).as("dave: " + dave.conference(id)).isTrue();
            dave.accept(id).join();

            // The conference starts by the schedule in effect (by the original it would start 50 minutes later).
            cl.clock.advance(Duration.ofMinutes(11));
            for (ConferencePeer p : List.of(bob, carol, dave)) {
                await(() -> p.conference(id).orElseThrow().state() == ConferenceState.LIVE, () -> p.name() + ": " + p.conference(id));
            }
            await(() -> cl.events(dave).has("started Moved"), () -> "dave's events: " + cl.events(dave).events);

            // Carol restarts alone: the change comes back from her store, not from a peer.
            bob.close();
            dave.close();
            carol.close();
            ConferencePeer again = cl.start("carol", carolHome, carolId, cl.clock);
            assertThat(again.conference(id)).hasValueSatisfying(v -> {
                assertThat(v.context().start()).isEqualTo(newStart);
                assertThat(v.context().duration()).isEqualTo(newDuration);
                assertThat(v.state()).isEqualTo(ConferenceState.LIVE);
            });
            // It ends by the new schedule too: 2 hours after the new start, not 1 hour after the old one.
            cl.clock.advance(Duration.ofMinutes(105));
            assertThat(again.conference(id).orElseThrow().state()).isEqualTo(ConferenceState.LIVE);
            cl.clock.advance(Duration.ofMinutes(20));
            await(() -> again.conference(id).orElseThrow().state() == ConferenceState.ENDED, () -> "carol: " + again.conference(id));
            assertThat(again.stats().reschedulesRefused()).isZero();
        }
    }
}
