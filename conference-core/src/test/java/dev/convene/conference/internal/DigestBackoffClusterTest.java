package dev.convene.conference.internal;

import static dev.convene.conference.internal.Scenarios.awaitRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12: the same history request asked again (the last answer did not help the asker) is not answered with the
 * same batch in a loop: repeats within the back-off get nothing, and the conference keeps working.
 */
@Timeout(60)
class DigestBackoffClusterTest {

    @Test
    void aRepeatedDigestIsAnsweredOnceWithinTheBackOff() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Backoff", alice, List.of(bob), List.of(mallory));
                alice.say(id, "one").join().acknowledged().get(30, TimeUnit.SECONDS);
                alice.say(id, "two").join().acknowledged().get(30, TimeUnit.SECONDS);
                int before = mallory.received(ChatBatch.class, alice).size();

                ChatDigest stuck = new ChatDigest(id, Map.of());
                long rejected = HostilePeer.rejected(alice);
                for (int i = 0; i < 20; i++) mallory.send(alice, stuck);
                mallory.probe(alice);
                awaitRejected(alice, rejected + 1);
                ConferenceCluster.await(() -> mallory.received(ChatBatch.class, alice).size() > before, () -> "no batch at all");
                int answered = mallory.received(ChatBatch.class, alice).size() - before;
                assertThat(answered).as("batches for 20 identical digests sent at once").isBetween(1, 3);
                Scenarios.stillChats(bob, id, alice);
            }
        }
    }
}
