package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.HostilePeer.rejected;
import static dev.convene.conference.internal.Scenarios.awaitRejected;
import static dev.convene.conference.internal.Scenarios.awaitText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.NewConference;
import dev.convene.conference.internal.Scenarios.Shown;
import dev.convene.overlay.Identity;
import dev.convene.overlay.OverlayStats;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An uninvited peer on the same overlay (a real conference peer, using its own key, knowing the conference
 * id) can neither read a conference, nor pull its history, nor post to it.
 */
@Timeout(120)
class UninvitedPeerClusterTest {
    /** Frame type ids: 101 chat, 102 acknowledgement, 103 history request, 104 history batch. */
    private static final List<Integer> CHAT_TYPES = List.of(101, 102, 103, 104);

    private static void assertNoChatFrames(ConferencePeer outsider) {
        OverlayStats s = outsider.overlay().stats();
        for (int type : CHAT_TYPES) assertThat(s.received(type)).as("%s: frames of type %s", outsider.name(), type).isZero();
    }

    @Test
    void anUninvitedPeerReceivesNoChatOrHistoryFrameAtAll() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer eve = cl.start("eve");
            cl.awaitDirectories(alice, bob, eve);
            ConferenceId id = Scenarios.live("Board", alice, List.of(bob), List.of());
            alice.say(id, "quarterly numbers").join().acknowledged().get(30, TimeUnit.SECONDS);
            bob.say(id, "confidential").join().acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> Scenarios.texts(alice, id).size() == 2, () -> "alice: " + Scenarios.texts(alice, id));
            // Anti-entropy runs every second among participants; the outsider is never part of it.
            long digestsAtBob = bob.overlay().stats().received(103);
            await(() -> bob.overlay().stats().received(103) > digestsAtBob + 1, () -> "no anti-entropy round at bob");

            assertNoChatFrames(eve);
            assertThat(eve.conferences()).isEmpty();
            assertThat(cl.events(eve).events).isEmpty();
            assertThat(cl.events(eve).messages).isEmpty();
        }
    }

    @Test
    void aHistoryRequestFromAnUninvitedPeerIsRejectedAndAnsweredWithNothing() throws Exception {
        Identity eveKey = Identity.generate();
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer eve = cl.start("eve", null, eveKey, cl.clock);
            cl.awaitDirectories(alice, bob, eve);
            ConferenceId id = Scenarios.live("Board", alice, List.of(bob), List.of());
            alice.say(id, "confidential").join().acknowledged().get(30, TimeUnit.SECONDS);
            Shown atAlice = Shown.by(alice);
            Shown atBob = Shown.by(bob);
            long rejectedAlice = rejected(alice);
            long rejectedBob = rejected(bob);

            // "I have nothing; send me everything", signed by eve's own key, for the right conference.
            for (ConferencePeer victim : List.of(alice, bob)) eve.overlay().send(victim.self(), new ChatDigest(id, Map.of()));
            awaitRejected(alice, rejectedAlice + 1);
            awaitRejected(bob, rejectedBob + 1);
            assertThat(Shown.by(alice)).isEqualTo(atAlice);
            assertThat(Shown.by(bob)).isEqualTo(atBob);

            // Anything alice or bob had answered would reach eve before this later invitation (one order per sender).
            alice.create(NewConference.titled("Lunch from alice").invite(eve.self())).join();
            bob.create(NewConference.titled("Lunch from bob").invite(eve.self())).join();
            await(() -> cl.events(eve).has("invitation Lunch from alice") && cl.events(eve).has("invitation Lunch from bob"),
                    () -> "eve: " + cl.events(eve).events);
            assertNoChatFrames(eve);
            assertThat(eve.conference(id)).isEmpty();
            Scenarios.stillChats(bob, id, alice);
        }
    }

    @Test
    void postsFromAnUninvitedPeerAreRejectedByEveryParticipant() throws Exception {
        Identity eveKey = Identity.generate();
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            ConferencePeer eve = cl.start("eve", null, eveKey, cl.clock);
            cl.awaitDirectories(alice, bob, carol, eve);
            ConferenceId id = Scenarios.live("Board", alice, List.of(bob, carol), List.of());
            alice.say(id, "welcome").join().acknowledged().get(30, TimeUnit.SECONDS);
            for (ConferencePeer p : List.of(bob, carol)) awaitText(p, id, "welcome");
            List<ConferencePeer> participants = List.of(alice, bob, carol);
            List<Shown> before = participants.stream().map(Shown::by).toList();
            List<Long> rejectedBefore = participants.stream().map(HostilePeer::rejected).toList();

            // A well-formed post for the right conference, signed by eve as its author, under a key she made up;
            // then the same post offered as history.
            ChatMessage post = Fixtures.chat(eveKey, eveKey.id(), id, 1, new HlcTimestamp(cl.clock.instant().toEpochMilli(), 0), 0,
                    ContentCrypto.newKey(), "let me in");
            for (ConferencePeer p : participants) {
                eve.overlay().send(p.self(), post);
                eve.overlay().send(p.self(), new ChatBatch(id, List.of(post), false));
            }
            for (int i = 0; i < participants.size(); i++) awaitRejected(participants.get(i), rejectedBefore.get(i) + 2);

            assertThat(participants.stream().map(Shown::by).toList()).isEqualTo(before);
            for (ConferencePeer p : participants) assertThat(cl.events(p).messages).extracting(ChatEntry::text).doesNotContain("let me in");
            Scenarios.stillChats(carol, id, bob);
        }
    }
}
