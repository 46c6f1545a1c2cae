package dev.convene.conference.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Found by the membership model: a participant that leaves while some of its own posts are acknowledged by nobody
 * (posted during a partition that just healed, or while the others were away) was the only holder of them, and a
 * peer that left answers no history request, so they never reached anyone and the others' FIFO for its author waited
 * for ever (its leave reply says they were posted while it took part). Now it hands them, as history batches, to the
 * online participants before its reply. Observed at a hostile participant, which acknowledges nothing (so bob's post
 * stays unacknowledged) and records every frame in order.
 */
@Timeout(60)
class LeaveWithPendingPostsClusterTest {

    @Test
    void aLeaverHandsItsUnacknowledgedPostsToTheOnlineParticipantsBeforeItsReply() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Leaving", alice, List.of(bob), List.of(mallory));
                alice.close(); // the only participant that would acknowledge is away
                var post = bob.say(id, "only bob holds this").join();
                bob.leave(id).join();

                ChatBatch pushed = mallory.await(ChatBatch.class, b -> b.messages().stream().anyMatch(m -> m.id().equals(post.entry().id())),
                        "bob's unacknowledged post in a batch");
                assertThat(pushed.conference()).isEqualTo(id);
                Meta leaving = mallory.await(Meta.class, m -> m.replies().stream().anyMatch(r -> r.author().equals(bob.self()) && r.answer() == Answer.LEAVE),
                        "bob's leave");
                List<Object> inOrder = mallory.received(Object.class);
                assertThat(inOrder.indexOf(pushed)).as("the batch comes before the reply").isLessThan(inOrder.indexOf(leaving));
            }
        }
    }
}
