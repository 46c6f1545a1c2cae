package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.Scenarios.awaitText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.HlcTimestamp;
import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed receipts (issue 11, under-reported frontiers): an author that signed "after my sequence k I had delivered X"
 * and then posts with an older frontier is settled unshown by every honest peer, whichever of them saw the pair; an
 * honest run, restarts included, never contradicts its own receipts.
 */
@Timeout(180)
class ReceiptsClusterTest {

    private static HlcTimestamp plus(HlcTimestamp t, long seconds) {
        return new HlcTimestamp(t.wallMillis() + seconds * 1000, 0);
    }

    private static ChatEntry entry(ConferencePeer p, ConferenceId id, String text) {
        awaitText(p, id, text);
        return p.history(id).stream().filter(e -> e.text().equals(text)).findFirst().orElseThrow();
    }

    private static Frontier frontierOf(ChatEntry e) {
        return new Frontier(e.id(), e.timestamp());
    }

    @Test
    void anAuthorThatUnderReportsAfterItsReceiptIsRefusedByEveryPeer(@TempDir Path dir) throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            Path home = dir.resolve("bob");
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob", home, Identity.loadOrCreate(home), cl.clock);
            Path carolHome = dir.resolve("carol");
            ConferencePeer carol = cl.start("carol", carolHome, Identity.loadOrCreate(carolHome), cl.clock);
            List<ConferencePeer> honest = List.of(alice, bob, carol);
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, carol);
                ConferenceId id = Scenarios.live("Receipts", alice, List.of(bob, carol), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                bob.say(id, "b1").join().acknowledged().get(30, TimeUnit.SECONDS);
                ChatEntry b1 = entry(alice, id, "b1");
                cl.clock.advance(Duration.ofSeconds(30));
                alice.say(id, "a1").join().acknowledged().get(30, TimeUnit.SECONDS);
                ChatEntry a1 = entry(alice, id, "a1");
                for (ConferencePeer p : honest) awaitText(p, id, "a1");
                mallory.await(ChatMessage.class, m -> m.author().equals(alice.self()), "a1");

                // Forged receipts are refused and counted: signed by mallory in bob's name; by a non-participant.
                long rejected = HostilePeer.rejected(alice);
                Receipt honestShape = Receipt.sign(mallory.identity(), id, 0, frontierOf(a1));
                mallory.send(alice, new ReceiptFrame(new Receipt(id, bob.self(), 0, frontierOf(a1), honestShape.signature()), null));
                mallory.send(alice, new ReceiptFrame(Receipt.sign(Identity.generate(), id, 0, frontierOf(a1)), null));
                mallory.probe(alice);
                Scenarios.awaitRejected(alice, rejected + 3);
                assertThat(alice.stats().receiptsRefused()).isEqualTo(2);

                // Carol is away meanwhile: she will learn of it with the history she catches up on.
                carol.close();
                List<ConferencePeer> online = List.of(alice, bob);
                // Mallory acknowledges a1 with a signed receipt to its author, then posts naming only b1, dated before
                // a1: only alice holds the receipt; bob learns of the lie from her.
                mallory.send(alice, new ChatAck(id, alice.self(), 1));
                mallory.send(alice, new ReceiptFrame(honestShape, null));
                ChatMessage under = Fixtures.chat(mallory.identity(), id, 1, plus(b1.timestamp(), 5), key, "under-reported", frontierOf(b1));
                mallory.send(bob, under);
                mallory.send(alice, under);
                // Its next message states its frontier truly: it contradicts nothing and is shown.
                cl.clock.advance(Duration.ofSeconds(5));
                ChatMessage after = Fixtures.chat(mallory.identity(), id, 2, plus(a1.timestamp(), 2), key, "after", frontierOf(a1));
                mallory.send(online, after);
                for (ConferencePeer p : online) {
                    awaitText(p, id, "after");
                    await(() -> !Scenarios.texts(p, id).contains("under-reported"), () -> p.name() + " still shows it: " + Scenarios.texts(p, id));
                    await(() -> p.stats().underReportProofs() == 1, () -> p.name() + " proofs " + p.stats().underReportProofs());
                }
                // Carol comes back: the proof follows mallory's message in the history she is sent.
                ConferencePeer carolAgain = cl.start("carol", carolHome, Identity.loadOrCreate(carolHome), cl.clock);
                awaitText(carolAgain, id, "after");
                await(() -> carolAgain.stats().underReportProofs() == 1, () -> "carol proofs " + carolAgain.stats().underReportProofs());
                List<String> reference = Scenarios.lines(alice, id);
                for (ConferencePeer p : List.of(alice, bob, carolAgain)) {
                    assertThat(Scenarios.lines(p, id)).as(p.name() + "'s history").isEqualTo(reference);
                    // Shown at most before the proof arrived, and then taken out.
                    long shown = cl.events(p).messages.stream().filter(e -> e.text().equals("under-reported")).count();
                    long retracted = cl.events(p).retracted.stream().filter(e -> e.text().equals("under-reported")).count();
                    assertThat(retracted).as(p.name()).isEqualTo(shown);
                }
                assertThat(cl.events(alice).messages).extracting(ChatEntry::text).doesNotContain("under-reported");
                assertThat(Scenarios.texts(carolAgain, id)).doesNotContain("under-reported");
                Scenarios.stillChats(bob, id, carolAgain);

                // A restart settles it the same way from the store (the proof is kept).
                bob.close();
                ConferencePeer again = cl.start("bob", home, Identity.loadOrCreate(home), cl.clock);
                List<String> now = Scenarios.lines(carolAgain, id);
                await(() -> Scenarios.lines(again, id).equals(now), () -> "after a restart: " + Scenarios.lines(again, id) + " (carol: " + now + ")");
                assertThat(Scenarios.texts(again, id)).contains("after").doesNotContain("under-reported");
            }
        }
    }

    @Test
    void anAcknowledgementCountsOnlyWithAReceiptAndBindsItsSenderAtOnce(@TempDir Path dir) throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            List<ConferencePeer> honest = List.of(alice, bob);
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Same second", alice, List.of(bob), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                bob.say(id, "b1").join().acknowledged().get(30, TimeUnit.SECONDS);
                ChatEntry b1 = entry(alice, id, "b1");
                cl.clock.advance(Duration.ofSeconds(30));
                // From here the clock stands still: everything below happens within one second.
                long bobSigned = bob.stats().receiptsSigned();
                var a1 = alice.say(id, "a1").join();
                a1.acknowledged().get(30, TimeUnit.SECONDS);
                ChatEntry a1Entry = entry(alice, id, "a1");
                for (ConferencePeer p : honest) awaitText(p, id, "a1");
                mallory.await(ChatMessage.class, m -> m.author().equals(alice.self()), "a1");
                // Bob's acknowledgement came with a receipt signed for it (none was due by time before).
                await(() -> bob.stats().receiptsSigned() > bobSigned, () -> "bob signed " + bob.stats().receiptsSigned());

                // Mallory acknowledges a1 without a receipt: it is stored there, but a1 is not delivered to all.
                mallory.send(alice, new ChatAck(id, alice.self(), 1));
                await(() -> alice.stats().acksUncovered() >= 1, () -> "uncovered " + alice.stats().acksUncovered());
                assertThat(a1.storedByAll()).isNotDone();

                // With a receipt naming a1, the acknowledgement counts; in the same second mallory posts naming only
                // b1, dated before a1: refused at both honest peers (bob learns it from alice), one history.
                mallory.send(alice, new ReceiptFrame(Receipt.sign(mallory.identity(), id, 0, frontierOf(a1Entry)), null));
                mallory.send(alice, new ChatAck(id, alice.self(), 1));
                a1.storedByAll().get(30, TimeUnit.SECONDS);
                ChatMessage under = Fixtures.chat(mallory.identity(), id, 1, plus(b1.timestamp(), 5), key, "under-reported", frontierOf(b1));
                mallory.send(honest, under);
                ChatMessage after = Fixtures.chat(mallory.identity(), id, 2, new HlcTimestamp(a1Entry.timestamp().wallMillis(), a1Entry.timestamp().counter() + 5),
                        key, "after", frontierOf(a1Entry));
                mallory.send(honest, after);
                for (ConferencePeer p : honest) {
                    awaitText(p, id, "after");
                    await(() -> p.stats().underReportProofs() == 1, () -> p.name() + " proofs " + p.stats().underReportProofs());
                    await(() -> !Scenarios.texts(p, id).contains("under-reported"), () -> p.name() + " still shows it: " + Scenarios.texts(p, id));
                }
                assertThat(Scenarios.lines(bob, id)).isEqualTo(Scenarios.lines(alice, id));
                // Honest posts in the same second are delivered to all (every acknowledgement carries its receipt).
                var b2 = bob.say(id, "b2").join();
                b2.acknowledged().get(30, TimeUnit.SECONDS);
                for (ConferencePeer p : honest) awaitText(p, id, "b2");
                assertThat(bob.stats().receiptsRefused() + alice.stats().receiptsRefused()).isZero();
            }
        }
    }

    @Test
    void honestPeersSignReceiptsAndNeverContradictThemAcrossRestarts(@TempDir Path dir) throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            Path aliceHome = dir.resolve("alice");
            Path bobHome = dir.resolve("bob");
            ConferencePeer alice = cl.start("alice", aliceHome, Identity.loadOrCreate(aliceHome), cl.clock);
            ConferencePeer bob = cl.start("bob", bobHome, Identity.loadOrCreate(bobHome), cl.clock);
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = Scenarios.live("Honest", alice, List.of(bob, carol), List.of());
            List<String> said = new ArrayList<>();
            List<ConferencePeer> peers = new ArrayList<>(List.of(alice, bob, carol));
            long signedBeforeRestart = 0;
            for (int round = 0; round < 12; round++) {
                ConferencePeer p = peers.get(round % 3);
                String text = p.name() + " " + round;
                // Delivered to all: every other peer's acknowledgement came with a receipt that covers it.
                p.say(id, text).join().storedByAll().get(30, TimeUnit.SECONDS);
                said.add(text);
                for (ConferencePeer q : peers) awaitText(q, id, text);
                if (round % 2 == 1) cl.clock.advance(Duration.ofMillis(1500)); // and within one second too
                if (round == 5 || round == 9) {
                    // Restart bob (round 5), then alice (round 9): their receipts come back from the store.
                    int i = round == 5 ? 1 : 0;
                    Path home = round == 5 ? bobHome : aliceHome;
                    ConferencePeer old = peers.get(i);
                    signedBeforeRestart += old.stats().receiptsSigned();
                    assertThat(old.stats().receiptsSigned()).as(old.name() + " signed receipts").isPositive();
                    old.close();
                    ConferencePeer back = cl.start(old.name(), home, Identity.loadOrCreate(home), cl.clock);
                    peers.set(i, back);
                    cl.awaitDirectories(peers.toArray(ConferencePeer[]::new));
                    for (String t : said) awaitText(back, id, t);
                }
            }
            for (ConferencePeer p : peers) for (String t : said) awaitText(p, id, t);
            List<String> reference = Scenarios.lines(peers.get(0), id);
            for (ConferencePeer p : peers) {
                assertThat(Scenarios.lines(p, id)).as(p.name()).isEqualTo(reference);
                assertThat(p.stats().underReportProofs()).as(p.name() + " proofs").isZero();
                assertThat(p.stats().receiptsRefused()).as(p.name() + " refused").isZero();
                assertThat(p.stats().backdated()).as(p.name() + " backdated").isZero();
                assertThat(cl.events(p).retracted).as(p.name() + " retracted").isEmpty();
            }
            assertThat(signedBeforeRestart + carol.stats().receiptsSigned()).isGreaterThan(3);
        }
    }

    @Test
    void aBurstOfPostsIsDeliveredToAllThoughReceiptsAreSignedAtMostOncePerInterval() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = Scenarios.live("Burst", alice, List.of(bob, carol), List.of());
            // Posted without waiting: most acknowledgements are flushed within an interval of the previous receipt and go
            // without one; the receipt owed follows on the tick, so every post ends delivered to all.
            List<java.util.concurrent.CompletableFuture<ChatEntry>> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) all.add(alice.say(id, "burst " + i).join().storedByAll());
            for (var f : all) f.get(30, TimeUnit.SECONDS);
            for (ConferencePeer p : List.of(bob, carol)) {
                awaitText(p, id, "burst 39");
                assertThat(p.stats().receiptsSigned()).as(p.name() + " signed").isPositive();
            }
            assertThat(alice.stats().receiptsRefused()).isZero();
        }
    }
}
