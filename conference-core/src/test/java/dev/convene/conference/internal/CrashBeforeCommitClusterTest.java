package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.Scenarios.writerOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.NewConference;
import dev.convene.conference.Post;
import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receiver killed between delivering messages and committing their rows: nothing it acknowledged is lost, and what
 * it had not committed was never acknowledged (in-JVM, memory network, real stores).
 */
@Timeout(120)
class CrashBeforeCommitClusterTest {
    @TempDir
    Path dir;

    private ConferencePeer startAt(ConferenceCluster cl, String name) {
        Path home = dir.resolve(name);
        return cl.start(name, home, Identity.loadOrCreate(home), cl.clock);
    }

    @Test
    void aPeerKilledBetweenDeliveryAndCommitLosesNothingItAcknowledged() throws Exception {
        ConferenceId id;
        List<Post> posts = new ArrayList<>();
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob);
            id = alice.create(NewConference.titled("Crash").invite(List.of(bob.self()))).join().id();
            ConferenceId cid = id;
            await(() -> bob.conference(cid).isPresent(), () -> "bob has no invitation");
            bob.accept(id).join();
            await(() -> alice.conference(cid).orElseThrow().participants().contains(bob.self()), () -> "bob never joined");
            for (int i = 0; i < 5; i++) posts.add(alice.say(id, "committed " + i).join());
            for (Post p : posts) p.acknowledged().get(30, TimeUnit.SECONDS);

            writerOf(bob).holdForTest(new CountDownLatch(1)); // bob delivers from now on but commits nothing
            List<Post> held = new ArrayList<>();
            for (int i = 0; i < 20; i++) held.add(alice.say(id, "delivered only " + i).join());
            posts.addAll(held);
            await(() -> bob.history(cid).size() == 25, () -> "bob has " + bob.history(cid).size());
            // Delivered and shown at bob, but not stored: no acknowledgement may say it is.
            for (Post p : held) assertThat(p.acknowledged()).failsWithin(Duration.ofMillis(20));
            assertThat(held.get(held.size() - 1).acknowledged()).failsWithin(Duration.ofMillis(500));

            bob.crash();
            alice.crash(); // nobody left to send bob what it lost
        }
        List<Long> acknowledged = posts.stream().filter(p -> p.acknowledged().isDone() && !p.acknowledged().isCompletedExceptionally())
                .map(p -> p.entry().id().sequence()).toList();
        assertThat(acknowledged).hasSize(5);
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer bob = startAt(cl, "bob");
            List<Long> kept = bob.history(id).stream().map(e -> e.id().sequence()).toList();
            assertThat(kept).containsAll(acknowledged);
            // The crash did land between delivery and commit: what was only delivered is gone.
            assertThat(bob.history(id)).extracting(ChatEntry::text).noneMatch(t -> t.startsWith("delivered only"));
        }
    }
}
