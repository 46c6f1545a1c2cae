package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.ConferenceCluster.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Conferences end to end with in-JVM peers on SHARED_LOOPBACK. */
@Timeout(120)
class ConferenceClusterTest {

    @Test
    void inviteAcceptDeclineAndChatAmongParticipantsOnly() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            ConferencePeer dave = cl.start("dave");
            ConferencePeer eve = cl.start("eve");
            cl.awaitDirectories(alice, bob, carol, dave, eve);

            ConferenceView conf = alice.create(NewConference.titled("Design review").agenda("1. wire format\n2. timings")
                    .lasting(Duration.ofMinutes(30)).invite(bob.self(), carol.self(), dave.self())).join();
            ConferenceId id = conf.id();
            assertThat(conf.state()).isEqualTo(ConferenceState.LIVE);
            for (ConferencePeer p : List.of(bob, carol, dave)) {
                await(() -> cl.events(p).has("invitation Design review"), () -> p.name() + ": " + cl.events(p).events);
                assertThat(p.invitations()).extracting(ConferenceView::id).containsExactly(id);
                assertThat(p.resolve("design review").context().agenda()).isEqualTo("1. wire format\n2. timings");
            }
            bob.accept(id).join();
            carol.accept(id).join();
            dave.decline(id, "on holiday").join();
            for (ConferencePeer p : List.of(alice, bob, carol, dave)) {
                await(() -> p.conference(id).map(v -> v.participants().size() == 3 && v.answers().size() == 3).orElse(false),
                        () -> p.name() + ": " + p.conference(id));
            }
            assertThat(alice.conference(id).orElseThrow().answerOf(dave.self()).orElseThrow())
                    .isEqualTo(new ConferenceView.Reply(Answer.DECLINE, "on holiday"));
            assertThat(cl.events(bob).has("reply Design review " + dave.self().shortId() + " decline on holiday")).isTrue();

