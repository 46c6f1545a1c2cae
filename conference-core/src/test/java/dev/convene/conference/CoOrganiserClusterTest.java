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
            await(() -> cl.events(dave).has("ended Hand-over"), () -> "dave's events: " + cl.events(dave).events);
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

    private static org.jgroups.JChannel channel(ConferencePeer p) {
        return dev.convene.overlay.OverlayTestHooks.core(p.overlay()).channel();
    }

    private static org.jgroups.protocols.DISCARD discard(ConferencePeer p) throws Exception {
        org.jgroups.stack.ProtocolStack stack = channel(p).getProtocolStack();
        org.jgroups.protocols.DISCARD d = stack.findProtocol(org.jgroups.protocols.DISCARD.class);
        if (d == null) {
            d = new org.jgroups.protocols.DISCARD();
            stack.insertProtocol(d, org.jgroups.stack.ProtocolStack.Position.ABOVE, org.jgroups.protocols.TP.class);
        }
        return d;
    }

    private static ConferenceId live(ConferencePeer organiser, List<ConferencePeer> invitees) {
        ConferenceId id = organiser.create(NewConference.titled("Team").invite(invitees.stream().map(ConferencePeer::self).toList())).join().id();
        for (ConferencePeer p : invitees) {
            awaitInvited(p, id);
            p.accept(id).join();
        }
        for (ConferencePeer p : invitees) {
            await(() -> organiser.conference(id).orElseThrow().participants().contains(p.self()), () -> "organiser misses " + p.name());
        }
        return id;
    }

    @Test
    void aCoOrganiserRemovesAPeerWithAKeyRotationWhileTheOrganiserIsGone() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            ConferencePeer dave = cl.start("dave");
            cl.awaitDirectories(alice, bob, carol, dave);
            ConferenceId id = live(alice, List.of(bob, carol, dave));
            carol.say(id, "carol before").join().acknowledged().get(30, TimeUnit.SECONDS);
            alice.grantOrganiser(id, bob.self()).join();
            await(() -> bob.conference(id).orElseThrow().coOrganisers().contains(bob.self()), () -> "bob: " + bob.conference(id));
            await(() -> bob.history(id).size() == 1, () -> "bob: " + bob.history(id));
            alice.close(); // gone for good

            bob.remove(id, carol.self()).join();
            await(() -> carol.conference(id).orElseThrow().myRole() == ConferenceView.Role.REMOVED
                    && !dave.conference(id).orElseThrow().participants().contains(carol.self()), () -> "dave: " + dave.conference(id));
            long chatFramesAtCarol = carol.overlay().stats().received(101);
            bob.say(id, "after carol").join().acknowledged().get(30, TimeUnit.SECONDS);
            dave.say(id, "dave after").join().acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> ids(bob, id).equals(ids(dave, id)) && dave.history(id).size() == 3, () -> "bob " + ids(bob, id) + " dave " + ids(dave, id));
            assertThat(carol.history(id)).extracting(ChatEntry::text).containsExactly("carol before");
            assertThat(carol.overlay().stats().received(101)).isEqualTo(chatFramesAtCarol);
            assertThatThrownBy(() -> carol.say(id, "let me in").join()).hasMessageContaining("NOT_PARTICIPANT");
        }
    }

    @Test
    void concurrentRemovalsByTwoOrganisersResolveTheSameWayEverywhere() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            ConferencePeer dave = cl.start("dave");
            ConferencePeer erin = cl.start("erin");
            List<ConferencePeer> all = List.of(alice, bob, carol, dave, erin);
            cl.awaitDirectories(all.toArray(ConferencePeer[]::new));
            ConferenceId id = live(alice, List.of(bob, carol, dave, erin));
            alice.grantOrganiser(id, bob.self()).join();
            for (ConferencePeer p : all) {
                await(() -> p.conference(id).orElseThrow().coOrganisers().contains(bob.self())
                        && p.conference(id).orElseThrow().participants().size() == 5, () -> p.name() + ": " + p.conference(id));
            }

            // Alice is cut off from everyone; each side removes someone, alice first by the clock.
            for (ConferencePeer other : List.of(bob, carol, dave, erin)) {
                discard(alice).addIgnoreMember(channel(other).getAddress());
                discard(other).addIgnoreMember(channel(alice).getAddress());
            }
            await(() -> !alice.directory().isOnline(bob.self()) && !bob.directory().isOnline(alice.self()), () -> "no cut yet");
            alice.remove(id, carol.self()).join();
            cl.clock.advance(java.time.Duration.ofSeconds(1));
            bob.remove(id, dave.self()).join();
            await(() -> !erin.conference(id).orElseThrow().participants().contains(dave.self()), () -> "erin: " + erin.conference(id));

            for (ConferencePeer p : all) discard(p).resetIgnoredMembers();
            cl.awaitDirectories(all.toArray(ConferencePeer[]::new));
            // The earlier removal (alice's, of carol) holds; bob's, for the same key epoch, has no effect anywhere.
            java.util.Set<dev.convene.overlay.PeerId> expected = java.util.Set.of(alice.self(), bob.self(), dave.self(), erin.self());
            for (ConferencePeer p : List.of(alice, bob, dave, erin)) {
                await(() -> p.conference(id).orElseThrow().participants().equals(expected), () -> p.name() + ": " + p.conference(id));
            }
            await(() -> carol.conference(id).orElseThrow().myRole() == ConferenceView.Role.REMOVED, () -> "carol: " + carol.conference(id));
            assertThat(dave.conference(id).orElseThrow().myRole()).isEqualTo(ConferenceView.Role.PARTICIPANT);

            // Everyone still taking part reads everyone, under the winning key; carol reads none of it.
            for (ConferencePeer p : List.of(alice, bob, dave, erin)) {
                await(() -> {
                    try {
                        p.say(id, p.name() + " after the merge").join();
                        return true;
                    } catch (java.util.concurrent.CompletionException e) {
                        return false; // the winning key has not reached it yet
                    }
                }, () -> p.name() + " cannot post");
            }
            await(() -> List.of(alice, bob, dave, erin).stream().allMatch(p -> p.history(id).size() == 4 && ids(p, id).equals(ids(alice, id))),
                    () -> List.of(alice, bob, dave, erin).stream().map(p -> p.name() + "=" + ids(p, id)).toList().toString());
            assertThat(carol.history(id)).isEmpty();
            // Bob can remove dave again, in the next epoch.
            bob.remove(id, dave.self()).join();
            await(() -> dave.conference(id).orElseThrow().myRole() == ConferenceView.Role.REMOVED, () -> "dave: " + dave.conference(id));
        }
    }

    @Test
    void theOrganiserGetsTheKeyOfACoOrganisersRotation() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = live(alice, List.of(bob, carol));
            alice.grantOrganiser(id, bob.self()).join();
            await(() -> bob.conference(id).orElseThrow().coOrganisers().contains(bob.self()), () -> "bob: " + bob.conference(id));
            bob.remove(id, carol.self()).join();
            await(() -> !alice.conference(id).orElseThrow().participants().contains(carol.self()), () -> "alice: " + alice.conference(id));
            bob.say(id, "from bob, new key").join().acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> alice.history(id).size() == 1, () -> "alice: " + alice.history(id));
            await(() -> {
                try {
                    alice.say(id, "from alice, new key").join();
                    return true;
                } catch (java.util.concurrent.CompletionException e) {
                    return false; // bob's grant to her not there yet
                }
            }, () -> "alice cannot post");
            await(() -> bob.history(id).size() == 2 && ids(bob, id).equals(ids(alice, id)), () -> "bob " + ids(bob, id));
            assertThat(carol.history(id)).isEmpty();
        }
    }
}
