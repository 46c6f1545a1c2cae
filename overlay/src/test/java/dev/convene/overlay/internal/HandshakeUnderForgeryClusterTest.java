package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.DropReason;
import dev.convene.overlay.HostileMember;
import dev.convene.overlay.Identity;
import dev.convene.overlay.Inbox;
import dev.convene.overlay.Overlay;
import dev.convene.overlay.TestCluster;
import dev.convene.overlay.TestMessages;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jgroups.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, SECURITY.md section 4: a hostile JGroups member floods a victim with signed frames claiming a real
 * member's address, during the real member's handshake with the victim: half of them its own valid {@code Hello}
 * signed over that address (a claim of the address), half with a broken signature. Together they spend the
 * signed-frame budget of that address at the victim many times over. The real member's {@code Hello} echoes the
 * nonce the victim sent to its address (which the forger never sees), so it is charged to a budget of its own and
 * gets in, and the claims made without that echo do not replace its binding afterwards.
 *
 * <p>The real member's overlay frames are held back ({@link HoldOverlayFrames}) until the flood runs, so that
 * its handshake happens during the attack and not before it. Before the echo, its {@code Hello}s were dropped
 * as {@code AD_BUDGET} for as long as the flood lasted (this test timed out).
 */
@Timeout(120)
class HandshakeUnderForgeryClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(25);
    /** About 200 forged frames a second, at most 8,000 (40 s). */
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int MAX_FORGED = 8_000;
    /** Both sides: about 400 a second, at most 16,000 (40 s: longer than the test waits). */
    private static final int MAX_FORGED_BOTH = 16_000;

    @Test
    void aMemberWhoseAddressIsFloodedWithForgedSignedFramesStillCompletesItsHandshake() throws Exception {
        String hold = "handshake-" + java.util.UUID.randomUUID();
        AtomicBoolean holding = new AtomicBoolean(true);
        HoldOverlayFrames.SWITCHES.put(hold, holding);
        try (TestCluster cluster = TestCluster.memory()) {
            Inbox inbox = new Inbox();
            Overlay victim = cluster.start("victim", null, Identity.generate(), b -> b.handle(TestMessages.NOTE, inbox));
            try (HostileMember mallory = HostileMember.besides(victim, "mallory")) {
                Overlay real = cluster.start(cluster.config("real", null)
                                .stack(s -> s.insertAbove("FRAG4", HoldOverlayFrames.class.getName(), Map.of("id", hold))).build(),
                        Identity.generate(), b -> b.handle(TestMessages.NOTE, new Inbox()));
                Address realAddress = HostileMember.addressOf(real);
                TestCluster.awaitCondition(WAIT, () -> victim.stats().members() == 3 && real.directory().isOnline(victim.self()),
                        () -> "view " + victim.stats().members() + ", real sees the victim: " + real.directory().isOnline(victim.self()));
                assertThat(victim.directory().isOnline(real.self())).as("the real member's frames are held back").isFalse();

                long budgetBefore = victim.stats().drops(DropReason.AD_BUDGET);
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong forged = new AtomicLong();
                Thread flood = new Thread(() -> {
                    byte[] claim = mallory.helloAs(realAddress); // valid: mallory's identity, signed over the real address
                    byte[] broken = claim.clone();
                    broken[broken.length - 1] ^= 1; // the signature no longer verifies
                    for (int i = 0; i < MAX_FORGED && !stop.get(); i++) {
                        mallory.send(HostileMember.addressOf(victim), i % 2 == 0 ? claim : broken, realAddress, true);
                        forged.incrementAndGet();
                        LockSupport.parkNanos(PAUSE_NANOS);
                    }
                }, "mallory-flood");
                flood.setDaemon(true);
                flood.start();
                try {
                    TestCluster.awaitCondition(WAIT, () -> victim.stats().drops(DropReason.AD_BUDGET) - budgetBefore >= 40,
                            () -> "the flood never spent the budget: " + victim.stats().drops());
                    long claimsRefusedBefore = victim.stats().drops(DropReason.SIGNER_MISMATCH);
                    holding.set(false); // the real member's handshake with the victim starts now, under the flood
                    long released = System.nanoTime();

                    TestCluster.awaitCondition(WAIT, () -> victim.directory().isOnline(real.self()),
                            () -> "the real member never got in; victim drops " + victim.stats().drops() + ", forged " + forged.get()
                                    + ", online " + victim.directory().online());
                    long inAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released);
                    real.send(victim.self(), new TestMessages.Note(1, "through the flood"));
                    TestCluster.awaitCondition(WAIT, () -> inbox.all().stream().anyMatch(r -> r.note().text().equals("through the flood")),
                            () -> "the real member's note never arrived; victim drops " + victim.stats().drops() + ", forged " + forged.get()
                                    + ", online " + victim.directory().online());
                    assertThat(inbox.all()).allMatch(r -> r.from().equals(real.self()));

                    // Claims keep coming: a binding made by a Hello from the address is not replaced by them.
                    long forgedAtEntry = forged.get();
                    TestCluster.awaitCondition(WAIT, () -> forged.get() - forgedAtEntry >= 200
                                    && victim.stats().drops(DropReason.SIGNER_MISMATCH) > claimsRefusedBefore,
                            () -> "claims after the handshake: forged " + (forged.get() - forgedAtEntry) + ", drops " + victim.stats().drops());
                    assertThat(victim.directory().isOnline(real.self())).isTrue();
                    assertThat(victim.directory().isOnline(mallory.identity().id())).as("no claim took the address").isFalse();
                    real.send(victim.self(), new TestMessages.Note(2, "still through"));
                    TestCluster.awaitCondition(WAIT, () -> inbox.all().stream().anyMatch(r -> r.note().text().equals("still through")),
                            () -> "the second note never arrived: " + victim.stats().drops());
                    System.out.printf("handshake under forgery: in after %d ms; %d forged frames (%d bytes), %d AD_BUDGET, %d SIGNER_MISMATCH, %d BAD_SIGNATURE at the victim%n",
                            inAfterMs, forged.get(), mallory.bytesSent(), victim.stats().drops(DropReason.AD_BUDGET) - budgetBefore,
                            victim.stats().drops(DropReason.SIGNER_MISMATCH), victim.stats().drops(DropReason.BAD_SIGNATURE));
                } finally {
                    stop.set(true);
                    flood.join(10_000);
                }
            }
        } finally {
            HoldOverlayFrames.SWITCHES.remove(hold);
            HoldOverlayFrames.DROPPED.remove(hold);
        }
    }

    /**
     * Both sides of a handshake flooded, each in the other's name, before either has verified the other's
     * {@code Hello}: neither can echo the other's nonce from a verified {@code Hello}. Each answers a {@code Hello}
     * it refused unchecked with an unauthenticated echo of its nonce; only the real member's echo matches, and the
     * nonce it carries is what the other side then echoes. Before the echo answer, neither got in (this test timed
     * out).
     */
    @Test
    void bothSidesFloodedInEachOthersNameStillCompleteTheirHandshake() throws Exception {
        String holdA = "handshake-a-" + java.util.UUID.randomUUID();
        String holdB = "handshake-b-" + java.util.UUID.randomUUID();
        AtomicBoolean holdingA = new AtomicBoolean(true);
        AtomicBoolean holdingB = new AtomicBoolean(true);
        HoldOverlayFrames.SWITCHES.put(holdA, holdingA);
        HoldOverlayFrames.SWITCHES.put(holdB, holdingB);
        try (TestCluster cluster = TestCluster.memory()) {
            Inbox inboxA = new Inbox();
            Inbox inboxB = new Inbox();
            Overlay a = cluster.start(cluster.config("a", null)
                            .stack(st -> st.insertAbove("FRAG4", HoldOverlayFrames.class.getName(), Map.of("id", holdA))).build(),
                    Identity.generate(), b -> b.handle(TestMessages.NOTE, inboxA));
            try (HostileMember mallory = HostileMember.besides(a, "mallory")) {
                Overlay b = cluster.start(cluster.config("b", null)
                                .stack(st -> st.insertAbove("FRAG4", HoldOverlayFrames.class.getName(), Map.of("id", holdB))).build(),
                        Identity.generate(), x -> x.handle(TestMessages.NOTE, inboxB));
                Address addressA = HostileMember.addressOf(a);
                Address addressB = HostileMember.addressOf(b);
                TestCluster.awaitCondition(WAIT, () -> a.stats().members() == 3 && b.stats().members() == 3 && mallory.sees(addressB),
                        () -> "view " + a.stats().members() + "/" + b.stats().members());
                assertThat(a.directory().isOnline(b.self()) || b.directory().isOnline(a.self())).as("both held back").isFalse();

                long budgetA = a.stats().drops(DropReason.AD_BUDGET);
                long budgetB = b.stats().drops(DropReason.AD_BUDGET);
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong forged = new AtomicLong();
                Thread flood = new Thread(() -> {
                    byte[] claimB = mallory.helloAs(addressB); // sent to a, claiming b's address
                    byte[] claimA = mallory.helloAs(addressA); // sent to b, claiming a's address
                    byte[] brokenB = claimB.clone();
                    brokenB[brokenB.length - 1] ^= 1;
                    byte[] brokenA = claimA.clone();
                    brokenA[brokenA.length - 1] ^= 1;
                    for (int i = 0; i < MAX_FORGED_BOTH && !stop.get(); i++) {
                        boolean valid = i % 4 < 2;
                        if (i % 2 == 0) mallory.send(addressA, valid ? claimB : brokenB, addressB, true);
                        else mallory.send(addressB, valid ? claimA : brokenA, addressA, true);
                        forged.incrementAndGet();
                        LockSupport.parkNanos(PAUSE_NANOS / 2);
                    }
                }, "mallory-flood-both");
                flood.setDaemon(true);
                flood.start();
                try {
                    TestCluster.awaitCondition(WAIT, () -> a.stats().drops(DropReason.AD_BUDGET) - budgetA >= 40
                                    && b.stats().drops(DropReason.AD_BUDGET) - budgetB >= 40,
                            () -> "the flood never spent both budgets: " + a.stats().drops() + " / " + b.stats().drops());
                    holdingA.set(false);
                    holdingB.set(false);
                    long released = System.nanoTime();
                    TestCluster.awaitCondition(WAIT, () -> a.directory().isOnline(b.self()) && b.directory().isOnline(a.self()),
                            () -> "no handshake: a sees b " + a.directory().isOnline(b.self()) + ", b sees a " + b.directory().isOnline(a.self())
                                    + "; drops at a " + a.stats().drops() + ", at b " + b.stats().drops() + ", forged " + forged.get());
                    long inAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released);
                    a.send(b.self(), new TestMessages.Note(1, "a to b"));
                    b.send(a.self(), new TestMessages.Note(2, "b to a"));
                    TestCluster.awaitCondition(WAIT, () -> inboxB.all().stream().anyMatch(r -> r.note().text().equals("a to b"))
                                    && inboxA.all().stream().anyMatch(r -> r.note().text().equals("b to a")),
                            () -> "notes: at a " + inboxA.all() + ", at b " + inboxB.all());
                    assertThat(a.directory().isOnline(mallory.identity().id())).as("no claim holds at a").isFalse();
                    assertThat(b.directory().isOnline(mallory.identity().id())).as("no claim holds at b").isFalse();
                    System.out.printf("both sides under forgery: in after %d ms; %d forged frames, AD_BUDGET %d at a and %d at b, "
                                    + "%d and %d echoes refused (UNAUTHENTICATED)%n", inAfterMs, forged.get(),
                            a.stats().drops(DropReason.AD_BUDGET) - budgetA, b.stats().drops(DropReason.AD_BUDGET) - budgetB,
                            a.stats().drops(DropReason.UNAUTHENTICATED), b.stats().drops(DropReason.UNAUTHENTICATED));
                } finally {
                    stop.set(true);
                    flood.join(10_000);
                }
            }
        } finally {
            HoldOverlayFrames.SWITCHES.remove(holdA);
            HoldOverlayFrames.SWITCHES.remove(holdB);
            HoldOverlayFrames.DROPPED.remove(holdA);
            HoldOverlayFrames.DROPPED.remove(holdB);
        }
    }
}
