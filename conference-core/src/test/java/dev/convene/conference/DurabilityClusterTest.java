package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.ConferenceCluster.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Crashes, restarts with the same home, store and forward, organiser failure (in-JVM, SHARED_LOOPBACK). */
@Timeout(120)
class DurabilityClusterTest {
    @TempDir
    Path dir;

    private ConferencePeer startAt(ConferenceCluster cl, String name) {
        Path home = dir.resolve(name);
        return cl.start(name, home, Identity.loadOrCreate(home), cl.clock);
    }

    private static ConferenceId liveConference(ConferencePeer organiser, ConferencePeer... invitees) {
        ConferenceId id = organiser.create(NewConference.titled("Durable").invite(java.util.Arrays.stream(invitees)
                .map(ConferencePeer::self).toList())).join().id();
        for (ConferencePeer p : invitees) {
            await(() -> p.conference(id).isPresent(), () -> p.name() + " has no invitation");
            p.accept(id).join();
        }
        for (ConferencePeer p : invitees) {
            await(() -> organiser.conference(id).orElseThrow().participants().contains(p.self())
                    && p.conference(id).orElseThrow().participants().size() == invitees.length + 1, () -> "participants incomplete");
        }
        return id;
    }

    @Test
    void aRestartedPeerKeepsItsHistoryAndFetchesWhatItMissed() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = liveConference(alice, bob);
            for (int i = 0; i < 10; i++) (i % 2 == 0 ? alice : bob).say(id, "before " + i).join().acknowledged().get(30, TimeUnit.SECONDS);
            bob.crash();
            await(() -> !alice.directory().isOnline(bob.self()), () -> "bob still online");
            for (int i = 0; i < 5; i++) alice.say(id, "while bob is away " + i).join();
            ConferencePeer bob2 = startAt(cl, "bob");
            assertThat(bob2.self()).isEqualTo(bob.self());
            assertThat(bob2.history(id)).hasSizeGreaterThanOrEqualTo(10);
            await(() -> bob2.history(id).size() == 15, () -> "bob2 has " + bob2.history(id).size());
            assertThat(ids(bob2, id)).isEqualTo(ids(alice, id));
            await(() -> alice.history(id).stream().noneMatch(ChatEntry::pending), () -> "alice still has pending messages");
            // The restarted peer continues its own sequence: no id is ever reused.
            Post after = bob2.say(id, "back again").join();
            assertThat(after.entry().id().sequence()).isEqualTo(6);
            after.acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> alice.history(id).size() == 16, () -> "alice has " + alice.history(id).size());
            assertThat(ids(alice, id)).doesNotHaveDuplicates().isEqualTo(ids(bob2, id));
        }
    }

    @Test
    void aMessagePostedAloneStaysPendingUntilAParticipantReturns() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = liveConference(alice, bob);
            bob.crash();
            await(() -> !alice.directory().isOnline(bob.self()), () -> "bob still online");
            Post post = alice.say(id, "anyone here?").join();
            assertThat(post.entry().pending()).isTrue();
            assertThat(alice.history(id)).singleElement().matches(ChatEntry::pending);
            assertThat(post.acknowledged()).isNotDone();
            ConferencePeer bob2 = startAt(cl, "bob");
            ChatEntry acked = post.acknowledged().get(30, TimeUnit.SECONDS);
            assertThat(acked.pending()).isFalse();
            assertThat(bob2.history(id)).extracting(ChatEntry::text).containsExactly("anyone here?");
            assertThat(alice.history(id)).singleElement().matches(e -> !e.pending());
        }
    }

    @Test
    void aCorruptStoredMessageIsSkippedAndNeverShown() throws Exception {
        ConferenceId id;
        PeerIds ids;
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob);
            id = liveConference(alice, bob);
            alice.say(id, "one").join().acknowledged().get(30, TimeUnit.SECONDS);
            alice.say(id, "two").join().acknowledged().get(30, TimeUnit.SECONDS);
            ids = new PeerIds(alice.self().value());
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bob").resolve("convene.db"));
             Statement s = db.createStatement()) {
            // Damage the second message's bytes as a disk or a hand edit would.
            assertThat(s.executeUpdate("UPDATE chat SET body = substr(body, 1, length(body) - 3) || x'000000' WHERE seq = 2 AND author = '"
                    + ids.alice() + "'")).isEqualTo(1);
        }
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer bob = startAt(cl, "bob");
            assertThat(bob.history(id)).extracting(ChatEntry::text).containsExactly("one");
        }
    }

    private record PeerIds(String alice) {
    }

    @Test
    void anInvitationToAnOfflinePeerIsDeliveredByAParticipantWhenItComesOnline() {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            ConferencePeer carol = startAt(cl, "carol");
            cl.awaitDirectories(alice, bob, carol);
            bob.close();
            await(() -> !alice.directory().isOnline(bob.self()), () -> "bob still online");
            ConferenceId id = alice.create(NewConference.titled("Forward").invite(bob.self(), carol.self())).join().id();
            await(() -> carol.conference(id).isPresent(), () -> "carol has no invitation");
            carol.accept(id).join();
            await(() -> alice.conference(id).orElseThrow().participants().contains(carol.self()), () -> "carol not participant at alice");
            alice.crash(); // only carol can forward now
            ConferencePeer bob2 = startAt(cl, "bob");
            await(() -> cl.events(bob2).has("invitation Forward"), () -> cl.events(bob2).events.toString());
            bob2.accept(id).join();
            await(() -> carol.conference(id).orElseThrow().participants().contains(bob2.self()), () -> "bob not participant at carol");
        }
    }

    @Test
    void aRestartedPeerRemembersKnownPeersAndItsInvitationReachesAPeerThatStartsLater() {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob);
            bob.close();
            alice.close();
            ConferencePeer alice2 = startAt(cl, "alice");
            assertThat(alice2.directory().online()).isEmpty();
            assertThat(alice2.directory().resolve("bob").id()).isEqualTo(bob.self()); // from the directory cache
            ConferenceId id = alice2.create(NewConference.titled("Later").invite(bob.self())).join().id();
            ConferencePeer bob2 = startAt(cl, "bob");
            await(() -> cl.events(bob2).has("invitation Later"), () -> cl.events(bob2).events.toString());
            bob2.accept(id).join();
            await(() -> alice2.conference(id).orElseThrow().participants().contains(bob2.self()), () -> "bob not participant");
        }
    }

    @Test
    void withTheOrganiserDeadInviteesStillAnswerAndChatAndTheOrganiserCatchesUp() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            ConferencePeer carol = startAt(cl, "carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = alice.create(NewConference.titled("Headless").invite(bob.self(), carol.self())).join().id();
            await(() -> bob.conference(id).isPresent() && carol.conference(id).isPresent(), () -> "invitations missing");
            alice.crash();
            await(() -> !bob.directory().isOnline(alice.self()) && !carol.directory().isOnline(alice.self()), () -> "alice still online");
            bob.accept(id).join();
            carol.accept(id).join();
            await(() -> bob.conference(id).orElseThrow().participants().containsAll(List.of(bob.self(), carol.self()))
                    && carol.conference(id).orElseThrow().participants().containsAll(List.of(bob.self(), carol.self())), () -> "participants unknown");
            bob.say(id, "shall we start without alice?").join().acknowledged().get(30, TimeUnit.SECONDS);
            carol.say(id, "yes").join().acknowledged().get(30, TimeUnit.SECONDS);
            ConferencePeer alice2 = startAt(cl, "alice");
            await(() -> alice2.history(id).size() == 2 && alice2.conference(id).orElseThrow().participants().size() == 3,
                    () -> "alice2: " + alice2.history(id) + " " + alice2.conference(id));
            assertThat(ids(alice2, id)).isEqualTo(ids(bob, id)).isEqualTo(ids(carol, id));
        }
    }

    @Test
    void gracefulLeaveWaitsForTheLastMessageToBeStoredElsewhere() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = liveConference(alice, bob);
            CompletableFuture<ChatEntry> last = alice.say(id, "last words").join().acknowledged();
            alice.close();
            assertThat(last).isDone();
            assertThat(bob.history(id)).extracting(ChatEntry::text).containsExactly("last words");
        }
    }
}
