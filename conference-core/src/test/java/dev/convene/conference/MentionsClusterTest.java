package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mentions between three peers with stores: every participant's entry lists the peers mentioned (by id, as the
 * author resolved them), only the mentioned peer hears {@code mentioned}, a reply carries both its reference and
 * its mentions, an edit keeps them, and a restart reads them back.
 */
@Timeout(120)
class MentionsClusterTest {
    @TempDir
    Path dir;

    private ConferencePeer startAt(ConferenceCluster cl, String name) {
        Path home = dir.resolve(name);
        return cl.start(name, home, Identity.loadOrCreate(home), cl.clock);
    }

    private static ChatEntry entry(ConferencePeer p, ConferenceId id, MessageId m) {
        return p.history(id).stream().filter(e -> e.id().equals(m)).findFirst().orElseThrow(() -> new AssertionError(p.name() + ": no " + m));
    }

    @Test
    void mentionsReachEveryParticipantAndOnlyTheMentionedPeerIsTold() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            ConferencePeer carol = startAt(cl, "carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = alice.create(NewConference.titled("Mentions").invite(bob.self(), carol.self())).join().id();
            for (ConferencePeer p : List.of(bob, carol)) {
                await(() -> p.conference(id).isPresent(), () -> p.name() + " has no invitation");
                p.accept(id).join();
            }
            for (ConferencePeer p : List.of(alice, bob, carol)) {
                await(() -> p.conference(id).orElseThrow().participants().size() == 3, () -> p.name() + ": participants incomplete");
            }
            List<String> told = new CopyOnWriteArrayList<>();
            for (ConferencePeer p : List.of(alice, bob, carol)) {
                p.addListener(new ConferenceListener() {
                    @Override
                    public void mentioned(ChatEntry message) {
                        told.add(p.name() + " " + message.text());
                    }
                });
            }

            Post ask = alice.say(id, "@bob can you review?", List.of(bob.self(), bob.self())).join();
            assertThat(ask.entry().mentions()).containsExactly(bob.self());
            MessageId q = ask.storedByAll().get(30, TimeUnit.SECONDS).id();
            Post answer = bob.reply(id, q, "yes, and @carol too", List.of(carol.self())).join();
            MessageId a = answer.storedByAll().get(30, TimeUnit.SECONDS).id();
            MessageId plain = carol.say(id, "ok").join().storedByAll().get(30, TimeUnit.SECONDS).id();
            alice.edit(id, q, "@bob could you review?").join().storedByAll().get(30, TimeUnit.SECONDS);

            for (ConferencePeer p : List.of(alice, bob, carol)) {
                await(() -> entry(p, id, q).edited(), () -> p.name() + ": " + p.history(id));
                assertThat(entry(p, id, q).mentions()).containsExactly(bob.self()); // an edit keeps them
                assertThat(entry(p, id, a).mentions()).containsExactly(carol.self());
                assertThat(entry(p, id, a).replyTo()).contains(q);
                assertThat(entry(p, id, a).text()).isEqualTo("yes, and @carol too");
                assertThat(entry(p, id, plain).mentions()).isEmpty();
                assertThat(p.eventStats().unknownType()).isZero();
            }
            await(() -> told.size() == 2, () -> "told " + told);
            assertThat(told).containsExactlyInAnyOrder("bob @bob can you review?", "carol yes, and @carol too");

            List<PeerId> many = new ArrayList<>();
            for (int i = 0; i < 17; i++) many.add(new PeerId(String.valueOf((char) ('a' + i)).repeat(PeerId.LENGTH)));
            assertThatThrownBy(() -> alice.say(id, "too many", many).join()).hasRootCauseInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> alice.say(id, " ", List.of(bob.self())).join()).hasRootCauseInstanceOf(InvalidInputException.class);

            for (ConferencePeer p : List.of(alice, bob, carol)) p.close();
            ConferencePeer again = startAt(cl, "carol");
            assertThat(entry(again, id, q).mentions()).containsExactly(bob.self());
            assertThat(entry(again, id, a).mentions()).containsExactly(carol.self());
            assertThat(entry(again, id, a).replyTo()).isEqualTo(Optional.of(q));
            again.close();
        }
    }
}
