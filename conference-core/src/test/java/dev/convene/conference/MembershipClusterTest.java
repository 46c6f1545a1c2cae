package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.ConferenceCluster.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validity by the membership at the time of the message (issue 12): leaving or being removed later never erases
 * what was said before, newcomers get every earlier epoch's key, and a pending post that is finally acknowledged
 * is reported to its author.
 */
@Timeout(120)
class MembershipClusterTest {

    private static void awaitInvited(ConferencePeer p, ConferenceId id) {
        await(() -> p.invitations().stream().anyMatch(v -> v.id().equals(id)), () -> p.name() + " has no invitation");
    }

    private static void awaitParticipants(ConferenceId id, Set<ConferencePeer> expected, ConferencePeer... at) {
        Set<dev.convene.overlay.PeerId> ids = expected.stream().map(ConferencePeer::self).collect(java.util.stream.Collectors.toSet());
        for (ConferencePeer p : at) {
            await(() -> p.conference(id).map(v -> v.participants().equals(ids)).orElse(false),
                    () -> p.name() + " sees " + p.conference(id).map(ConferenceView::participants));
        }
    }

    private static List<String> texts(ConferencePeer p, ConferenceId id) {
        return p.history(id).stream().map(ChatEntry::text).toList();
    }

    @Test
    void aLateJoinerReceivesWhatAnAuthorSaidBeforeItLeft() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = alice.create(NewConference.titled("L").invite(bob.self(), carol.self())).join().id();
            awaitInvited(bob, id);
            awaitInvited(carol, id);
            bob.accept(id).join();
            awaitParticipants(id, Set.of(alice, bob), alice, bob);
            bob.say(id, "bob was here").join().acknowledged().get(30, TimeUnit.SECONDS);
            bob.leave(id).join();
            awaitParticipants(id, Set.of(alice), alice);
            alice.say(id, "after bob").join();

