package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A participant that is not an organiser signs schedule changes: every peer refuses them and counts them. */
@Timeout(120)
class RescheduleAttackClusterTest {

    @Test
    void aParticipantsOwnAndForgedScheduleChangesAreRefusedEverywhereAndCounted() {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            List<ConferencePeer> honest = List.of(alice, bob);
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Held", alice, List.of(bob), List.of(mallory));
                ConferenceContext before = alice.conference(id).orElseThrow().context();
                SignedContext ctx = mallory.meta(id).context();
                Instant now = cl.clock.instant();
                // Signed by herself, a member but not an organiser; and one naming alice as signer, signed by mallory.
                Reschedule own = RescheduleTest.change(mallory.identity(), id, 1, now, now, Duration.ofDays(7));
                Reschedule unsigned = new Reschedule(id, alice.self(), 2, now, now, Duration.ofDays(7), new byte[0]);
                Reschedule forged = new Reschedule(id, alice.self(), 2, now, now, Duration.ofDays(7),
                        mallory.identity().sign(Protocol.bytes(Protocol.RESCHEDULE_BODY, unsigned)));
                mallory.send(honest, new Meta(ctx, List.of(), List.of(), null, List.of(), List.of(), List.of(), List.of(own, forged)));
                for (ConferencePeer p : honest) {
                    await(() -> p.stats().reschedulesRefused() == 2, () -> p.name() + ": " + p.stats());
                }
                // Handled, not kept: the schedule is the context's everywhere, and an honest relay carries none.
                for (ConferencePeer p : honest) {
                    assertThat(p.conference(id).orElseThrow().context()).isEqualTo(before);
                }
                alice.reschedule(id, null, Duration.ofHours(3)).join();
                await(() -> bob.conference(id).orElseThrow().context().duration().equals(Duration.ofHours(3)), () -> "bob: " + bob.conference(id));
                await(() -> mallory.received(Meta.class).stream().anyMatch(m -> !m.schedules().isEmpty()), () -> "no change reached mallory");
                assertThat(mallory.received(Meta.class).stream().flatMap(m -> m.schedules().stream()))
                        .allSatisfy(r -> assertThat(r.signer()).isEqualTo(alice.self()))
                        .allSatisfy(r -> assertThat(r.revision()).isEqualTo(1));
            }
        }
    }
}