            alice.say(id, "welcome").join().acknowledged().get(30, TimeUnit.SECONDS);
            bob.say(id, "hi all — 你好").join().acknowledged().get(30, TimeUnit.SECONDS);
            carol.say(id, "hello").join().acknowledged().get(30, TimeUnit.SECONDS);
            for (ConferencePeer p : List.of(alice, bob, carol)) {
                await(() -> p.history(id).size() == 3, () -> p.name() + ": " + p.history(id));
            }
            assertThat(ids(bob, id)).isEqualTo(ids(alice, id)).isEqualTo(ids(carol, id));
            assertThat(bob.history(id)).extracting(ChatEntry::text).contains("hi all — 你好");
            assertThat(bob.history(id)).allMatch(e -> !e.pending());
            // The decliner and the uninvited see no chat at all: not one chat or history frame reaches them
            // (type ids 101 chat, 104 history batch).
            assertThat(dave.history(id)).isEmpty();
            for (ConferencePeer outsider : List.of(dave, eve)) {
                assertThat(outsider.overlay().stats().received(101)).as(outsider.name() + " chat frames").isZero();
                assertThat(outsider.overlay().stats().received(104)).as(outsider.name() + " history frames").isZero();
            }
            assertThat(bob.overlay().stats().received(101)).isPositive();
            assertThat(cl.events(dave).messages).isEmpty();
            assertThat(eve.conferences()).isEmpty();
            assertThat(cl.events(eve).events).isEmpty();
            // Callbacks never run on JGroups threads, nor on the state thread.
            assertThat(cl.events(bob).threads).allMatch(t -> t.equals("convene-bob-callbacks"));
        }
    }

    @Test
    void scheduledStartFiresOnEveryPeerAndPostingBeforeItIsAClearError() {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = alice.create(NewConference.titled("Later").startingIn(Duration.ofMinutes(10))
                    .lasting(Duration.ofMinutes(5)).invite(bob.self())).join().id();
            await(() -> bob.conference(id).isPresent(), () -> "no invitation at bob");
            bob.accept(id).join();
            assertThat(alice.conference(id).orElseThrow().state()).isEqualTo(ConferenceState.SCHEDULED);
            assertThatThrownBy(() -> alice.say(id, "too early").join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(ConferenceException.class)
                    .hasRootCauseInstanceOf(ConferenceStateException.class).hasMessageContaining("is SCHEDULED (required: [LIVE])");
            cl.clock.advance(Duration.ofMinutes(10));
            await(() -> cl.events(alice).has("started Later") && cl.events(bob).has("started Later"),
                    () -> cl.events(alice).events + " / " + cl.events(bob).events);
            bob.say(id, "now").join();
            cl.clock.advance(Duration.ofMinutes(5));
            await(() -> cl.events(alice).has("ended Later") && cl.events(bob).has("ended Later"),
                    () -> cl.events(alice).events + " / " + cl.events(bob).events);
            assertThatThrownBy(() -> bob.say(id, "too late").join()).hasRootCauseInstanceOf(ConferenceStateException.class).hasMessageContaining("is ENDED (required: [LIVE])");
        }
    }

    @Test
    void lateInviteeAcceptsAndReceivesTheHistory() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = alice.create(NewConference.titled("Standup").invite(bob.self())).join().id();
            await(() -> bob.conference(id).isPresent(), () -> "no invitation at bob");
            bob.accept(id).join();
            await(() -> alice.conference(id).orElseThrow().participants().contains(bob.self()), () -> "bob not participant");
            for (int i = 1; i <= 20; i++) {
                (i % 2 == 0 ? alice : bob).say(id, "m" + i).join().acknowledged().get(30, TimeUnit.SECONDS);
            }
            alice.invite(id, List.of(carol.self())).join();
            await(() -> cl.events(carol).has("invitation Standup"), () -> cl.events(carol).events.toString());
            assertThat(carol.conference(id).orElseThrow().context().version()).isEqualTo(2);
            carol.accept(id).join();
            await(() -> carol.history(id).size() == 20, () -> "carol has " + carol.history(id).size());
            assertThat(ids(carol, id)).isEqualTo(ids(alice, id)).isEqualTo(ids(bob, id));
        }
    }

    @Test
    void aParticipantMayInviteWhenTheOrganiserAllowsItAndOnlyThen() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId open = alice.create(NewConference.titled("Open").invite(bob.self()).participantsMayInvite(true)).join().id();
            ConferenceId closed = alice.create(NewConference.titled("Closed").invite(bob.self())).join().id();
            await(() -> bob.conference(open).isPresent() && bob.conference(closed).isPresent(), () -> "bob lacks invitations");
            bob.accept(open).join();
            bob.accept(closed).join();
            await(() -> alice.conference(open).orElseThrow().participants().contains(bob.self()), () -> "bob not participant");
            bob.say(open, "before carol").join().acknowledged().get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> bob.invite(closed, List.of(carol.self())).join()).hasRootCauseInstanceOf(NotAllowedException.class).hasMessageContaining("ORGANISERS_ONLY");
            bob.invite(open, List.of(carol.self())).join();
            await(() -> cl.events(carol).has("invitation Open"), () -> cl.events(carol).events.toString());
            carol.accept(open).join();
            await(() -> carol.history(open).size() == 1 && alice.conference(open).orElseThrow().participants().contains(carol.self()),
                    () -> "carol: " + carol.history(open) + " alice: " + alice.conference(open));
            assertThat(carol.conferences()).extracting(ConferenceView::title).containsExactly("Open");
        }
    }

    @Test
    void anInviteeMayChangeItsAnswerAndTheLatestWins() {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = alice.create(NewConference.titled("Retro").invite(bob.self())).join().id();
            await(() -> bob.conference(id).isPresent(), () -> "no invitation at bob");
            bob.accept(id).join();
            bob.decline(id, "clash").join();
            bob.accept(id).join();
            await(() -> alice.conference(id).orElseThrow().answerOf(bob.self()).map(r -> r.answer() == Answer.ACCEPT).orElse(false)
                    && cl.events(alice).events.stream().filter(e -> e.startsWith("reply Retro")).count() == 3
                    && cl.events(alice).events.stream().filter(e -> e.startsWith("joined Retro " + bob.self().shortId())).count() == 2,
                    () -> cl.events(alice).events.toString());
            assertThat(cl.events(alice).events).containsSubsequence(
                    "joined Retro " + bob.self().shortId() + " accepted",
                    "left Retro " + bob.self().shortId() + " decline",
                    "joined Retro " + bob.self().shortId() + " accepted");
            assertThat(bob.conference(id).orElseThrow().myRole()).isEqualTo(ConferenceView.Role.PARTICIPANT);
        }
    }

    @Test
    void theOthersGoOnWhenTheOrganiserLeavesMidChat() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = alice.create(NewConference.titled("Sync").invite(bob.self(), carol.self())).join().id();
            await(() -> bob.conference(id).isPresent() && carol.conference(id).isPresent(), () -> "invitations missing");
            bob.accept(id).join();
            carol.accept(id).join();
            await(() -> alice.conference(id).orElseThrow().participants().size() == 3
                    && bob.conference(id).orElseThrow().participants().size() == 3
                    && carol.conference(id).orElseThrow().participants().size() == 3, () -> "participants incomplete");
            alice.say(id, "I have to go").join().acknowledged().get(30, TimeUnit.SECONDS);
            alice.close();
            await(() -> cl.events(bob).has("left Sync " + alice.self().shortId() + " offline"), () -> cl.events(bob).events.toString());
            bob.say(id, "carry on").join().acknowledged().get(30, TimeUnit.SECONDS);
            carol.say(id, "sure").join().acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> bob.history(id).size() == 3 && carol.history(id).size() == 3, () -> "histories incomplete");
            assertThat(ids(bob, id)).isEqualTo(ids(carol, id));
        }
    }

    @Test
    void oversizedAndEmptyMessagesAndOutsidersAreClearErrors() {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = alice.create(NewConference.titled("Limits").invite(bob.self())).join().id();
            assertThatThrownBy(() -> alice.say(id, "x".repeat(16 * 1024 + 1)).join()).hasRootCauseInstanceOf(InvalidInputException.class).hasMessageContaining("text: 16385 bytes (expected: <= 16384 bytes)");
            assertThatThrownBy(() -> alice.say(id, "  ").join()).hasRootCauseInstanceOf(InvalidInputException.class).hasMessageContaining("text: empty");
            await(() -> bob.conference(id).isPresent(), () -> "no invitation at bob");
            assertThatThrownBy(() -> bob.say(id, "not yet").join()).hasMessageContaining("NOT_PARTICIPANT");
            assertThatThrownBy(() -> bob.end(id).join()).hasRootCauseInstanceOf(NotAllowedException.class).hasMessageContaining("ORGANISERS_ONLY");
            assertThatThrownBy(() -> alice.create(NewConference.titled(" ")).join()).hasMessageContaining("title: empty");
            assertThatThrownBy(() -> alice.create(NewConference.titled("x").lasting(Duration.ZERO)).join()).hasMessageContaining("duration");
            assertThatThrownBy(() -> alice.create(NewConference.titled("x").startingAt(cl.clock.instant().minus(Duration.ofDays(1)))).join())
                    .hasMessageContaining("in the past");
            assertThatThrownBy(() -> alice.create(NewConference.titled("x").invite(dev.convene.overlay.Identity.generate().id())).join())
                    .hasRootCauseInstanceOf(MemberException.class).hasMessageContaining("UNKNOWN_PEER");
            assertThat(alice.resolve("Limits").id()).isEqualTo(id);
            assertThatThrownBy(() -> alice.resolve("nothing")).isInstanceOf(ConferenceLookupException.class).hasMessageContaining("no conference matches");
        }
    }
}
