package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.ConferenceCluster.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.NewConference;
import dev.convene.conference.Post;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A late joiner pulls a history of several batches and ends with all of it, once each, in order. */
@Timeout(120)
class StreamingCatchUpClusterTest {
    @Test
    void aLateJoinerStreamsAHistoryOfSeveralBatchesAndEndsWithAllOfItInOrder() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = alice.create(NewConference.titled("Long").invite(List.of(bob.self()))).join().id();
            await(() -> bob.conference(id).isPresent(), () -> "bob has no invitation");
            bob.accept(id).join();
            await(() -> alice.conference(id).orElseThrow().participants().contains(bob.self()), () -> "bob never joined");
            int messages = Protocol.MAX_BATCH * 5 + 17; // six batches at least
            Post last = null;
            for (int i = 0; i < messages; i++) last = alice.say(id, "line " + i).join();
            last.acknowledged().get(60, TimeUnit.SECONDS);

            alice.invite(id, List.of(carol.self())).join();
            await(() -> carol.conference(id).isPresent(), () -> "carol has no invitation");
            carol.accept(id).join();
            await(() -> carol.history(id).size() == messages, () -> "carol has " + carol.history(id).size() + " of " + messages);
            assertThat(ids(carol, id)).doesNotHaveDuplicates().isEqualTo(ids(alice, id));
        }
    }
}
