package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.Scenarios.awaitRejected;
import static dev.convene.conference.internal.Scenarios.awaitText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MessageId;
import dev.convene.conference.internal.Scenarios.Shown;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A malicious participant, holding the content key as every participant does, forges chat: under another
 * member's name, and dated outside the clock skew allowed. Every participant refuses it, live and as history.
 */
@Timeout(120)
class ChatForgeryClusterTest {

    private static HlcTimestamp at(ConferenceCluster cl, Duration fromNow) {
        return new HlcTimestamp(cl.clock.instant().plus(fromNow).toEpochMilli(), 0);
    }

    @Test
    void aMessageSignedByOneMemberClaimingAnotherAuthorIsRejected() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, carol);
                ConferenceId id = Scenarios.live("Payments", alice, List.of(bob, carol), List.of(mallory));
                bob.say(id, "bob 1").join().acknowledged().get(30, TimeUnit.SECONDS);
                List<ConferencePeer> others = List.of(alice, carol);
                for (ConferencePeer p : others) awaitText(p, id, "bob 1");
                byte[] key = mallory.contentKey(id);
                // Bob's and alice's next sequence numbers, encrypted under the real key, signed by mallory.
                ChatMessage asBob = Fixtures.chat(mallory.identity(), bob.self(), id, 2, mallory.now(), 0, key, "bob: pay mallory");
                ChatMessage asAlice = Fixtures.chat(mallory.identity(), alice.self(), id, 1, mallory.now(), 0, key, "alice: agreed");
                List<Shown> before = others.stream().map(Shown::by).toList();
                List<Long> rejectedBefore = others.stream().map(HostilePeer::rejected).toList();

                for (ConferencePeer p : others) {
                    mallory.send(p, asBob);
                    mallory.send(p, new ChatBatch(id, List.of(asBob, asAlice), false));
                }
                mallory.send(carol, asAlice);
                awaitRejected(alice, rejectedBefore.get(0) + 3);
                awaitRejected(carol, rejectedBefore.get(1) + 4);

                for (int i = 0; i < others.size(); i++) assertThat(Shown.by(others.get(i))).isEqualTo(before.get(i));
                // The forgery did not take bob's next sequence number: his real second message is shown as it.
                bob.say(id, "bob 2").join().acknowledged().get(30, TimeUnit.SECONDS);
                for (ConferencePeer p : others) {
                    awaitText(p, id, "bob 2");
                    assertThat(p.history(id)).filteredOn(e -> e.author().equals(bob.self())).extracting(ChatEntry::id, ChatEntry::text)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple(new MessageId(bob.self(), 1), "bob 1"),
                                    org.assertj.core.groups.Tuple.tuple(new MessageId(bob.self(), 2), "bob 2"));
                    assertThat(cl.events(p).messages).extracting(ChatEntry::text).doesNotContain("bob: pay mallory", "alice: agreed");
                }
                Scenarios.stillChats(alice, id, carol);
            }
        }
    }

    @Test
    void aMessageDatedAfterTheConferenceEndedIsRejected() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Closed", alice, List.of(bob), List.of(mallory));
                alice.say(id, "the record").join().acknowledged().get(30, TimeUnit.SECONDS);
                awaitText(bob, id, "the record");
                byte[] key = mallory.contentKey(id);
                alice.end(id).join();
                List<ConferencePeer> honest = List.of(alice, bob);
                for (ConferencePeer p : honest) {
                    await(() -> p.conference(id).orElseThrow().state() == ConferenceState.ENDED, () -> p.name() + " not ended");
                }
                cl.clock.advance(Duration.ofHours(2));
                List<Shown> before = honest.stream().map(Shown::by).toList();
                List<Long> rejectedBefore = honest.stream().map(HostilePeer::rejected).toList();

                mallory.send(honest, mallory.post(id, 1, mallory.now(), 0, key, "added to the record afterwards"));
                mallory.probe(alice);
                mallory.probe(bob);
                for (int i = 0; i < honest.size(); i++) awaitRejected(honest.get(i), rejectedBefore.get(i) + 2); // the post, then the probe

                for (int i = 0; i < honest.size(); i++) assertThat(Shown.by(honest.get(i))).isEqualTo(before.get(i));
                for (int i = 0; i < honest.size(); i++) {
                    assertThat(HostilePeer.rejected(honest.get(i))).as("the late post counted").isEqualTo(rejectedBefore.get(i) + 2);
                }
            }
        }
    }

    @Test
    void messagesFarBeyondAnAuthorsGapAreRefusedNotHeld() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Held", alice, List.of(bob), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                long rejectedBefore = HostilePeer.rejected(alice);

                // Sequence 1 never comes; each of these would wait for it, forever, at every participant.
                int far = 200;
                for (int i = 0; i < far; i++) {
                    mallory.send(alice, mallory.post(id, 1_000_000L + i, mallory.now(), 0, key, "x".repeat(8 << 10)));
                }
                mallory.probe(alice);
                awaitRejected(alice, rejectedBefore + far + 1); // the probe is refused last (FIFO)
                assertThat(HostilePeer.rejected(alice)).as("messages far beyond the gap refused and counted")
                        .isEqualTo(rejectedBefore + far + 1);
                // Mallory's real first message is still taken.
                mallory.send(alice, mallory.post(id, 1, mallory.now(), 0, key, "first"));
                awaitText(alice, id, "first");
            }
        }
    }

    @Test
    void aTimestampMoreThanAMinuteAheadOrBeforeTheStartIsRejectedAndOneWithinTheSkewIsNot() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Schedule", alice, List.of(bob), List.of(mallory));
                alice.say(id, "on time").join().acknowledged().get(30, TimeUnit.SECONDS);
                awaitText(bob, id, "on time");
                byte[] key = mallory.contentKey(id);
                List<ConferencePeer> honest = List.of(alice, bob);
                List<Shown> before = honest.stream().map(Shown::by).toList();
                List<Long> rejectedBefore = honest.stream().map(HostilePeer::rejected).toList();

                ChatMessage justOver = mallory.post(id, 1, at(cl, Duration.ofSeconds(61)), 0, key, "from a minute ahead");
                ChatMessage farAhead = mallory.post(id, 1, at(cl, Duration.ofDays(365)), 0, key, "from next year");
                ChatMessage beforeStart = mallory.post(id, 1, at(cl, Duration.ofMinutes(-2)), 0, key, "before it began");
                for (ConferencePeer p : honest) {
                    for (ChatMessage m : List.of(justOver, farAhead, beforeStart)) mallory.send(p, m);
                    mallory.send(p, new ChatBatch(id, List.of(farAhead), false));
                }
                for (int i = 0; i < honest.size(); i++) awaitRejected(honest.get(i), rejectedBefore.get(i) + 4);
                for (int i = 0; i < honest.size(); i++) assertThat(Shown.by(honest.get(i))).isEqualTo(before.get(i));

                // Thirty seconds ahead is clock skew, not an attack.
                mallory.send(honest, mallory.post(id, 1, at(cl, Duration.ofSeconds(30)), 0, key, "a little ahead"));
                for (ConferencePeer p : honest) awaitText(p, id, "a little ahead");
                Scenarios.stillChats(bob, id, alice);
            }
        }
    }
}
