package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.HostilePeer.rejected;
import static dev.convene.conference.internal.Scenarios.awaitRejected;
import static dev.convene.conference.internal.Scenarios.awaitText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.internal.Scenarios.Shown;
import dev.convene.overlay.Identity;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * After the organiser removes a member, the content key moves to a new epoch granted only to the others: the
 * removed peer cannot read what is sent afterwards even when a colluding member hands it the frames, and
 * nothing it posts is accepted.
 */
@Timeout(120)
class RemovedPeerClusterTest {

    @Test
    void aRemovedPeerRefusesNewEpochChatItIsHandedAndItsOwnPostsAreRejected() throws Exception {
        Identity carolKey = Identity.generate();
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol", null, carolKey, cl.clock);
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, carol);
                ConferenceId id = Scenarios.live("Moderated", alice, List.of(bob, carol), List.of(mallory));
                alice.say(id, "before").join().acknowledged().get(30, TimeUnit.SECONDS);
                awaitText(carol, id, "before");
                byte[] epoch0 = mallory.contentKey(id);

                alice.remove(id, carol.self()).join();
                await(() -> carol.conference(id).orElseThrow().myRole() == ConferenceView.Role.REMOVED
                        && bob.conference(id).orElseThrow().participants().equals(Set.of(alice.self(), bob.self(), mallory.id())),
                        () -> "removal not known: " + carol.conference(id) + " / " + bob.conference(id));
                bob.say(id, "after").join().acknowledged().get(30, TimeUnit.SECONDS);
                ChatMessage after = mallory.await(ChatMessage.class, m -> m.author().equals(bob.self()) && m.keyEpoch() == 1,
                        "bob's message under the new key");
                Shown carolBefore = Shown.by(carol);
                long carolRejected = rejected(carol);

                // Mallory, still a participant, hands carol the new frames live and as history.
                mallory.send(carol, after);
                mallory.send(carol, new ChatBatch(id, List.of(after), false));
                awaitRejected(carol, carolRejected + 2);
                assertThat(Shown.by(carol)).isEqualTo(carolBefore);
                assertThat(carol.history(id)).extracting(ChatEntry::text).containsExactly("before");
                assertThat(cl.events(carol).messages).extracting(ChatEntry::text).doesNotContain("after");

                // Carol posts with the key she still has, signed by her own key, live and as history.
                ChatMessage post = Fixtures.chat(carolKey, carolKey.id(), id, 1, mallory.now(), 0, epoch0, "let me back in");
                List<ConferencePeer> members = List.of(alice, bob);
                List<Shown> before = members.stream().map(Shown::by).toList();
                List<Long> rejectedBefore = members.stream().map(HostilePeer::rejected).toList();
                for (ConferencePeer p : members) {
                    carol.overlay().send(p.self(), post);
                    carol.overlay().send(p.self(), new ChatBatch(id, List.of(post), false));
                }
                for (int i = 0; i < members.size(); i++) awaitRejected(members.get(i), rejectedBefore.get(i) + 2);
                assertThat(members.stream().map(Shown::by).toList()).isEqualTo(before);
                assertThatThrownBy(() -> carol.say(id, "let me back in").join()).hasMessageContaining("NOT_PARTICIPANT");
                Scenarios.stillChats(bob, id, alice);
            }
        }
    }

    @Test
    void aRemovedPeerHoldingTheFramesHasNoKeyForThemAndTheOthersStillDo() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory"); HostilePeer trudy = HostilePeer.besides(alice, "trudy")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Moderated", alice, List.of(bob), List.of(mallory, trudy));
                byte[] epoch0 = mallory.contentKey(id);

                alice.remove(id, mallory.id()).join();
                Meta told = mallory.await(Meta.class, m -> m.removals().stream().anyMatch(r -> r.peer().equals(mallory.id())),
                        "news of her removal");
                KeyGrant trudysGrant = trudy.await(Meta.class, m -> m.grants().stream().anyMatch(g -> g.recipient().equals(trudy.id())),
                        "trudy's grant").grants().stream().filter(g -> g.recipient().equals(trudy.id())).findFirst().orElseThrow();
                await(() -> bob.conference(id).orElseThrow().participants().equals(Set.of(alice.self(), bob.self(), trudy.id())),
                        () -> "bob: " + bob.conference(id));
                bob.say(id, "after the removal").join().acknowledged().get(30, TimeUnit.SECONDS);
                // Trudy, a remaining member, colludes: she passes bob's new message to mallory.
                ChatMessage after = trudy.await(ChatMessage.class, m -> m.author().equals(bob.self()) && m.keyEpoch() == 1,
                        "bob's message under the new key");

                assertThat(told.grants()).as("grants mallory saw, sealed to others").isNotEmpty()
                        .allSatisfy(g -> assertThat(mallory.open(g)).isEmpty());
                assertThat(mallory.grants(id)).allSatisfy(g -> assertThat(mallory.open(g)).isEmpty());
                assertThatThrownBy(() -> ContentCrypto.decrypt(epoch0, after.body(), after.aad()))
                        .isInstanceOf(GeneralSecurityException.class);
                byte[] epoch1 = trudy.open(trudysGrant).orElseThrow();
                assertThat(new String(ContentCrypto.decrypt(epoch1, after.body(), after.aad()), StandardCharsets.UTF_8))
                        .isEqualTo("after the removal");

                // What mallory still can do is post under the old key: every participant refuses it.
                List<ConferencePeer> members = List.of(alice, bob);
                List<Shown> before = members.stream().map(Shown::by).toList();
                List<Long> rejectedBefore = members.stream().map(HostilePeer::rejected).toList();
                mallory.send(members, mallory.post(id, 1, mallory.now(), 0, epoch0, "still here?"));
                for (int i = 0; i < members.size(); i++) awaitRejected(members.get(i), rejectedBefore.get(i) + 1);
                assertThat(members.stream().map(Shown::by).toList()).isEqualTo(before);
                Scenarios.stillChats(bob, id, alice);
            }
        }
    }
}
