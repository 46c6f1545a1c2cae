package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edits and deletes between three peers with stores, a late joiner and restarts: the latest text marked edited and
 * a tombstone in the deleted message's place at every peer, the later of two edits wins, and no store holds a trace
 * of the deleted text or of its earlier edit (rows gone, their bytes nowhere in the files).
 */
@Timeout(180)
class EditsClusterTest {
    @TempDir
    Path dir;

    private ConferencePeer startAt(ConferenceCluster cl, String name) {
        Path home = dir.resolve(name);
        return cl.start(name, home, Identity.loadOrCreate(home), cl.clock);
    }

    private static ConferenceId live(ConferencePeer organiser, List<ConferencePeer> invitees) {
        ConferenceId id = organiser.create(NewConference.titled("Plans").participantsMayInvite(true)
                .invite(invitees.stream().map(ConferencePeer::self).toList())).join().id();
        for (ConferencePeer p : invitees) {
            await(() -> p.conference(id).isPresent(), () -> p.name() + " has no invitation");
            p.accept(id).join();
        }
        List<ConferencePeer> all = new ArrayList<>(invitees);
        all.add(organiser);
        for (ConferencePeer p : all) {
            await(() -> p.conference(id).orElseThrow().participants().size() == all.size(), () -> p.name() + ": participants incomplete");
        }
        return id;
    }

