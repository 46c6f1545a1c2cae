package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConferencePeer#fileBytesHeld}: the whole size at the sharer and after a fetch, 0 before one, the verified
 * bytes of a fetch under way, and of one stopped by a crash once the peer is back.
 */
@Timeout(120)
class FileHeldClusterTest {
    @TempDir
    Path dir;

    private ConferencePeer startAt(ConferenceCluster cl, String name) {
        Path home = dir.resolve(name);
        return cl.start(name, home, Identity.loadOrCreate(home), cl.clock);
    }

    @Test
    void heldIsWholeAtTheSharerNothingBeforeAFetchTheVerifiedPartDuringAndAfterACrashAndWholeAfter() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = alice.create(NewConference.titled("Held").invite(List.of(bob.self()))).join().id();
            await(() -> bob.conference(id).isPresent(), () -> "no invitation at bob");
            bob.accept(id).join();
            await(() -> alice.conference(id).orElseThrow().participants().contains(bob.self()), () -> "bob not a participant at alice");
            byte[] content = new byte[3 << 20];
            new Random(7).nextBytes(content);
            Path src = Files.write(dir.resolve("held.bin"), content);
            FileOffer offer = alice.share(id, src).get(30, TimeUnit.SECONDS);
            await(() -> bob.files(id).contains(offer), () -> "no offer at bob");

            assertThat(alice.fileBytesHeld(offer)).as("the sharer").isEqualTo(offer.size());
            assertThat(bob.fileBytesHeld(offer)).as("before any fetch").isZero();

            CountDownLatch stopped = new CountDownLatch(1);
            CompletableFuture<Long> some = new CompletableFuture<>();
            bob.fetch(id, offer.id(), dir.resolve("out"), p -> {
                if (p.bytesDone() >= (1 << 20) && p.bytesDone() < p.bytesTotal()) {
                    some.complete(p.bytesDone());
                    try {
                        stopped.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            long had = some.get(60, TimeUnit.SECONDS);
            assertThat(bob.fileBytesHeld(offer)).as("a fetch under way").isBetween(had, offer.size() - 1);
            bob.crash();
            stopped.countDown();

            ConferencePeer bob2 = startAt(cl, "bob");
            assertThat(bob2.fileBytesHeld(offer)).as("a stopped fetch, kept in the home").isBetween(had, offer.size() - 1);
            cl.awaitDirectories(alice, bob2);
            bob2.fetch(id, offer.id(), dir.resolve("out"), null).get(60, TimeUnit.SECONDS);
            assertThat(bob2.fileBytesHeld(offer)).as("fetched whole").isEqualTo(offer.size());
        }
    }
}