            carol.accept(id).join();
            await(() -> texts(carol, id).size() == 2, () -> "carol: " + texts(carol, id));
            assertThat(texts(carol, id)).containsExactly("bob was here", "after bob");
            assertThat(ids(carol, id)).isEqualTo(ids(alice, id));
        }
    }

    @Test
    void aPeerInvitedAfterARemovalReadsTheWholeHistoryAndLaterMessagesFlow() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            ConferencePeer dave = cl.start("dave");
            cl.awaitDirectories(alice, bob, carol, dave);
            ConferenceId id = alice.create(NewConference.titled("R").invite(bob.self(), carol.self())).join().id();
            awaitInvited(bob, id);
            awaitInvited(carol, id);
            bob.accept(id).join();
            carol.accept(id).join();
            awaitParticipants(id, Set.of(alice, bob, carol), alice, bob, carol);
            bob.say(id, "from bob").join().acknowledged().get(30, TimeUnit.SECONDS);
            // Carol answers once she has it (an acknowledgement may come from alice first): so hers is ordered after.
            await(() -> texts(carol, id).contains("from bob"), () -> "carol: " + texts(carol, id));
            carol.say(id, "from carol").join().acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> alice.history(id).size() == 2, () -> "alice: " + texts(alice, id));

            alice.remove(id, bob.self()).join();
            awaitParticipants(id, Set.of(alice, carol), alice, carol);
            await(() -> carol.conference(id).isPresent() && texts(carol, id).size() == 2, () -> "carol: " + texts(carol, id));
            alice.say(id, "after the removal").join().acknowledged().get(30, TimeUnit.SECONDS);
            alice.invite(id, List.of(dave.self())).join();
            awaitInvited(dave, id);
            dave.accept(id).join();
            await(() -> texts(dave, id).size() == 3, () -> "dave: " + texts(dave, id));
            assertThat(texts(dave, id)).containsExactly("from bob", "from carol", "after the removal");

            // The authors' later messages flow to him too: nothing is stuck behind an unreadable sequence.
            carol.say(id, "welcome dave").join().acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> texts(dave, id).contains("welcome dave"), () -> "dave: " + texts(dave, id));
            await(() -> ids(alice, id).equals(ids(dave, id)) && ids(carol, id).equals(ids(dave, id)),
                    () -> "alice " + ids(alice, id) + " carol " + ids(carol, id) + " dave " + ids(dave, id));
            assertThat(texts(bob, id)).doesNotContain("after the removal", "welcome dave");
        }
    }

    @Test
    void aPendingPostIsReportedDeliveredWhenAParticipantStoresIt(@TempDir Path bobHome) throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob", bobHome, Identity.loadOrCreate(bobHome), cl.clock);
            cl.awaitDirectories(alice, bob);
            ConferenceId id = alice.create(NewConference.titled("D").invite(bob.self())).join().id();
            awaitInvited(bob, id);
            bob.accept(id).join();
            awaitParticipants(id, Set.of(alice, bob), alice, bob);
            ChatEntry first = alice.say(id, "heard at once").join().acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> cl.events(alice).delivered.contains(first), () -> "delivered: " + cl.events(alice).delivered);

            bob.close();
            await(() -> !alice.directory().isOnline(bob.self()), () -> "bob still online at alice");
            Post pending = alice.say(id, "while bob is away").join();
            assertThat(pending.entry().pending()).isTrue();
            assertThat(cl.events(alice).delivered).extracting(ChatEntry::text).containsExactly("heard at once");

            ConferencePeer bob2 = cl.start("bob", bobHome, Identity.loadOrCreate(bobHome), cl.clock);
            ChatEntry later = pending.acknowledged().get(30, TimeUnit.SECONDS);
            assertThat(later.pending()).isFalse();
            await(() -> cl.events(alice).delivered.size() == 2, () -> "delivered: " + cl.events(alice).delivered);
            assertThat(cl.events(alice).delivered).extracting(ChatEntry::text).containsExactly("heard at once", "while bob is away");
            assertThat(texts(bob2, id)).contains("while bob is away");
        }
    }

    @Test
    void storedByAllCompletesOnlyOnceEveryOtherParticipantHasTheMessage(@TempDir Path carolHome) throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol", carolHome, Identity.loadOrCreate(carolHome), cl.clock);
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = alice.create(NewConference.titled("A").invite(bob.self(), carol.self())).join().id();
            awaitInvited(bob, id);
            awaitInvited(carol, id);
            bob.accept(id).join();
            carol.accept(id).join();
            awaitParticipants(id, Set.of(alice, bob, carol), alice, bob, carol);
            Post both = alice.say(id, "all here").join();
            assertThat(both.storedByAll().get(30, TimeUnit.SECONDS).text()).isEqualTo("all here");

            carol.close();
            await(() -> !alice.directory().isOnline(carol.self()), () -> "carol still online at alice");
            Post post = alice.say(id, "while carol is away").join();
            post.acknowledged().get(30, TimeUnit.SECONDS); // bob has it
            await(() -> cl.events(alice).delivered.stream().anyMatch(e -> e.text().equals("while carol is away")), () -> "not delivered");
            assertThat(post.storedByAll()).isNotDone();

            ConferencePeer carol2 = cl.start("carol", carolHome, Identity.loadOrCreate(carolHome), cl.clock);
            assertThat(post.storedByAll().get(30, TimeUnit.SECONDS).text()).isEqualTo("while carol is away");
            assertThat(texts(carol2, id)).contains("while carol is away");
            await(() -> cl.events(alice).deliveredToAll.size() == 2, () -> "stored by all: " + cl.events(alice).deliveredToAll);
            assertThat(cl.events(alice).deliveredToAll).extracting(ChatEntry::text).containsExactly("all here", "while carol is away");
        }
    }

    @Test
    void withHistoryJoinedANewcomerReadsFromItsAdmissionAndTheCommonPartHasOneOrder() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = alice.create(NewConference.titled("J").invite(bob.self()).historyJoined(true)).join().id();
            assertThat(alice.conference(id).orElseThrow().context().historyJoined()).isTrue();
            awaitInvited(bob, id);
            bob.accept(id).join();
            awaitParticipants(id, Set.of(alice, bob), alice, bob);
            bob.say(id, "before carol").join().acknowledged().get(30, TimeUnit.SECONDS);
            alice.say(id, "also before carol").join().acknowledged().get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> bob.invite(id, List.of(carol.self())).join()).hasMessageContaining("ORGANISERS_ONLY");

            alice.invite(id, List.of(carol.self())).join();
            awaitInvited(carol, id);
            carol.accept(id).join();
            awaitParticipants(id, Set.of(alice, bob, carol), alice, bob, carol);
            alice.say(id, "hello carol").join().acknowledged().get(30, TimeUnit.SECONDS);
            bob.say(id, "hi carol").join().acknowledged().get(30, TimeUnit.SECONDS);
            // An acknowledgement means one other participant stored it: wait until all three hold everything.
            await(() -> texts(carol, id).size() == 2 && texts(bob, id).size() == 4 && texts(alice, id).size() == 4,
                    () -> "carol " + texts(carol, id) + " bob " + texts(bob, id) + " alice " + texts(alice, id));
            assertThat(texts(carol, id)).containsExactly("hello carol", "hi carol");
            List<String> common = ids(alice, id).stream().filter(ids(carol, id)::contains).toList();
            assertThat(ids(carol, id)).isEqualTo(common);
            assertThat(ids(bob, id)).isEqualTo(ids(alice, id));
        }
    }
}
