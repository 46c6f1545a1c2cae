package dev.convene.conference.internal;

import static dev.convene.conference.internal.HostilePeer.rejected;
import static dev.convene.conference.internal.Scenarios.awaitRejected;
import static dev.convene.conference.internal.Scenarios.awaitText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.internal.Scenarios.Shown;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A malicious participant replays chat messages, someone else's and its own, live and inside history
 * batches: each is stored and shown once.
 */
@Timeout(120)
class ChatReplayClusterTest {

    private static long shown(ConferenceCluster cl, ConferencePeer p, String text) {
        return cl.events(p).messages.stream().filter(e -> e.text().equals(text)).count();
    }

    @Test
    void aChatMessageReplayedTwiceAndInHistoryBatchesIsStoredAndShownOnce() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, carol);
                List<ConferencePeer> honest = List.of(alice, bob, carol);
                ConferenceId id = Scenarios.live("Standup", alice, List.of(bob, carol), List.of(mallory));
                bob.say(id, "original").join().acknowledged().get(30, TimeUnit.SECONDS);
                ChatMessage bobs = mallory.await(ChatMessage.class, m -> m.author().equals(bob.self()), "bob's message");
                ChatMessage mine = mallory.post(id, 1, mallory.now(), 0, mallory.contentKey(id), "mine");
                mallory.send(honest, mine);
                for (ConferencePeer p : honest) {
                    awaitText(p, id, "original");
                    awaitText(p, id, "mine");
                }
                List<Shown> before = honest.stream().map(Shown::by).toList();
                List<Long> rejectedBefore = honest.stream().map(HostilePeer::rejected).toList();
                List<Long> chatFramesBefore = honest.stream().map(p -> p.overlay().stats().received(101)).toList();
                List<Long> batchFramesBefore = honest.stream().map(p -> p.overlay().stats().received(104)).toList();

                for (ConferencePeer p : honest) {
                    for (ChatMessage m : List.of(bobs, mine)) {
                        mallory.send(p, m);
                        mallory.send(p, m);
                        mallory.send(p, new ChatBatch(id, List.of(m, m), false));
                    }
                    mallory.probe(p);
                }
                for (int i = 0; i < honest.size(); i++) awaitRejected(honest.get(i), rejectedBefore.get(i) + 1);

                for (int i = 0; i < honest.size(); i++) {
                    ConferencePeer p = honest.get(i);
                    assertThat(Shown.by(p)).as(p.name()).isEqualTo(before.get(i));
                    assertThat(p.history(id)).extracting(ChatEntry::text).containsOnlyOnce("original", "mine");
                    assertThat(p.overlay().stats().received(101) - chatFramesBefore.get(i)).as("%s: chat frames", p.name()).isEqualTo(4);
                    assertThat(p.overlay().stats().received(104) - batchFramesBefore.get(i)).as("%s: batches", p.name()).isGreaterThanOrEqualTo(2);
                    assertThat(rejected(p)).as("%s: a replay is not an error", p.name()).isEqualTo(rejectedBefore.get(i) + 1);
                }
                // Listeners are told on each peer's callback thread, after its engine thread: read at once, a loaded
                // callback thread may not have told them yet what the history already holds (alice's 'original' at
                // load ~50 once). A message said now is told after everything the replays could have made them hear
                // (each engine took them in before its probe), so once it was told, a replay told again would show.
                bob.say(id, "after the replays").join().acknowledged().get(30, TimeUnit.SECONDS);
                for (ConferencePeer p : honest) {
                    ConferenceCluster.await(() -> shown(cl, p, "after the replays") == 1, () -> p.name() + " never told of the message after the replays");
                    assertThat(shown(cl, p, "original")).as("%s: 'original' shown", p.name()).isEqualTo(1);
                    assertThat(shown(cl, p, "mine")).as("%s: 'mine' shown", p.name()).isEqualTo(1);
                }
                Scenarios.stillChats(carol, id, alice);
            }
        }
    }
}
