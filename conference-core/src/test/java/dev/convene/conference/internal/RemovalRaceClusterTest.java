package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.Scenarios.awaitText;
import static dev.convene.conference.internal.Scenarios.texts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.Post;
import dev.convene.overlay.OverlayTestHooks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11 item 6: a removed participant cannot keep posting or reading through a member that was cut off during
 * the removal. While dave does not know of mallory's removal he shows what she sends him and posts under the old
 * key; once he hears of it, both are taken out of his history, his post fails, the others never show either,
 * and everyone ends with one history.
 */
@Timeout(120)
class RemovalRaceClusterTest {

    private static JChannel channel(ConferencePeer p) {
        return OverlayTestHooks.core(p.overlay()).channel();
    }

    private static DISCARD discard(ConferencePeer p) throws Exception {
        return discard(channel(p));
    }

    private static DISCARD discard(JChannel ch) throws Exception {
        ProtocolStack stack = ch.getProtocolStack();
        DISCARD d = stack.findProtocol(DISCARD.class);
        if (d == null) {
            d = new DISCARD();
            stack.insertProtocol(d, ProtocolStack.Position.ABOVE, TP.class);
        }
        return d;
    }

    @Test
    void aMemberCutOffDuringARemovalRetractsWhatTheRemovedPeerSentItAndWhatItSentUnderTheOldKey() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer dave = cl.start("dave");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, dave);
                ConferenceId id = Scenarios.live("Race", alice, List.of(bob, dave), List.of(mallory));
                byte[] epoch0 = mallory.contentKey(id);
                mallory.send(List.of(alice, bob, dave), mallory.post(id, 1, mallory.now(), 0, epoch0, "mallory before"));
                for (ConferencePeer p : List.of(alice, bob, dave)) awaitText(p, id, "mallory before");

                // Dave (with mallory) is cut off from alice and bob while alice removes mallory.
                JChannel mc = OverlayTestHooks.core(mallory.overlay()).channel();
                for (ConferencePeer other : List.of(alice, bob)) {
                    discard(dave).addIgnoreMember(channel(other).getAddress());
                    discard(other).addIgnoreMember(channel(dave).getAddress());
                    discard(mc).addIgnoreMember(channel(other).getAddress());
                    discard(other).addIgnoreMember(mc.getAddress());
                }
                await(() -> !dave.directory().isOnline(alice.self()) && !alice.directory().isOnline(dave.self())
                        && !alice.directory().isOnline(mallory.id()) && dave.directory().isOnline(mallory.id()), () -> "no cut yet");
                alice.remove(id, mallory.id()).join();
                await(() -> !bob.conference(id).orElseThrow().participants().contains(mallory.id()), () -> "bob: " + bob.conference(id));
                cl.clock.advance(Duration.ofSeconds(5));

                // Unaware, dave shows what mallory sends him and posts under the old key (which mallory holds).
                mallory.send(dave, mallory.post(id, 2, mallory.now(), 0, epoch0, "through dave"));
                awaitText(dave, id, "through dave");
                Post stale = dave.say(id, "while cut off").join();
                mallory.await(ChatMessage.class, m -> m.author().equals(dave.self()) && m.keyEpoch() == 0, "dave's post");

                for (ConferencePeer p : List.of(alice, bob, dave)) discard(p).resetIgnoredMembers();
                discard(mc).resetIgnoredMembers();
                cl.awaitDirectories(alice, bob, dave);
                await(() -> dave.conference(id).orElseThrow().participants().equals(alice.conference(id).orElseThrow().participants()),
                        () -> "dave: " + dave.conference(id));
                await(() -> !texts(dave, id).contains("through dave") && !texts(dave, id).contains("while cut off"),
                        () -> "dave still shows: " + texts(dave, id));
                Assertions.assertThatThrownBy(() -> stale.acknowledged().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasMessageContaining("refused");

                // Dave goes on under the new key; everyone ends with one history, without either message.
                Scenarios.stillChats(dave, id, alice);
                await(() -> ConferenceCluster.ids(alice, id).equals(ConferenceCluster.ids(dave, id))
                        && ConferenceCluster.ids(bob, id).equals(ConferenceCluster.ids(dave, id)),
                        () -> "alice " + texts(alice, id) + " bob " + texts(bob, id) + " dave " + texts(dave, id));
                for (ConferencePeer p : List.of(alice, bob, dave)) {
                    assertThat(texts(p, id)).as(p.name()).contains("mallory before").doesNotContain("through dave", "while cut off");
                }
                assertThat(dave.conference(id).orElseThrow().myRole()).isEqualTo(ConferenceView.Role.PARTICIPANT);
            }
        }
    }
}
