package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replies, reactions and typing between three peers (and a late joiner): a reply is chat with its reference at
 * every peer, reactions agree everywhere after toggles, typing reaches the online peers, expires and is never stored.
 */
@Timeout(180)
class SocialClusterTest {

    private static ConferenceId live(ConferencePeer organiser, List<ConferencePeer> invitees) {
        ConferenceId id = organiser.create(NewConference.titled("Lunch").participantsMayInvite(true)
                .invite(invitees.stream().map(ConferencePeer::self).toList())).join().id();
        for (ConferencePeer p : invitees) {
            await(() -> p.conference(id).isPresent(), () -> p.name() + " has no invitation");
            p.accept(id).join();
        }
        List<ConferencePeer> all = new ArrayList<>(invitees);
        all.add(organiser);
        for (ConferencePeer p : all) {
            await(() -> p.conference(id).orElseThrow().participants().size() == all.size(), () -> p.name() + ": participants incomplete");
        }
        return id;
    }

    private static Optional<ChatEntry> entry(ConferencePeer p, ConferenceId id, String text) {
        return p.history(id).stream().filter(e -> e.text().equals(text)).findFirst();
    }

    private static void stored(java.util.concurrent.CompletableFuture<PublishedEvent<Reaction>> f) throws Exception {
        f.join().storedByAll().get(30, TimeUnit.SECONDS);
    }

    @Test
    void repliesCarryTheirReferenceAndReactionsAgreeEverywhereIncludingALateJoiner() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = live(alice, List.of(bob, carol));
            List<Reaction> heard = new CopyOnWriteArrayList<>();
            alice.onEvent(BuiltInEvents.REACTION, e -> heard.add(e.value()));

            Post lunch = alice.say(id, "lunch?").join();
            lunch.storedByAll().get(30, TimeUnit.SECONDS);
            MessageId m1 = lunch.entry().id();
            Post yes = bob.reply(id, m1, "yes, at noon").join();
            assertThat(yes.entry().replyTo()).contains(m1);
            assertThat(yes.storedByAll().get(30, TimeUnit.SECONDS).replyTo()).contains(m1); // kept when acknowledged
            // A reply to a message nobody has (yet): shown, with its reference.
            MessageId unknown = new MessageId(alice.self(), 999);
            carol.reply(id, unknown, "to the future").join().storedByAll().get(30, TimeUnit.SECONDS);

            for (ConferencePeer p : List.of(alice, bob, carol)) {
                await(() -> p.history(id).size() == 3, () -> p.name() + ": " + p.history(id));
                assertThat(entry(p, id, "lunch?").orElseThrow().replyTo()).isEmpty();
                assertThat(entry(p, id, "yes, at noon").orElseThrow().replyTo()).contains(m1);
                assertThat(entry(p, id, "to the future").orElseThrow().replyTo()).contains(unknown);
                assertThat(p.eventStats().delivered()).isZero(); // replies are chat, not events
            }

            // Reactions, each stored by all before the next, so the canonical order is this one.
            stored(bob.react(id, m1, "👍"));
            stored(carol.react(id, m1, "👍"));
            stored(carol.react(id, m1, "🎉"));
            stored(bob.unreact(id, m1, "👍"));
            stored(alice.react(id, m1, "👍"));
            stored(carol.react(id, m1, "👍")); // again: no change
            stored(bob.react(id, yes.entry().id(), "❤️"));
            stored(carol.unreact(id, m1, "🎉"));
            stored(carol.react(id, m1, "🎉"));
            Map<String, SortedSet<PeerId>> expected = new LinkedHashMap<>();
            expected.put("👍", new TreeSet<>(List.of(alice.self(), carol.self())));
            expected.put("🎉", new TreeSet<>(List.of(carol.self())));
            for (ConferencePeer p : List.of(alice, bob, carol)) {
                await(() -> p.reactions(id, m1).equals(expected), () -> p.name() + ": " + p.reactions(id, m1));
                assertThat(new ArrayList<>(p.reactions(id, m1).keySet())).containsExactly("👍", "🎉");
                assertThat(p.reactions(id, yes.entry().id())).isEqualTo(Map.of("❤️", new TreeSet<>(List.of(bob.self()))));
                assertThat(p.reactions(id, unknown)).isEmpty();
                assertThat(p.history(id)).hasSize(3); // reactions are not chat
            }
            await(() -> heard.size() == 9, () -> "alice heard " + heard);
            assertThat(heard.get(3)).isEqualTo(new Reaction(m1, "👍", false));

