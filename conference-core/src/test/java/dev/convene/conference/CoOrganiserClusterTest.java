package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.ConferenceCluster.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Co-organisers: the organiser grants and revokes the role; a co-organiser invites and ends while the organiser is gone. */
@Timeout(120)
class CoOrganiserClusterTest {

    private static void awaitInvited(ConferencePeer p, ConferenceId id) {
        await(() -> p.invitations().stream().anyMatch(v -> v.id().equals(id)), () -> p.name() + " has no invitation");
    }

    @Test
    void aCoOrganiserInvitesAndEndsAfterTheOrganiserIsGoneForGood() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            ConferencePeer dave = cl.start("dave");
            cl.awaitDirectories(alice, bob, carol, dave);
            ConferenceId id = alice.create(NewConference.titled("Hand-over").invite(bob.self(), carol.self())).join().id();
            awaitInvited(bob, id);
            awaitInvited(carol, id);
            bob.accept(id).join();
            carol.accept(id).join();
            assertThatThrownBy(() -> bob.invite(id, List.of(dave.self())).join()).hasMessageContaining("ORGANISERS_ONLY");
            alice.say(id, "handing over to bob").join().acknowledged().get(30, TimeUnit.SECONDS);
            alice.grantOrganiser(id, bob.self()).join();
            await(() -> bob.conference(id).orElseThrow().coOrganisers().contains(bob.self())
                    && carol.conference(id).orElseThrow().coOrganisers().contains(bob.self()), () -> "the grant did not spread");
            assertThatThrownBy(() -> bob.grantOrganiser(id, carol.self()).join()).hasMessageContaining("ORGANISER_ONLY");
            alice.close(); // gone for good

            bob.invite(id, List.of(dave.self())).join();
            awaitInvited(dave, id);
            dave.accept(id).join();
            await(() -> carol.conference(id).orElseThrow().participants().contains(dave.self()), () -> "carol: " + carol.conference(id));
            await(() -> dave.history(id).size() == 1, () -> "dave: " + dave.history(id));
            carol.say(id, "welcome dave").join().acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> ids(dave, id).equals(ids(carol, id)) && ids(bob, id).equals(ids(carol, id)) && dave.history(id).size() == 2,
                    () -> "dave " + ids(dave, id) + " carol " + ids(carol, id));

            bob.end(id).join();
            for (ConferencePeer p : List.of(bob, carol, dave)) {
                await(() -> p.conference(id).orElseThrow().state() == ConferenceState.ENDED, () -> p.name() + ": " + p.conference(id));
            }
            assertThat(cl.events(dave).has("ended Hand-over")).isTrue();
        }
    }

    @Test
    void aRevokedCoOrganiserCanNoLongerInviteOrEnd() {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer dave = cl.start("dave");
            cl.awaitDirectories(alice, bob, dave);
            ConferenceId id = alice.create(NewConference.titled("Revoked").invite(bob.self())).join().id();
            awaitInvited(bob, id);
            bob.accept(id).join();
            alice.grantOrganiser(id, bob.self()).join();
            await(() -> bob.conference(id).orElseThrow().coOrganisers().contains(bob.self()), () -> "bob: " + bob.conference(id));
            cl.clock.advance(java.time.Duration.ofSeconds(1));
            alice.revokeOrganiser(id, bob.self()).join();
            await(() -> bob.conference(id).orElseThrow().coOrganisers().isEmpty(), () -> "bob: " + bob.conference(id));
            cl.clock.advance(java.time.Duration.ofSeconds(1));
            assertThatThrownBy(() -> bob.invite(id, List.of(dave.self())).join()).hasMessageContaining("ORGANISERS_ONLY");
            assertThatThrownBy(() -> bob.end(id).join()).hasMessageContaining("ORGANISERS_ONLY");
            assertThat(alice.conference(id).orElseThrow().state()).isEqualTo(ConferenceState.LIVE);
        }
    }
}
