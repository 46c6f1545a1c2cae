package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.DropReason;
import dev.convene.overlay.HostileMember;
import dev.convene.overlay.Identity;
import dev.convene.overlay.Inbox;
import dev.convene.overlay.Overlay;
import dev.convene.overlay.OverlayStats;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.TestCluster;
import dev.convene.overlay.TestMessages;
import dev.convene.overlay.wire.FrameCodec;
import dev.convene.overlay.wire.FrameException;
import java.time.Duration;
import java.util.List;
import org.jgroups.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hostile member claims another member's address with a {@code Hello} of its own identity, signed over that
 * address, before the real member advertises. Each side sends each member its own nonce, so the claimant cannot
 * derive the keys of the claimed binding and never proves it; the real member's {@code Hello} then replaces it.
 */
@Timeout(60)
class AddressClaimClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The victim's Hello as a hostile member received it (signed, version 1). */
    private static OverlayMessages.Hello helloFrom(HostileMember m, Address victim) throws FrameException {
        FrameCodec codec = new FrameCodec(List.of(OverlayMessages.ADVERTISEMENT, OverlayMessages.AD_REQUEST, OverlayMessages.HELLO), 1 << 20);
        for (HostileMember.Captured c : m.captured()) {
            if (!c.src().equals(victim)) continue;
            FrameCodec.Header h;
            try {
                h = codec.header(c.frame(), 0, c.frame().length);
            } catch (FrameException e) {
                continue; // a MAC'd frame of a type this codec leaves out
            }
            if (h.type().id() != OverlayMessages.HELLO.id()) continue;
            return (OverlayMessages.Hello) codec.decode(c.frame(), 0, c.frame().length, OverlayCore.tag(victim)).body();
        }
        return null;
    }

    @Test
    void aClaimedAddressIsNeverProvenAndTheRealMembersHelloReplacesTheClaim() throws Exception {
        try (TestCluster cluster = TestCluster.memory()) {
            Inbox inbox = new Inbox();
            Overlay victim = cluster.start("victim", null, Identity.generate(), b -> b.handle(TestMessages.NOTE, inbox));
            try (HostileMember mallory = HostileMember.besides(victim, "mallory");
                 HostileMember real = HostileMember.besides(victim, "real")) {
                Address victimAddress = HostileMember.addressOf(victim);
                TestCluster.awaitCondition(WAIT, () -> victim.stats().members() == 3, () -> "view");
                // The victim greets every joiner with a Hello; mallory's carries the nonce meant for mallory.
                TestCluster.awaitCondition(WAIT, () -> {
                    try {
                        return helloFrom(mallory, victimAddress) != null;
                    } catch (FrameException e) {
                        return false;
                    }
                }, () -> "no Hello from the victim");
                OverlayMessages.Hello victimsHelloToMallory = helloFrom(mallory, victimAddress);

                // Mallory claims the real member's address with its own identity, and tries to prove the claim with
                // a frame under the keys it can derive: the victim's nonce to mallory, not the one to that address.
                byte[] malloryNonce = new byte[PeerSession.NONCE_LENGTH];
                mallory.send(victimAddress, mallory.signedAs(real.address(), new OverlayMessages.Hello(
                        new PeerAdvertisement(mallory.identity().id(), "mallory", mallory.identity().signingKey(),
                                mallory.identity().agreementKey(), "memory:mallory", java.util.Set.of(), java.time.Instant.now()),
                        malloryNonce)), real.address(), true);
                TestCluster.awaitCondition(WAIT, () -> victim.directory().isOnline(mallory.identity().id()), () -> "claim not taken");
                PeerSession guess = PeerSession.derive(mallory.identity(), malloryNonce, victimsHelloToMallory.ad(),
                        victimsHelloToMallory.session(), real.address());
                OverlayStats before = victim.stats();
                for (int i = 1; i <= 5; i++) {
                    mallory.send(victimAddress, FrameCodec.sealBody(TestMessages.NOTE_ID, new byte[] {1, 2, 'h', 'i'}, i, guess.sendKey()),
                            real.address(), true);
                }
                TestCluster.awaitCondition(WAIT, () -> victim.stats().drops(DropReason.BAD_MAC) - before.drops(DropReason.BAD_MAC) == 5,
                        () -> "drops " + victim.stats().drops());
                assertThat(inbox.all()).as("nothing delivered under the claim").isEmpty();

                // The real member advertises: its Hello replaces the unproven claim.
                real.send(victimAddress, real.helloAs(real.address()));
                TestCluster.awaitCondition(WAIT, () -> victim.directory().isOnline(real.identity().id()),
                        () -> "the real member never got in: " + victim.stats().drops());
                assertThat(victim.directory().isOnline(mallory.identity().id())).isFalse();
                assertThat(victim.directory().online()).extracting(PeerAdvertisement::id).containsExactly(real.identity().id());
                assertThat(victim.stats().drops(DropReason.SIGNER_MISMATCH)).isEqualTo(before.drops(DropReason.SIGNER_MISMATCH));
            }
        }
    }
}