            // Bad input is refused before anything is sent.
            assertThatThrownBy(() -> alice.react(id, m1, "\u202E").join()).hasRootCauseInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> alice.react(id, m1, "👍".repeat(9)).join()).hasRootCauseInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> alice.reply(id, m1, "  ").join()).hasRootCauseInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> alice.reply(id, m1, "x".repeat(16089)).join()).hasRootCauseInstanceOf(InvalidInputException.class);

            // A late joiner, invited after the authors of most reactions left, gets the same.
            alice.close();
            bob.close();
            ConferencePeer dave = cl.start("dave");
            cl.awaitDirectories(carol, dave);
            carol.invite(id, List.of(dave.self())).join();
            await(() -> dave.conference(id).isPresent(), () -> "dave has no invitation");
            dave.accept(id).join();
            await(() -> dave.history(id).size() == 3 && dave.reactions(id, m1).equals(expected),
                    () -> "dave: " + dave.history(id) + " " + dave.reactions(id, m1));
            assertThat(entry(dave, id, "yes, at noon").orElseThrow().replyTo()).contains(m1);
            assertThat(dave.reactions(id, yes.entry().id())).containsOnlyKeys("❤️");
            assertThat(dave.events(id, BuiltInEvents.REACTION)).hasSize(9);
        }
    }

    @Test
    void typingReachesOnlinePeersExpiresEndsWithAMessageAndIsNeverStored() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            MutableClock bobClock = new MutableClock(cl.clock.instant());
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob", b -> b.clock(bobClock));
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = live(alice, List.of(bob, carol));
            List<PeerId> carolHeard = new CopyOnWriteArrayList<>();
            carol.onEvent(BuiltInEvents.TYPING, e -> carolHeard.add(e.author()));

            assertThat(alice.typing(id).get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(alice.typing(id).get(30, TimeUnit.SECONDS)).isFalse(); // within the repeat interval: not sent
            await(() -> bob.typingNow(id).contains(alice.self()) && carol.typingNow(id).contains(alice.self()),
                    () -> "bob " + bob.typingNow(id) + ", carol " + carol.typingNow(id));
            assertThat(alice.typingNow(id)).isEmpty(); // own signals are not counted
            // Expiry by the peer's clock: bob's moves on, carol's does not.
            bobClock.advance(BuiltInEvents.TYPING_EXPIRY.plusMillis(1));
            assertThat(bob.typingNow(id)).isEmpty();
            assertThat(carol.typingNow(id)).containsExactly(alice.self());
            // Alice's clock moves past the repeat interval: she may signal again.
            cl.clock.advance(BuiltInEvents.TYPING_REPEAT);
            // (it may still be refused for a moment by the type's rate, one a second by the system's time)
            await(() -> alice.typing(id).join(), () -> "alice may not signal again");

            // A message from the typist ends its typing at once.
            assertThat(bob.typing(id).get(30, TimeUnit.SECONDS)).isTrue();
            await(() -> carol.typingNow(id).contains(bob.self()), () -> "carol " + carol.typingNow(id));
            bob.say(id, "done").join().storedByAll().get(30, TimeUnit.SECONDS);
            await(() -> !carol.typingNow(id).contains(bob.self()), () -> "carol " + carol.typingNow(id));
            assertThat(carolHeard).contains(alice.self(), bob.self());

            // Never stored: a late joiner sees the message, no typing.
            ConferencePeer dave = cl.start("dave");
            List<PeerId> daveHeard = new CopyOnWriteArrayList<>();
            dave.onEvent(BuiltInEvents.TYPING, e -> daveHeard.add(e.author()));
            cl.awaitDirectories(alice, dave);
            alice.invite(id, List.of(dave.self())).join();
            await(() -> dave.conference(id).isPresent(), () -> "dave has no invitation");
            dave.accept(id).join();
            await(() -> dave.history(id).size() == 1, () -> "dave: " + dave.history(id));
            assertThat(dave.typingNow(id)).isEmpty();
            assertThat(daveHeard).isEmpty();
            assertThat(dave.events(id, BuiltInEvents.TYPING)).isEmpty();
            for (ConferencePeer p : List.of(alice, bob, carol, dave)) {
                assertThat(p.history(id)).extracting(ChatEntry::text).containsExactly("done");
            }
            assertThat(Duration.between(cl.clock.instant(), bobClock.instant())).isPositive();
        }
    }
}