    /** The stored body (signed message bytes) of a message in a peer's store, or null if no row holds it. */
    private byte[] storedBody(String peer, ConferenceId id, MessageId m) {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(peer).resolve("convene.db"));
             PreparedStatement q = db.prepareStatement("SELECT body FROM chat WHERE conference=? AND author=? AND seq=?")) {
            q.setString(1, id.value());
            q.setString(2, m.author().value());
            q.setLong(3, m.sequence());
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getBytes(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether any file in a peer's home (the database, its write-ahead log) holds these bytes. */
    private boolean homeHolds(String peer, byte[] needle) throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve(peer))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] all = Files.readAllBytes(f);
                for (int i = 0; i + needle.length <= all.length; i++) {
                    if (all[i] == needle[0] && Arrays.equals(all, i, i + needle.length, needle, 0, needle.length)) return true;
                }
            }
        }
        return false;
    }

    /** A stretch of a stored message's ciphertext (inside the signed bytes, away from ids and the signature). */
    private static byte[] middle(byte[] body) {
        int from = body.length / 2 - 16;
        return Arrays.copyOfRange(body, from, from + 32);
    }

    private static ChatEntry entry(ConferencePeer p, ConferenceId id, MessageId m) {
        return p.history(id).stream().filter(e -> e.id().equals(m)).findFirst().orElseThrow(() -> new AssertionError(p.name() + ": no " + m));
    }

    @Test
    void editsAndDeletesReachAllALateJoinerGetsTheTombstoneAndNoStoreKeepsTheDeletedText() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            ConferencePeer carol = startAt(cl, "carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = live(alice, List.of(bob, carol));
            List<String> bobHeard = new CopyOnWriteArrayList<>();
            bob.addListener(new ConferenceListener() {
                @Override
                public void edited(ChatEntry latest) {
                    bobHeard.add("edited " + latest.text());
                }

                @Override
                public void deleted(ChatEntry tombstone) {
                    bobHeard.add("deleted " + tombstone.id().sequence() + " " + tombstone.text().isEmpty());
                }
            });

            MessageId secret = alice.say(id, "the secret plan: meet at the old mill").join().storedByAll().get(30, TimeUnit.SECONDS).id();
            MessageId hello = alice.say(id, "helo").join().storedByAll().get(30, TimeUnit.SECONDS).id();
            MessageId hi = bob.reply(id, hello, "hi").join().storedByAll().get(30, TimeUnit.SECONDS).id();
            Post fix = alice.edit(id, secret, "the secret plan, v2: meet at the new mill").join();
            assertThat(fix.entry().edited()).isTrue();
            fix.storedByAll().get(30, TimeUnit.SECONDS);
            // Two edits in a row: the later (in history order, the author's) wins everywhere.
            alice.edit(id, hello, "hello").join();
            Post second = alice.edit(id, hello, "hello, it's \"me\" \\o/ 🎉").join();
            assertThat(second.storedByAll().get(30, TimeUnit.SECONDS).text()).isEqualTo("hello, it's \"me\" \\o/ 🎉");

            // What the stores hold of the secret before its delete: its row and its edit's, at every peer.
            byte[] original = storedBody("bob", id, secret);
            byte[] edit = storedBody("bob", id, new MessageId(alice.self(), secret.sequence() + 2));
            assertThat(original).isNotNull();
            assertThat(edit).isNotNull();
            assertThat(homeHolds("carol", middle(original))).isTrue(); // the check can see a row's bytes

            Post gone = alice.delete(id, secret).join();
            assertThat(gone.entry().deleted()).isTrue();
            assertThat(gone.entry().text()).isEmpty();
            gone.storedByAll().get(30, TimeUnit.SECONDS);

            List<MessageId> order = List.of(secret, hello, hi);
            for (ConferencePeer p : List.of(alice, bob, carol)) {
                await(() -> entry(p, id, secret).deleted() && entry(p, id, hello).text().startsWith("hello,"),
                        () -> p.name() + ": " + p.history(id));
                assertThat(p.history(id)).extracting(ChatEntry::id).containsExactlyElementsOf(order); // the place stays
                assertThat(entry(p, id, secret).text()).isEmpty();
                assertThat(entry(p, id, hello).edited()).isTrue();
                assertThat(entry(p, id, hello).text()).isEqualTo("hello, it's \"me\" \\o/ 🎉");
                assertThat(entry(p, id, hi).replyTo()).contains(hello);
                assertThat(entry(p, id, hi).edited()).isFalse();
            }
            await(() -> bobHeard.size() == 4, () -> "bob heard " + bobHeard);
            assertThat(bobHeard).containsExactly("edited the secret plan, v2: meet at the new mill", "edited hello",
                    "edited hello, it's \"me\" \\o/ 🎉", "deleted " + secret.sequence() + " true");
            for (String name : List.of("alice", "bob", "carol")) {
                await(() -> storedBody(name, id, secret) == null && storedBody(name, id, new MessageId(alice.self(), secret.sequence() + 2)) == null,
                        () -> name + " still stores the deleted message or its edit");
                assertThat(storedBody(name, id, hello)).isNotNull();
            }

            // Only the author edits or deletes; a deleted message is not edited again.
            assertThatThrownBy(() -> bob.edit(id, hello, "mine now").join()).hasRootCauseInstanceOf(NotAllowedException.class)
                    .rootCause().extracting(e -> ((NotAllowedException) e).rule()).isEqualTo(NotAllowedException.Rule.AUTHOR_ONLY);
            assertThatThrownBy(() -> bob.delete(id, hello).join()).hasRootCauseInstanceOf(NotAllowedException.class);
            assertThatThrownBy(() -> alice.edit(id, secret, "back").join()).rootCause()
                    .extracting(e -> ((NotAllowedException) e).rule()).isEqualTo(NotAllowedException.Rule.MESSAGE_NOT_EDITABLE);
            assertThatThrownBy(() -> alice.edit(id, hello, " ").join()).hasRootCauseInstanceOf(InvalidInputException.class);

            // A late joiner, caught up by carol alone after alice and bob left: the tombstone, not the text.
            alice.close();
            bob.close();
            ConferencePeer dave = startAt(cl, "dave");
            cl.awaitDirectories(carol, dave);
            carol.invite(id, List.of(dave.self())).join();
            await(() -> dave.conference(id).isPresent(), () -> "dave has no invitation");
            dave.accept(id).join();
            await(() -> dave.history(id).size() == 3, () -> "dave: " + dave.history(id));
            assertThat(dave.history(id)).extracting(ChatEntry::id).containsExactlyElementsOf(order);
            assertThat(entry(dave, id, secret).deleted()).isTrue();
            assertThat(entry(dave, id, secret).timestamp()).isEqualTo(entry(carol, id, secret).timestamp());
            assertThat(entry(dave, id, hello).text()).isEqualTo("hello, it's \"me\" \\o/ 🎉");
            assertThat(dave.editStats().deletes()).isEqualTo(1);
            dave.close();
            carol.close();

            // After restarts: the same history, and no file in any home holds the deleted text's bytes.
            for (String name : List.of("alice", "bob", "carol", "dave")) {
                ConferencePeer p = startAt(cl, name);
                assertThat(p.history(id)).extracting(ChatEntry::id).containsExactlyElementsOf(order);
                assertThat(entry(p, id, secret).deleted()).isTrue();
                assertThat(entry(p, id, hello).text()).isEqualTo("hello, it's \"me\" \\o/ 🎉");
                assertThat(entry(p, id, hello).edited()).isTrue();
                p.close();
                assertThat(homeHolds(name, middle(original))).as(name + " holds the deleted message's bytes").isFalse();
                assertThat(homeHolds(name, middle(edit))).as(name + " holds the deleted edit's bytes").isFalse();
            }
        }
    }

    @Test
    void afterTheConferenceEndedNothingIsEditedOrDeleted() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = live(alice, List.of(bob));
            MessageId m = alice.say(id, "final words").join().storedByAll().get(30, TimeUnit.SECONDS).id();
            alice.end(id).join();
            await(() -> bob.conference(id).orElseThrow().state().isOver(), () -> "bob: not over");
            assertThatThrownBy(() -> alice.edit(id, m, "other words").join()).hasRootCauseInstanceOf(ConferenceStateException.class);
            assertThatThrownBy(() -> alice.delete(id, m).join()).hasRootCauseInstanceOf(ConferenceStateException.class);
            assertThat(alice.history(id)).extracting(ChatEntry::text).containsExactly("final words");
            assertThat(alice.editStats()).isEqualTo(new EditStats(0, 0, 0, 0));
        }
    }

    /**
     * A delete of an own post that is still waiting for its batch's signature (its id guessed from the author's
     * sequence, the future of {@code say} not awaited): the erasure waits for the post's row, so neither the
     * author's store nor the others' keep its text.
     */
    @Test
    void aDeleteRightAfterItsPostLeavesNoRowAnywhere() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = live(alice, List.of(bob));
            MessageId first = alice.say(id, "warm-up").join().storedByAll().get(30, TimeUnit.SECONDS).id();
            MessageId secret = new MessageId(alice.self(), first.sequence() + 1);
            var said = alice.say(id, "the combination is 12-34-56");
            Post gone = alice.delete(id, secret).join();
            assertThat(gone.entry().deleted()).isTrue();
            said.join();
            gone.storedByAll().get(30, TimeUnit.SECONDS);
            for (ConferencePeer p : List.of(alice, bob)) {
                await(() -> p.history(id).stream().anyMatch(e -> e.id().equals(secret) && e.deleted()), () -> p.name() + ": " + p.history(id));
            }
            for (String name : List.of("alice", "bob")) {
                await(() -> storedBody(name, id, secret) == null, () -> name + " still stores the deleted post");
            }
            alice.close();
            bob.close();
            for (String name : List.of("alice", "bob")) {
                assertThat(storedBody(name, id, secret)).as(name + " after close").isNull();
                assertThat(homeHolds(name, "12-34-56".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isFalse();
            }
        }
    }
}
