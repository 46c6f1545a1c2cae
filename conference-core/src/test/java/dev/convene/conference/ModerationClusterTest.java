package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Removal with key rotation, and the local ban list. */
@Timeout(120)
class ModerationClusterTest {

    private static ConferenceId live(ConferencePeer organiser, List<ConferencePeer> invitees) {
        ConferenceId id = organiser.create(NewConference.titled("Moderated").invite(invitees.stream().map(ConferencePeer::self).toList()))
                .join().id();
        for (ConferencePeer p : invitees) {
            await(() -> p.conference(id).isPresent(), () -> p.name() + " has no invitation");
            p.accept(id).join();
        }
        for (ConferencePeer p : invitees) {
            await(() -> p.conference(id).orElseThrow().participants().size() == invitees.size() + 1
                    && organiser.conference(id).orElseThrow().participants().contains(p.self()), () -> "participants incomplete");
        }
        return id;
    }

    @Test
    void aRemovedPeerReadsNothingSentAfterwardsAndCannotPost() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = live(alice, List.of(bob, carol));
            alice.say(id, "before").join().acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> carol.history(id).size() == 1, () -> "carol missed 'before'");
            alice.remove(id, carol.self()).join();
            await(() -> carol.conference(id).orElseThrow().myRole() == ConferenceView.Role.REMOVED
                    && bob.conference(id).orElseThrow().participants().equals(java.util.Set.of(alice.self(), bob.self())),
                    () -> "removal not known: " + carol.conference(id) + " / " + bob.conference(id));
            long chatFramesAtCarol = carol.overlay().stats().received(101);
            alice.say(id, "after").join().acknowledged().get(30, TimeUnit.SECONDS);
            bob.say(id, "secret").join().acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> alice.history(id).size() == 3 && bob.history(id).size() == 3, () -> "alice/bob histories incomplete");
            assertThat(carol.history(id)).extracting(ChatEntry::text).containsExactly("before");
            assertThat(carol.overlay().stats().received(101)).isEqualTo(chatFramesAtCarol);
            assertThatThrownBy(() -> carol.say(id, "let me in").join()).hasMessageContaining("NOT_PARTICIPANT");
            assertThatThrownBy(() -> bob.remove(id, alice.self()).join()).hasMessageContaining("ORGANISERS_ONLY");
        }
    }

    @Test
    void nothingFromABannedPeerIsShownAndTheBanSurvivesARestart(@TempDir Path dir) throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob", dir, Identity.loadOrCreate(dir), cl.clock);
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = live(alice, List.of(bob, carol));
            assertThat(bob.ban(carol.self()).join()).isTrue();
            carol.say(id, "spam").join().acknowledged().get(30, TimeUnit.SECONDS);
            alice.say(id, "real").join().acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> bob.history(id).size() == 1 && alice.history(id).size() == 2, () -> "histories: " + bob.history(id) + " / " + alice.history(id));
            assertThat(bob.history(id)).extracting(ChatEntry::text).containsExactly("real");
            assertThat(cl.events(bob).messages).extracting(ChatEntry::text).doesNotContain("spam");
            assertThat(bob.overlay().stats().drops(dev.convene.overlay.DropReason.REJECTED)).isPositive();
            bob.close();
            ConferencePeer bob2 = cl.start("bob", dir, Identity.loadOrCreate(dir), cl.clock);
            assertThat(bob2.bans()).containsExactly(carol.self());
            assertThat(bob2.unban(carol.self()).join()).isTrue();
        }
    }
}
