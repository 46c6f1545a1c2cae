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
}
