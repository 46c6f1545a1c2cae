package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.HostilePeer.rejected;
import static dev.convene.conference.internal.Scenarios.awaitRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.NewConference;
import dev.convene.conference.internal.Scenarios.Shown;
import dev.convene.overlay.Identity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A malicious invitee (mallory) holds every signed invitation of a conference, as any invitee does, and
 * replays them: after they were answered, to a peer they were not issued to, after they expired, and under
 * another conference's context; and she issues one herself where only the organiser may invite. None of it
 * attaches anything anywhere.
 */
@Timeout(120)
class InvitationAttackClusterTest {

    private static long invitationEvents(ConferenceCluster cl, ConferencePeer p, String title) {
        return cl.events(p).events.stream().filter(e -> e.equals("invitation " + title)).count();
    }

    @Test
    void anInvitationReplayedAfterItWasAnsweredChangesNothing() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer dave = cl.start("dave");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, dave);
                mallory.awaitSeenBy(List.of(alice, bob, dave));
                ConferenceId id = alice.create(NewConference.titled("Review").invite(bob.self(), dave.self(), mallory.id())).join().id();
                await(() -> !bob.invitations().isEmpty() && !dave.invitations().isEmpty(), () -> "invitations missing");
                bob.accept(id).join();
                dave.decline(id, "busy").join();
                for (ConferencePeer p : List.of(alice, bob, dave)) {
                    await(() -> p.conference(id).orElseThrow().answers().size() == 2, () -> p.name() + ": " + p.conference(id));
                }
                Invitation toBob = mallory.invitation(id, bob.self());
                Invitation toDave = mallory.invitation(id, dave.self());
                Meta replay = new Meta(toBob.context(), List.of(toBob, toDave), List.of(), null);
                List<ConferencePeer> victims = List.of(alice, bob, dave);
                List<Shown> before = victims.stream().map(Shown::by).toList();
                List<Long> rejectedBefore = victims.stream().map(HostilePeer::rejected).toList();

                for (ConferencePeer p : victims) {
                    mallory.send(p, replay);
                    mallory.send(p, replay);
                    mallory.probe(p);
                }
                for (int i = 0; i < victims.size(); i++) awaitRejected(victims.get(i), rejectedBefore.get(i) + 1);

                assertThat(victims.stream().map(Shown::by).toList()).isEqualTo(before);
                assertThat(invitationEvents(cl, bob, "Review")).isEqualTo(1);
                assertThat(invitationEvents(cl, dave, "Review")).isEqualTo(1);
                assertThat(bob.conference(id).orElseThrow().myRole()).isEqualTo(ConferenceView.Role.PARTICIPANT);
                assertThat(dave.conference(id).orElseThrow().myRole()).isEqualTo(ConferenceView.Role.DECLINED);
                Scenarios.stillChats(bob, id, alice);
            }
        }
    }

    @Test
    void anInvitationDeliveredToAPeerItWasNotIssuedToCreatesNothingThere() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, carol);
                mallory.awaitSeenBy(List.of(carol));
                ConferenceId id = Scenarios.live("Review", alice, List.of(bob), List.of(mallory));
                Invitation toBob = mallory.invitation(id, bob.self());
                Shown before = Shown.by(carol);
                long rejectedBefore = rejected(carol);

                mallory.send(carol, new Meta(toBob.context(), List.of(toBob), List.of(), null));
                mallory.send(carol, mallory.meta(id)); // the whole metadata, every invitation and reply in it
                awaitRejected(carol, rejectedBefore + 2);

                assertThat(Shown.by(carol)).isEqualTo(before);
                assertThat(carol.conferences()).isEmpty();
                assertThat(cl.events(carol).events).isEmpty();
                assertThatThrownBy(() -> carol.accept(id).join()).hasMessageContaining("no conference");
                Scenarios.stillChats(bob, id, alice);
            }
        }
    }

    @Test
    void anExpiredInvitationReplayedToItsInviteeIsNotHonoured() throws Exception {
        Identity daveKey = Identity.generate();
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer first = cl.start("dave", null, daveKey, cl.clock);
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, first);
                mallory.awaitSeenBy(List.of(alice));
                first.close(); // dave is away when invited: his invitation waits at alice (and at mallory)
                await(() -> !alice.directory().isOnline(daveKey.id()), () -> "dave still online");
                ConferenceId id = alice.create(NewConference.titled("Short").lasting(Duration.ofMinutes(10))
                        .invite(daveKey.id(), mallory.id())).join().id();
                Invitation toDave = mallory.invitation(id, daveKey.id());
                assertThat(toDave.expiry()).isEqualTo(alice.conference(id).orElseThrow().context().end());

                cl.clock.advance(Duration.ofMinutes(11)); // past the expiry
                await(() -> alice.conference(id).orElseThrow().state() == ConferenceState.ENDED, () -> "not ended at alice");
                ConferencePeer dave = cl.start("dave", null, daveKey, cl.clock);
                // Alice forwards what she holds to the returning invitee; the context names him, the invitation is stale.
                await(() -> dave.conference(id).isPresent(), () -> "dave never heard of the conference");
                mallory.awaitSeenBy(List.of(dave));
                Shown before = Shown.by(dave);
                long rejectedBefore = rejected(dave);

                mallory.send(dave, new Meta(toDave.context(), List.of(toDave), List.of(), null));
                mallory.probe(dave);
                awaitRejected(dave, rejectedBefore + 1);

                assertThat(Shown.by(dave)).isEqualTo(before);
                assertThat(dave.conference(id).orElseThrow().state()).isEqualTo(ConferenceState.ENDED);
                assertThat(dave.invitations()).isEmpty();
                assertThat(invitationEvents(cl, dave, "Short")).isZero(); // the sealed key was never opened
                assertThatThrownBy(() -> dave.accept(id).join()).hasRootCauseInstanceOf(dev.convene.conference.ConferenceStateException.class).hasMessageContaining("is ENDED");
                assertThatThrownBy(() -> dave.say(id, "late").join()).hasRootCauseInstanceOf(dev.convene.conference.ConferenceStateException.class).hasMessageContaining("is ENDED");
            }
        }
    }

    @Test
    void anInvitationIssuedByAParticipantWhoMayNotInviteAttachesNothing() throws Exception {
        Identity eveKey = Identity.generate();
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer eve = cl.start("eve", null, eveKey, cl.clock);
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, eve);
                mallory.awaitSeenBy(List.of(eve));
                ConferenceId id = Scenarios.live("Closed door", alice, List.of(bob), List.of(mallory));
                assertThat(alice.conference(id).orElseThrow().context().participantsMayInvite()).isFalse();
                Meta held = mallory.meta(id);
                // A well-formed invitation for eve, with the real content key sealed to her, signed by mallory as inviter,
                // sent with mallory's own invitation and acceptance so that she is plainly a participant.
                Invitation toEve = Fixtures.invitation(held.context(), mallory.identity(), eveKey, mallory.contentKey(id));
                Meta forged = new Meta(held.context(), List.of(mallory.invitation(id, mallory.id()), toEve),
                        List.of(Fixtures.reply(mallory.identity(), id, Answer.ACCEPT, "", 1, cl.clock.instant())), null);
                List<ConferencePeer> victims = List.of(eve, alice, bob);
                List<Shown> before = victims.stream().map(Shown::by).toList();
                List<Long> rejectedBefore = victims.stream().map(HostilePeer::rejected).toList();

                for (ConferencePeer p : victims) {
                    mallory.send(p, forged);
                    mallory.probe(p);
                }
                awaitRejected(eve, rejectedBefore.get(0) + 2);
                awaitRejected(alice, rejectedBefore.get(1) + 1);
                awaitRejected(bob, rejectedBefore.get(2) + 1);

                assertThat(victims.stream().map(Shown::by).toList()).isEqualTo(before);
                assertThat(eve.conferences()).isEmpty();
                assertThat(cl.events(eve).events).isEmpty();
                assertThat(alice.conference(id).orElseThrow().invitees()).doesNotContain(eveKey.id());
                Scenarios.stillChats(bob, id, alice);
            }
        }
    }

    @Test
    void anInvitationToAnotherConferenceDoesNotAttachUnderThisOnesContext() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, carol);
                ConferenceId review = Scenarios.live("Review", alice, List.of(bob), List.of(mallory));
                ConferenceId lunch = Scenarios.live("Lunch", alice, List.of(carol), List.of(mallory));
                Invitation carolToLunch = mallory.invitation(lunch, carol.self());
                Invitation bobToReview = mallory.invitation(review, bob.self());
                Meta reviewContext = mallory.meta(review);
                Meta lunchContext = mallory.meta(lunch);
                List<ConferencePeer> victims = List.of(alice, bob, carol);
                List<Shown> before = victims.stream().map(Shown::by).toList();
                List<Long> rejectedBefore = victims.stream().map(HostilePeer::rejected).toList();

                // Carol's lunch invitation under the review's context, to carol (not invited to the review) and to
                // its members; bob's review invitation under the lunch's context, to bob (not invited to lunch).
                Meta carolIntoReview = new Meta(reviewContext.context(), List.of(carolToLunch), List.of(), null);
                Meta bobIntoLunch = new Meta(lunchContext.context(), List.of(bobToReview), List.of(), null);
                mallory.send(carol, carolIntoReview);
                mallory.send(bob, bobIntoLunch);
                mallory.send(alice, carolIntoReview);
                mallory.send(alice, bobIntoLunch);
                mallory.send(bob, carolIntoReview);
                mallory.send(carol, bobIntoLunch);
                for (ConferencePeer p : victims) mallory.probe(p);
                awaitRejected(alice, rejectedBefore.get(0) + 1);
                awaitRejected(bob, rejectedBefore.get(1) + 2); // bob was not named by the lunch: refused outright
                awaitRejected(carol, rejectedBefore.get(2) + 2); // nor carol by the review

                assertThat(victims.stream().map(Shown::by).toList()).isEqualTo(before);
                assertThat(carol.conference(review)).isEmpty();
                assertThat(bob.conference(lunch)).isEmpty();
                assertThat(alice.conference(review).orElseThrow().invitees()).doesNotContain(carol.self());
                assertThat(alice.conference(lunch).orElseThrow().invitees()).doesNotContain(bob.self());
                Scenarios.stillChats(carol, lunch, alice);
            }
        }
    }
}
