package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.NewConference;
import dev.convene.conference.internal.HostileBytes.RawMeta;
import dev.convene.overlay.DropReason;
import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 1: one frame must not brick a peer. A signed context whose start lies so near
 * {@link java.time.Instant#MAX} that its end overflows is refused before anything is stored; the peer goes on
 * ticking and chatting and starts again from its home; and a home whose store holds hostile or corrupt
 * conference rows still starts, with those rows set aside and counted.
 */
@Timeout(120)
class BrickingAttackClusterTest {
    @TempDir
    Path dir;

    private ConferencePeer startAt(ConferenceCluster cl, String name) {
        Path home = dir.resolve(name);
        return cl.start(name, home, Identity.loadOrCreate(home), cl.clock);
    }

    private static long malformed(ConferencePeer p) {
        return p.overlay().stats().drops(DropReason.MALFORMED_BODY);
    }

    private static void chatOnce(ConferencePeer from, ConferenceId id, ConferencePeer to, String text) throws Exception {
        from.say(id, text).join().acknowledged().get(30, TimeUnit.SECONDS);
        Scenarios.awaitText(to, id, text);
    }

    @Test
    void aContextWhoseEndOverflowsIsRefusedAndThePeerStillTicksChatsAndRestarts() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = cl.start("bob");
            Identity malloryKey = Identity.generate();
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory", malloryKey, List.of(HostileBytes.RAW_META))) {
                cl.awaitDirectories(alice, bob);
                mallory.awaitSeenBy(List.of(alice));
                long before = malformed(alice);

                RawMeta doom = RawMeta.signedBy(malloryKey, HostileBytes.startNearInstantMax(malloryKey, List.of(alice.self()),
                        cl.clock.instant()));
                mallory.send(alice, doom);
                mallory.send(alice, doom);
                await(() -> malformed(alice) >= before + 2, () -> "alice refused " + malformed(alice) + " (expected: " + (before + 2) + ")");

                assertThat(alice.conferences()).isEmpty();
                // Ticks go on: a conference created now goes live, and chat flows both ways.
                ConferenceId id = alice.create(NewConference.titled("After").invite(bob.self())).join().id();
                await(() -> bob.conference(id).isPresent(), () -> "bob has no invitation");
                bob.accept(id).join();
                await(() -> alice.conference(id).orElseThrow().participants().contains(bob.self()), () -> "bob never joined");
                assertThat(alice.conference(id).orElseThrow().state()).isEqualTo(ConferenceState.LIVE);
                chatOnce(alice, id, bob, "still here");
                chatOnce(bob, id, alice, "me too");

                alice.close();
                ConferencePeer again = startAt(cl, "alice");
                assertThat(again.conferences()).extracting(ConferenceView::id).containsExactly(id);
                assertThat(again.stats().quarantined()).isZero();
                assertThat(again.stats().signatureChecks()).as("a start verifies each stored context once, nothing else").isEqualTo(1);
                assertThat(Scenarios.texts(again, id)).containsExactly("still here", "me too");
            }
        }
    }

    @Test
    void aHomeWithHostileAndCorruptConferenceRowsStartsAndSetsThemAside() throws Exception {
        ConferenceId kept;
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            kept = alice.create(NewConference.titled("Kept")).join().id();
            alice.say(kept, "hello me").join();
            alice.close();

            Identity mallory = Identity.generate();
            RawMeta doom = RawMeta.signedBy(mallory, HostileBytes.startNearInstantMax(mallory, List.of(alice.self()), cl.clock.instant()));
            ConferenceId doomId = doom.context().id();
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("alice").resolve("convene.db"));
                 PreparedStatement q = db.prepareStatement("INSERT INTO conference (id, meta, keys, epoch, own_seq) VALUES (?,?,?,0,0)")) {
                byte[] noKeys = new byte[4];
                q.setString(1, doomId.value()); // hostile: decodes only where a start near Instant.MAX is accepted
                q.setBytes(2, doom.bytes());
                q.setBytes(3, noKeys);
                q.executeUpdate();
                q.setString(1, ConferenceId.random().value()); // damaged: not metadata at all
                q.setBytes(2, new byte[] {1, 2, 3, 4, 5});
                q.setBytes(3, noKeys);
                q.executeUpdate();
                q.setString(1, "not an id"); // damaged key
                q.setBytes(2, doom.bytes());
                q.setBytes(3, noKeys);
                q.executeUpdate();
            }

            ConferencePeer again = startAt(cl, "alice");
            assertThat(again.conferences()).extracting(ConferenceView::id).containsExactly(kept);
            assertThat(Scenarios.texts(again, kept)).containsExactly("hello me");
            assertThat(again.stats().quarantined()).isEqualTo(3);
            assertThat(again.stats().conferenceFailures()).isEqualTo(2);
            assertThat(again.stats().corruptRows()).as("the row with a malformed id").isEqualTo(1);
            again.close();

            // Set aside for good: the next start loads the same and finds them in the quarantine, not in the store.
            ConferencePeer third = startAt(cl, "alice");
            assertThat(third.conferences()).extracting(ConferenceView::id).containsExactly(kept);
            assertThat(third.stats().quarantined()).isEqualTo(3);
            assertThat(third.stats().conferenceFailures()).isZero();
            third.close();
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("alice").resolve("convene.db"));
                 Statement s = db.createStatement();
                 ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM conference), (SELECT count(*) FROM quarantine)")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(1);
                assertThat(r.getInt(2)).isEqualTo(3);
            }
        }
    }
}
