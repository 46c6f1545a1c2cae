package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.HostilePeer.rejected;
import static dev.convene.conference.internal.Scenarios.awaitRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.NewConference;
import dev.convene.overlay.Identity;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, item 5: conference ids are bound to their organiser. An invitee who knows a conference's id cannot
 * plant a context of its own under that id at a peer that has not heard of it yet, and so cannot lock that peer
 * out of the real conference.
 */
@Timeout(120)
class IdBindingAttackClusterTest {
    @Test
    void aContextPlantedUnderTheRealIdByAnInviteeIsRefusedAndTheRealInvitationStillWorks() throws Exception {
        Identity carolKey = Identity.generate();
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol", null, carolKey, cl.clock);
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, carol);
                mallory.awaitSeenBy(List.of(alice, carol));
                ConferenceId id = Scenarios.live("Real", alice, List.of(bob), List.of(mallory));
                ConferenceContext real = mallory.meta(id).context().context();

                // mallory's own conference under alice's id, inviting carol, all validly signed by mallory
                ConferenceContext fake = new ConferenceContext(id, "Real", "", mallory.id(), real.start(), real.duration(),
                        new TreeSet<>(List.of(carolKey.id())), real.createdAt(), 1, false);
                SignedContext signed = SignedContext.sign(fake, mallory.identity());
                Meta plant = new Meta(signed, List.of(Fixtures.invitation(signed, mallory.identity(), carolKey, ContentCrypto.newKey())),
                        List.of(), null);
                long before = rejected(carol);
                mallory.send(carol, plant);
                awaitRejected(carol, before + 1);
                assertThat(carol.conferences()).isEmpty();

                alice.invite(id, List.of(carol.self())).join();
                await(() -> carol.conference(id).isPresent(), () -> "carol never got the real invitation");
                ConferenceView v = carol.conference(id).orElseThrow();
                assertThat(v.context().organiser()).isEqualTo(alice.self());
                carol.accept(id).join();
                await(() -> alice.conference(id).orElseThrow().participants().contains(carol.self()), () -> "carol never joined");
                Scenarios.stillChats(carol, id, bob);
            }
        }
    }

    @Test
    void anIdIsBoundToItsOrganiserKeyAndCreationTimeOnly() {
        Identity alice = Identity.generate();
        Identity mallory = Identity.generate();
        java.time.Instant at = java.time.Instant.parse("2030-01-01T10:00:00Z");
        ConferenceId id = ConferenceId.derive(alice.signingKey(), at);
        assertThat(id.isBoundTo(alice.signingKey(), at)).isTrue();
        assertThat(id.isBoundTo(mallory.signingKey(), at)).isFalse();
        assertThat(id.isBoundTo(alice.signingKey(), at.plus(Duration.ofNanos(1)))).isFalse();
        assertThat(ConferenceId.random().isBoundTo(alice.signingKey(), at)).isFalse();
        assertThat(ConferenceId.derive(alice.signingKey(), at)).isNotEqualTo(id); // a fresh nonce each time
        assertThat(ConferenceId.parse(id.value().toUpperCase())).isEqualTo(id);
    }
}
