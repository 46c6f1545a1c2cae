package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.Scenarios.awaitText;
import static dev.convene.conference.internal.Scenarios.texts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.HlcTimestamp;
import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 5: an author that signs two different messages with one sequence (shows bob and carol one history
 * and then bob another) is caught by the first peer that holds both: the pair is the proof, passed on to the other
 * participants, and neither message is shown anywhere; a peer that had shown the first takes it out (listeners hear
 * {@code retracted}); the author's later messages flow; the proof survives a restart.
 */
@Timeout(120)
class EquivocationClusterTest {

    @Test
    void twoMessagesWithOneSequenceAreBothSettledUnshownAtEveryParticipant(@TempDir Path bobHome) throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob", bobHome, Identity.loadOrCreate(bobHome), cl.clock);
            ConferencePeer carol = cl.start("carol");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, carol);
                ConferenceId id = Scenarios.live("Equivocation", alice, List.of(bob, carol), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                mallory.send(List.of(bob, carol), mallory.post(id, 1, mallory.now(), 0, key, "version A"));
                awaitText(bob, id, "version A");
                awaitText(carol, id, "version A");

                // The same sequence, another text, to bob only.
                mallory.send(bob, mallory.post(id, 1, mallory.now(), 0, key, "version B"));
                for (ConferencePeer p : List.of(bob, carol)) {
                    await(() -> cl.events(p).retracted.stream().map(ChatEntry::text).toList().contains("version A"),
                            () -> p.name() + " heard retracted " + cl.events(p).retracted + ", shows " + texts(p, id));
                }
                mallory.send(List.of(alice, bob, carol), mallory.post(id, 2, mallory.now(), 0, key, "after"));
                for (ConferencePeer p : List.of(alice, bob, carol)) awaitText(p, id, "after");
                for (ConferencePeer p : List.of(alice, bob, carol)) {
                    assertThat(texts(p, id)).as(p.name()).containsExactly("after");
                }
                assertThat(cl.events(alice).messages).extracting(ChatEntry::text).doesNotContain("version A", "version B");

                // The proof is stored: bob, restarted from its home, shows neither version.
                bob.close();
                ConferencePeer bob2 = cl.start("bob", bobHome, Identity.loadOrCreate(bobHome), cl.clock);
                assertThat(texts(bob2, id)).containsExactly("after");
            }
        }
    }

    /**
     * As below, but mallory posts twice more to everyone before any digest is exchanged, so the last sequences agree:
     * tips also name a sequence drawn at random (half the time), so the older difference is compared too.
     */
    @Test
    void anOlderDifferenceIsNoticedAfterTheAuthorPostedAgainToEveryone() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, carol);
                ConferenceId id = Scenarios.live("Split early", alice, List.of(bob, carol), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                HlcTimestamp at = mallory.now();
                mallory.send(bob, mallory.post(id, 1, at, 0, key, "version A"));
                mallory.send(carol, mallory.post(id, 1, at, 0, key, "version B"));
                mallory.send(List.of(alice, bob, carol), mallory.post(id, 2, mallory.now(), 0, key, "second"));
                mallory.send(List.of(alice, bob, carol), mallory.post(id, 3, mallory.now(), 0, key, "third"));
                for (ConferencePeer p : List.of(alice, bob, carol)) {
                    await(() -> texts(p, id).equals(List.of("second", "third")), () -> p.name() + " shows " + texts(p, id));
                }
            }
        }
    }

    /**
     * Item 4: bob holds one version, carol the other, and no peer ever receives both from the author. Digests carry
     * a tip (a hash of the message at each author's last sequence held), so anti-entropy between them notices the
     * difference: the answerer sends its version, the asker holds both, and the proof path takes over. Without tips
     * bob shows A and carol B for ever, and alice whichever she fetched first.
     */
    @Test
    void twoPeersEachHoldingOneVersionNoticeDuringAntiEntropy() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, carol);
                ConferenceId id = Scenarios.live("Split", alice, List.of(bob, carol), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                HlcTimestamp at = mallory.now();
                mallory.send(bob, mallory.post(id, 1, at, 0, key, "version A"));
                mallory.send(carol, mallory.post(id, 1, at, 0, key, "version B"));
                for (ConferencePeer p : List.of(bob, carol)) {
                    await(() -> cl.events(p).retracted.stream().map(ChatEntry::text).anyMatch(t -> t.startsWith("version")),
                            () -> p.name() + " heard retracted " + cl.events(p).retracted + ", shows " + texts(p, id));
                }
                mallory.send(List.of(alice, bob, carol), mallory.post(id, 2, mallory.now(), 0, key, "after"));
                for (ConferencePeer p : List.of(alice, bob, carol)) awaitText(p, id, "after");
                for (ConferencePeer p : List.of(alice, bob, carol)) {
                    assertThat(texts(p, id)).as(p.name()).containsExactly("after");
                }
            }
        }
    }

    /** What a test checks once carol, away while alice settled mallory's pair, is back and has settled it too. */
    private interface Back {
        void check(ConferenceId id, HostilePeer mallory, byte[] key, List<ConferencePeer> everyone) throws Exception;
    }

    /**
     * Mallory posts version A of its sequence 1 and {@code more} messages after it to everyone; carol leaves; version B
     * goes to alice alone, who settles the pair and passes it to bob (not to carol: she is away). Carol restarts from
     * her home showing A and must take it out; then {@code then} checks what else its test is about.
     */
    private static void carolAwayWhileThePairIsSettled(Path carolHome, String title, int more, Back then) throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol", carolHome, Identity.loadOrCreate(carolHome), cl.clock);
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, carol);
                ConferenceId id = Scenarios.live(title, alice, List.of(bob, carol), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                HlcTimestamp at = mallory.now();
                mallory.send(List.of(alice, bob, carol), mallory.post(id, 1, at, 0, key, "version A"));
                for (int i = 2; i <= more + 1; i++) mallory.send(List.of(alice, bob, carol), mallory.post(id, i, mallory.now(), 0, key, "more " + i));
                String last = more == 0 ? "version A" : "more " + (more + 1);
                for (ConferencePeer p : List.of(alice, bob, carol)) awaitText(p, id, last);
                carol.close();
                mallory.send(alice, mallory.post(id, 1, at, 0, key, "version B"));
                for (ConferencePeer p : List.of(alice, bob)) {
                    await(() -> texts(p, id).size() == more && !texts(p, id).contains("version A"), () -> p.name() + " still shows " + texts(p, id));
                }
                ConferencePeer carol2 = cl.start("carol", carolHome, Identity.loadOrCreate(carolHome), cl.clock);
                assertThat(texts(carol2, id)).as("restored from home, before any digest").contains("version A").hasSize(more + 1);
                await(() -> !texts(carol2, id).contains("version A"), () -> "carol still shows " + texts(carol2, id));
                then.check(id, mallory, key, List.of(alice, bob, carol2));
            }
        }
    }

    /**
     * Found by {@code MembershipModelTest} (seed 6639624182878041061): carol holds version A and is away while alice
     * settles the pair, so the pair alice passes on misses her. Back, carol's digest names A as her tip; alice holds A
     * too (and B as the proof): before, "same tip" meant nothing to send, and carol showed A for ever. Now alice sends
     * the other version, carol holds both and settles the pair as everyone did.
     */
    @Test
    void aPeerAwayWhileThePairWasSettledGetsTheOtherVersionFromAHolderOfTheProof(@TempDir Path carolHome) throws Exception {
        carolAwayWhileThePairIsSettled(carolHome, "Away", 0, (id, mallory, key, everyone) -> {
            mallory.send(everyone, mallory.post(id, 2, mallory.now(), 0, key, "after"));
            for (ConferencePeer p : everyone) awaitText(p, id, "after");
            for (ConferencePeer p : everyone) assertThat(texts(p, id)).as(p.name()).containsExactly("after");
        });
    }

    /**
     * As above, but carol holds forty of mallory's messages, so a digest's random tip rarely names the first: alice
     * passes the pairs she holds to a participant as it comes online (ChatLog.passProofs), and carol settles it at once
     * instead of whenever a tip happens to compare that sequence (MembershipModelTest soak: a peer that left before
     * then showed its version for ever).
     */
    @Test
    void aParticipantComingBackGetsThePairsHeldByThoseItMeets(@TempDir Path carolHome) throws Exception {
        carolAwayWhileThePairIsSettled(carolHome, "Back", 39, (id, mallory, key, everyone) -> {
            for (ConferencePeer p : everyone) assertThat(texts(p, id)).as(p.name()).hasSize(39).doesNotContain("version B");
        });
    }
}
