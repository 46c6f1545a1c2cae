package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.Scenarios.engineOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.overlay.DropReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Metadata anti-entropy by digest: members holding the same records exchange digests only; a member that missed a
 * record gets the metadata on a difference; a stranger's digest is refused and answered with nothing.
 */
@Timeout(120)
class MetaDigestClusterTest {
    private static final int META = Protocol.META_TYPE.id();
    private static final int DIGEST = MetaDigest.TYPE.id();

    private static ConferencePeer start(ConferenceCluster cl, String name) {
        return cl.start(name, b -> b.syncInterval(Duration.ofMillis(300)));
    }

    private static long received(List<ConferencePeer> peers, int type) {
        return peers.stream().mapToLong(p -> p.overlay().stats().received(type)).sum();
    }

    private static long[] outcomes(ConferencePeer p) throws Exception {
        return engineOf(p).metaDigestOutcomesForTest().get(30, TimeUnit.SECONDS);
    }

    /** Waits until the digests received by {@code peers} grew by {@code rounds}. */
    private static void awaitDigests(List<ConferencePeer> peers, int rounds) {
        long from = received(peers, DIGEST);
        await(() -> received(peers, DIGEST) >= from + rounds, () -> "digests: " + received(peers, DIGEST) + " of " + (from + rounds));
    }

