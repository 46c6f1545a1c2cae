package dev.convene.conference.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.Answer;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.HlcTimestamp;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11: honest peers' chat latency, quiet and while a hostile participant attacks, at the conference layer.
 * One honest author sends {@link #MESSAGES} messages one after another to two honest receivers (each waited
 * for at both before the next: latency, not throughput) while a hostile participant sends one attack's frames
 * to both receivers from its own thread, paced and bounded in count. Printed and written to
 * {@code target/attack-latency.txt}, never asserted (docs/SECURITY.md 2.9b); {@code -Dconvene.latency.only=WORD} runs
 * only the attacks whose name contains WORD (to profile one). Asserted: nothing honest is lost during any attack,
 * nothing hostile is shown or stored, and each attack reached the receivers (counted).
 */
@Timeout(600)
class AttackLatencyClusterTest {
    private static final int MESSAGES = Integer.getInteger("convene.latency.messages", 100);
    /** Attack frames to each receiver at most, and the pause between two rounds (at most about 500 a second to each). */
    private static final int ATTACK_FRAMES = 2_000;
    private static final long ATTACK_PAUSE_MICROS = 2_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    record Figures(String attack, int messages, double p50, double p99, double max, long attackFrames) {
        String line() {
            return String.format("%-34s %4d msgs  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  attack frames %5d", attack, messages, p50, p99,
                    max, attackFrames);
        }
    }

    /** Arrival times of texts at one receiver. */
    private static final class Arrivals implements ConferenceListener {
        final Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
        final Map<String, Long> at = new ConcurrentHashMap<>();

        @Override
        public void message(ChatEntry m) {
            at.putIfAbsent(m.text(), System.nanoTime());
            CountDownLatch l = waiting.get(m.text());
            if (l != null) l.countDown();
        }
    }

