package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Replies and reactions across restarts: read back from the store with their references, own ones included. */
@Timeout(120)
class SocialDurabilityTest {
    @TempDir
    Path dir;

    private ConferencePeer startAt(ConferenceCluster cl, String name) {
        Path home = dir.resolve(name);
        return cl.start(name, home, Identity.loadOrCreate(home), cl.clock);
    }

    @Test
    void repliesAndReactionsSurviveARestart() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = alice.create(NewConference.titled("Restart").invite(bob.self())).join().id();
            await(() -> bob.conference(id).isPresent(), () -> "bob has no invitation");
            bob.accept(id).join();
            await(() -> alice.conference(id).orElseThrow().participants().contains(bob.self()), () -> "bob not in");
            MessageId q = alice.say(id, "question").join().storedByAll().get(30, TimeUnit.SECONDS).id(); // bob saw it: ordered before
            MessageId a = bob.reply(id, q, "answer").join().storedByAll().get(30, TimeUnit.SECONDS).id();
            alice.react(id, a, "👍").join().storedByAll().get(30, TimeUnit.SECONDS);
            bob.react(id, q, "🤔").join().storedByAll().get(30, TimeUnit.SECONDS);
            List<ChatEntry> before = alice.history(id);
            bob.close();
            alice.close();

            for (String name : List.of("alice", "bob")) {
                ConferencePeer p = startAt(cl, name);
                List<ChatEntry> h = p.history(id);
                assertThat(h).extracting(ChatEntry::text).containsExactly("question", "answer");
                assertThat(h).extracting(ChatEntry::replyTo).containsExactly(java.util.Optional.empty(), java.util.Optional.of(q));
                assertThat(h).extracting(ChatEntry::id).isEqualTo(before.stream().map(ChatEntry::id).toList());
                assertThat(p.reactions(id, a)).isEqualTo(Map.of("👍", new TreeSet<>(List.of(alice.self()))));
                assertThat(p.reactions(id, q)).isEqualTo(Map.of("🤔", new TreeSet<>(List.of(bob.self()))));
                p.close();
            }
        }
    }
}