    @Test
    void membersWithTheSameMetadataExchangeOnlyDigests() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = start(cl, "alice");
            ConferencePeer bob = start(cl, "bob");
            ConferencePeer carol = start(cl, "carol");
            List<ConferencePeer> all = List.of(alice, bob, carol);
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = Scenarios.live("Digests", alice, List.of(bob, carol), List.of());
            for (ConferencePeer p : all) {
                await(() -> p.conference(id).orElseThrow().participants().size() == 3, () -> p.name() + " does not know every answer yet");
            }
            awaitDigests(all, 6); // what was still under way when the conference opened has settled
            long metaBefore = received(all, META);
            long[][] before = {outcomes(alice), outcomes(bob), outcomes(carol)};
            awaitDigests(all, 12);
            assertThat(received(all, META)).as("whole metadata sent between members holding the same records").isEqualTo(metaBefore);
            long same = 0;
            for (int i = 0; i < 3; i++) {
                long[] after = outcomes(all.get(i));
                assertThat(after[1]).as("digests that differed at " + all.get(i).name()).isEqualTo(before[i][1]);
                same += after[0] - before[i][0];
            }
            assertThat(same).as("digests compared and found the same").isPositive();
        }
    }

    @Test
    void aMemberThatLostARecordGetsItBackOnADifference() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = start(cl, "alice");
            ConferencePeer bob = start(cl, "bob");
            ConferencePeer carol = start(cl, "carol");
            ConferencePeer dave = start(cl, "dave");
            cl.awaitDirectories(alice, bob, carol, dave);
            ConferenceId id = Scenarios.live("Lost", alice, List.of(bob, carol), List.of());
            alice.invite(id, List.of(dave.self())).join();
            for (ConferencePeer p : List.of(alice, bob, carol)) {
                await(() -> p.conference(id).orElseThrow().invitees().contains(dave.self()), () -> p.name() + " has not heard of dave's invitation");
            }
            long[] aliceBefore = outcomes(alice);
            long[] bobBefore = outcomes(bob);
            long[] carolBefore = outcomes(carol);
            // Carol loses dave's invitation (as if she had never received it; nobody comes online or resends it), and
            // gets it back. A copy already in flight when it was taken out (a spread of the invitation, the whole
            // metadata after unanswered digests) can bring it back before any digest differs (CI saw it once), so
            // this is tried up to three times: without the digest path no digest ever differs, whatever the tries.
            long differed = 0;
            for (int attempt = 0; attempt < 3 && differed == 0; attempt++) {
                assertThat(engineOf(carol).onConferenceForTest(id, c -> {
                    Invitation lost = c.invitations.remove(dave.self());
                    return lost != null && c.nonces.remove(lost.nonceHex());
                }).get(30, TimeUnit.SECONDS)).isTrue();
                await(() -> holdsInvitation(carol, id, dave), () -> "carol never got dave's invitation back");
                differed = outcomes(alice)[1] - aliceBefore[1] + outcomes(bob)[1] - bobBefore[1] + outcomes(carol)[1] - carolBefore[1];
            }
            assertThat(differed).as("digests that differed").isPositive();
        }
    }

    @Test
    void aMemberThatLostAnAnswerGetsOnlyTheAnswersBack() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = start(cl, "alice");
            ConferencePeer bob = start(cl, "bob");
            ConferencePeer carol = start(cl, "carol");
            List<ConferencePeer> all = List.of(alice, bob, carol);
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = Scenarios.live("Answers", alice, List.of(bob, carol), List.of());
            for (ConferencePeer p : all) {
                await(() -> p.conference(id).orElseThrow().participants().size() == 3, () -> p.name() + " does not know every answer yet");
            }
            awaitDigests(all, 6);
            long[][] before = {outcomes(alice), outcomes(bob), outcomes(carol)};
            // Carol loses bob's answer (as if she had never received it; nobody comes online or resends it).
            assertThat(engineOf(carol).onConferenceForTest(id, c -> c.replyLog.remove(bob.self()) != null && c.replies.remove(bob.self()) != null)
                    .get(30, TimeUnit.SECONDS)).isTrue();
            await(() -> holdsAnswerOf(carol, id, bob), () -> "carol never got bob's answer back");
            long partial = 0;
            long whole = 0;
            for (int i = 0; i < 3; i++) {
                long[] after = outcomes(all.get(i));
                partial += after[2] - before[i][2];
                whole += after[3] - before[i][3];
            }
            assertThat(partial).as("differences answered with the answers only").isPositive();
            assertThat(whole).as("differences answered with the whole metadata").isZero();
        }
    }

    private static boolean holdsAnswerOf(ConferencePeer p, ConferenceId id, ConferencePeer author) {
        try {
            return engineOf(p).onConferenceForTest(id, c -> c.replyLog.containsKey(author.self())).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean holdsInvitation(ConferencePeer p, ConferenceId id, ConferencePeer invitee) {
        try {
            return engineOf(p).onConferenceForTest(id, c -> c.invitations.containsKey(invitee.self())).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aStrangersDigestIsRefusedAndAnsweredWithNothing() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = start(cl, "alice");
            ConferencePeer bob = start(cl, "bob");
            cl.awaitDirectories(alice, bob);
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                mallory.awaitSeenBy(List.of(alice, bob));
                ConferenceId id = Scenarios.live("Closed", alice, List.of(bob), List.of());
                long rejected = bob.overlay().stats().drops(DropReason.REJECTED);
                mallory.send(bob, MetaDigest.none(id).withAnswer());
                // A conference bob does not know: nothing sent, nothing refused (a stranger learns nothing either way).
                mallory.send(bob, MetaDigest.none(new ConferenceId("a".repeat(ConferenceId.LENGTH))).withAnswer());
                await(() -> bob.overlay().stats().drops(DropReason.REJECTED) == rejected + 1, () -> "bob: " + bob.overlay().stats().drops());
                alice.say(id, "after").join().acknowledged().get(30, TimeUnit.SECONDS); // bob's engine went past both
                assertThat(mallory.overlay().stats().received(META)).isZero();
                assertThat(mallory.overlay().stats().received(DIGEST)).isZero();
            }
        }
    }

    @Test
    void aMemberFloodingDigestsIsAnsweredAtMostOncePerHalfInterval() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = start(cl, "alice");
            ConferencePeer bob = start(cl, "bob");
            cl.awaitDirectories(alice, bob);
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                ConferenceId id = Scenarios.live("Flooded", alice, List.of(bob), List.of(mallory));
                long[] before = outcomes(bob);
                long metaBefore = mallory.overlay().stats().received(META);
                long digestsBefore = bob.overlay().stats().received(DIGEST);
                long started = System.nanoTime();
                mallory.flood(bob, MetaDigest.none(id).withAnswer(), 200); // differs from everything bob holds
                await(() -> bob.overlay().stats().received(DIGEST) >= digestsBefore + 200, () -> "bob took " + bob.overlay().stats().received(DIGEST));
                long[] after = outcomes(bob);
                long elapsedMs = (System.nanoTime() - started) / 1_000_000;
                // One answer per half interval (a tick of 100 ms here): a handful for 200 digests, not 200.
                assertThat(after[1] - before[1]).as("digests bob compared in %d ms", elapsedMs).isBetween(1L, 3 + 2 * elapsedMs / 100);
                assertThat(mallory.overlay().stats().received(META) - metaBefore).as("metadata sent to mallory").isLessThan(40);
            }
        }
    }
}