    private static Figures measure(String attack, ConferencePeer author, List<ConferencePeer> receivers, List<Arrivals> arrivals,
                                   ConferenceId id, long attackFrames) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            String text = attack + " #" + i;
            CountDownLatch latch = new CountDownLatch(receivers.size());
            for (Arrivals a : arrivals) a.waiting.put(text, latch);
            long sent = System.nanoTime();
            author.say(id, text).join();
            // Nothing lost: every message reaches every receiver (a generous bound; speed is not asserted).
            assertThat(latch.await(60, TimeUnit.SECONDS)).as(text + " reached every receiver").isTrue();
            for (Arrivals a : arrivals) ms.add((a.at.get(text) - sent) / 1e6);
        }
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Figures(attack, MESSAGES, sorted[(sorted.length - 1) / 2],
                sorted[Math.max(0, (int) Math.ceil(0.99 * sorted.length) - 1)], sorted[sorted.length - 1], attackFrames);
    }

    /** Runs {@code frame} (a fresh attack frame per index) against each receiver from its own thread until stopped. */
    private static final class Attack implements AutoCloseable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong sent = new AtomicLong();
        final Thread thread;

        Attack(HostilePeer mallory, List<ConferencePeer> victims, IntFunction<Object> frame) {
            this(mallory, victims, frame, 0);
        }

        /** As above, at most {@code perSecond} rounds a second to each victim if positive. */
        Attack(HostilePeer mallory, List<ConferencePeer> victims, IntFunction<Object> frame, int perSecond) {
            thread = new Thread(() -> {
                for (int i = 0; i < ATTACK_FRAMES && !stop.get(); i++) {
                    Object f = frame.apply(i);
                    for (ConferencePeer v : victims) mallory.send(v, f);
                    sent.addAndGet(victims.size());
                    java.util.concurrent.locks.LockSupport.parkNanos(perSecond > 0 ? 1_000_000_000L / perSecond : ATTACK_PAUSE_MICROS * 1000);
                }
            }, "attack");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
        }
    }

    /**
     * What a peer counted of hostile frames: refusals (bodies that do not decode included), budgets spent, history
     * answered or refused, and chat frames received (a replayed message is a valid frame, stored once).
     */
    private static long handled(ConferencePeer p) {
        var s = p.stats();
        var o = p.overlay().stats();
        return HostilePeer.rejected(p) + o.drops(dev.convene.overlay.DropReason.MALFORMED_BODY) + s.signatureBudgetExceeded()
                + s.signatureCacheHits() + s.historyAnswersRefused() + s.historyBytesSent();
    }

    /** Chat frames a peer received (honest and replayed). */
    private static long chatFrames(ConferencePeer p) {
        return p.overlay().stats().received(Protocol.CHAT_TYPE.id());
    }

    @Test
    void honestChatLatencyQuietAndDuringEachAttack() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            Identity doomKey = Identity.generate();
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory");
                 HostilePeer doomer = HostilePeer.besides(alice, "doomer", doomKey, List.of(HostileBytes.RAW_META))) {
                cl.awaitDirectories(alice, bob, carol);
                doomer.awaitSeenBy(List.of(alice, carol));
                ConferenceId id = Scenarios.live("Latency", alice, List.of(bob, carol), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                List<ConferencePeer> receivers = List.of(alice, carol);
                List<Arrivals> arrivals = List.of(new Arrivals(), new Arrivals());
                alice.addListener(arrivals.get(0));
                carol.addListener(arrivals.get(1));
                Meta real = mallory.meta(id);
                // Mallory's own valid first message, so its later ones can be backdated against it.
                HlcTimestamp first = mallory.now();
                mallory.send(List.of(alice, bob, carol), mallory.post(id, 1, first, 0, key, "mallory is here"));
                for (ConferencePeer p : List.of(alice, bob, carol)) Scenarios.awaitText(p, id, "mallory is here");
                measure("warm-up", bob, receivers, arrivals, id, 0);

                // Frames that cost the attacker signatures are made before the clock starts, and cycled.
                List<ChatMessage> forged = new ArrayList<>();
                for (int s = 1; s <= Protocol.MAX_BATCH; s++) {
                    forged.add(Fixtures.chat(mallory.identity(), carol.self(), id, s, mallory.now(), 0, key, "carol never said " + s));
                }
                ChatBatch forgedBatch = new ChatBatch(id, forged, false);
                List<Meta> bogusMeta = new ArrayList<>();
                for (int f = 0; f < 50; f++) {
                    List<Reply> replies = new ArrayList<>();
                    for (int r = 0; r < 500; r++) {
                        byte[] sig = new byte[Identity.SIGNATURE_LENGTH];
                        RANDOM.nextBytes(sig);
                        PeerId who = (r % 2 == 0 ? alice : bob).self();
                        replies.add(new Reply(id, who, Answer.DECLINE, "", 2 + (f * 500 + r) % (Protocol.MAX_REVISIONS - 1), cl.clock.instant(), sig));
                    }
                    bogusMeta.add(new Meta(real.context(), List.of(), replies, null));
                }
                // Contexts whose end overflows (start near Instant.MAX), by an uninvited peer, inviting the receivers.
                List<HostileBytes.RawMeta> dooms = new ArrayList<>();
                for (int d = 0; d < 20; d++) {
                    dooms.add(HostileBytes.RawMeta.signedBy(doomKey, HostileBytes.startNearInstantMax(doomKey,
                            List.of(alice.self(), carol.self()), cl.clock.instant().minusSeconds(d))));
                }
                // Mallory's own contexts planted under the real id (the id is bound to alice's key), inviting the receivers.
                ConferenceContext realContext = real.context().context();
                List<Meta> planted = new ArrayList<>();
                for (int p = 0; p < 20; p++) {
                    ConferenceContext fake = new ConferenceContext(id, "Latency", "", mallory.id(), realContext.start(), realContext.duration(),
                            new java.util.TreeSet<>(List.of(alice.self(), carol.self())), realContext.createdAt().minusMillis(p), 1, false);
                    planted.add(new Meta(SignedContext.sign(fake, mallory.identity()), List.of(), List.of(), null));
                }
                // Bob's own signed messages, as mallory (a participant) received them, sent again.
                List<ChatMessage> captured = mallory.received(ChatMessage.class).stream()
                        .filter(m -> m.author().equals(bob.self())).toList();
                assertThat(captured).as("mallory captured bob's warm-up").isNotEmpty();

                Map<String, IntFunction<Object>> attacks = new LinkedHashMap<>();
                attacks.put("forged chat batches (256 each)", i -> forgedBatch);
                attacks.put("metadata, 500 bad-signature replies", i -> bogusMeta.get(i % bogusMeta.size()));
                attacks.put("digests (history amplification)", i -> new ChatDigest(id, i % 2 == 0 ? Map.of() : Map.of(Identity.generate().id(), (long) i)));
                attacks.put("posts far beyond a gap (8 KiB)", i -> mallory.post(id, 1_000_000L + i, mallory.now(), 0, key, "x".repeat(8 << 10)));
                AtomicInteger backdatedSeq = new AtomicInteger(1);
                attacks.put("backdated posts", i -> mallory.post(id, backdatedSeq.incrementAndGet(),
                        new HlcTimestamp(first.wallMillis() - 1 - i, 0), 0, key, "mallory backdated " + i));
                // Busy victim: mallory's own valid posts, the costliest admitted chat frames, as fast as it is allowed
                // (signed on the attack thread as they go, each continuing its sequence; shown like any post).
                String big = "b".repeat(Protocol.MAX_TEXT_BYTES - 64);
                attacks.put("busy: valid 16 KiB posts", i -> mallory.post(id, backdatedSeq.incrementAndGet(), mallory.now(), 0, key,
                        "busy post " + i + " " + big));
                String small = "s".repeat(700);
                attacks.put("busy: valid batches of 256 posts", i -> {
                    List<ChatMessage> batch = new ArrayList<>();
                    for (int k = 0; k < Protocol.MAX_BATCH; k++) {
                        batch.add(mallory.post(id, backdatedSeq.incrementAndGet(), mallory.now(), 0, key, "busy batch " + i + "/" + k + " " + small));
                    }
                    return new ChatBatch(id, batch, false);
                });
                attacks.put("bricking contexts (end overflows)", i -> dooms.get(i % dooms.size()));
                attacks.put("contexts planted under the real id", i -> planted.get(i % planted.size()));
                attacks.put("bob's messages replayed", i -> captured.get(i % captured.size()));
                Map<String, HostilePeer> senders = Map.of("bricking contexts (end overflows)", doomer);

                // -Dconvene.latency.only=WORD: only the attacks whose name contains WORD (to profile one of them).
                String only = System.getProperty("convene.latency.only", "");
                attacks.keySet().removeIf(name -> !name.contains(only));
                List<Figures> figures = new ArrayList<>();
                StringBuilder unaskedRefused = new StringBuilder();
                figures.add(measure("quiet", bob, receivers, arrivals, id, 0));
                for (var a : attacks.entrySet()) {
                    long rejectedBefore = handled(alice);
                    long chatBefore = chatFrames(alice);
                    boolean replay = a.getKey().equals("bob's messages replayed");
                    long batchesBefore = alice.overlay().stats().received(Protocol.BATCH_TYPE.id());
                    long unaskedBefore = alice.stats().unaskedBatchesRefused();
                    Figures f;
                    try (Attack attack = new Attack(senders.getOrDefault(a.getKey(), mallory), receivers, a.getValue())) {
                        // Measured once the attack is under way (a fifth of its frames sent, or 5 s at most).
                        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                        while (attack.sent.get() < ATTACK_FRAMES / 5 && System.nanoTime() < until) Thread.sleep(10);
                        f = measure(a.getKey(), bob, receivers, arrivals, id, 0);
                        attack.close();
                        f = new Figures(f.attack(), f.messages(), f.p50(), f.p99(), f.max(), attack.sent.get());
                    }
                    figures.add(f);
                    if (a.getKey().contains("batches")) {
                        assertThat(alice.overlay().stats().received(Protocol.BATCH_TYPE.id()) - batchesBefore).as("the batches reached alice").isPositive();
                        if (a.getKey().startsWith("busy")) { // valid but unasked: beyond the sender's budget refused whole, counted
                            long refused = alice.stats().unaskedBatchesRefused() - unaskedBefore;
                            unaskedRefused.append(String.format("# %s: %d unasked batches refused at alice%n", a.getKey(), refused));
                            assertThat(refused).as("unasked batches beyond mallory's budget refused at alice").isPositive();
                        }
                    } else if (a.getKey().startsWith("busy")) {
                        assertThat(chatFrames(alice) - chatBefore).as(a.getKey() + " reached alice").isPositive();
                    } else if (replay) {
                        assertThat(chatFrames(alice) - chatBefore).as("the replays reached alice").isGreaterThanOrEqualTo(f.attackFrames() / 2);
                    } else {
                        assertThat(handled(alice)).as(a.getKey() + " reached alice and was refused, rationed or answered").isGreaterThan(rejectedBefore);
                    }
                    figures.add(measure("quiet after " + a.getKey(), bob, receivers, arrivals, id, 0));
                }
                // Nothing honest lost, nothing hostile shown.
                for (ConferencePeer p : receivers) {
                    List<String> texts = Scenarios.texts(p, id);
                    for (Figures f : figures) for (int i = 0; i < MESSAGES; i++) assertThat(texts).contains(f.attack() + " #" + i);
                    assertThat(texts).noneMatch(t -> t.startsWith("carol never said") || t.startsWith("mallory backdated ") || t.startsWith("x"));
                    assertThat(texts).as("each replayed message stored once").doesNotHaveDuplicates();
                    assertThat(p.conferences()).as("no planted or bricking context").extracting(v -> v.id()).containsExactly(id);
                    assertThat(p.conference(id).orElseThrow().context().organiser()).isEqualTo(alice.self());
                }
                StringBuilder out = new StringBuilder("# honest chat latency (bob -> alice, carol; memory network, one JVM) "
                        + Instant.now() + "\n");
                for (Figures f : figures) out.append(f.line()).append('\n');
                out.append(unaskedRefused);
                System.out.print(out);
                try {
                    Files.writeString(Path.of("target", "attack-latency.txt"), out);
                } catch (IOException e) {
                    System.out.println("could not write target/attack-latency.txt: " + e);
                }
            }
        }
    }
}
