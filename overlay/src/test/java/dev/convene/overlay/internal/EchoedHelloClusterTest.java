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
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jgroups.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code Hello} that echoes the nonce the receiver sent to the sender's address proves the binding at once (no
 * MAC'd frame needed): only the process at that address received the nonce, and the signature, made over that
 * address, names the identity. These tests try to break that rule: an echoed {@code Hello} replayed from another
 * address, a claimant echoing the only nonce it learnt (the one sent to itself), frames failing the MAC of a binding
 * proven by the echo. The victim is the older member, so it greets first (unechoed) and, once the younger's echoed
 * {@code Hello} arrives, proves its own binding with one {@code Confirm}.
 */
@Timeout(60)
class EchoedHelloClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final byte[] NOTE = {1, 2, 'h', 'i'};

    /** The victim's Hello as {@code m} received it (signed, version 1), or null. */
    private static OverlayMessages.Hello helloFrom(HostileMember m, Address victim) {
        FrameCodec codec = new FrameCodec(List.of(OverlayMessages.ADVERTISEMENT, OverlayMessages.AD_REQUEST, OverlayMessages.HELLO), 1 << 20);
        for (HostileMember.Captured c : m.captured()) {
            if (!c.src().equals(victim)) continue;
            try {
                FrameCodec.Header h = codec.header(c.frame(), 0, c.frame().length);
                if (h.type().id() != OverlayMessages.HELLO.id()) continue;
                return (OverlayMessages.Hello) codec.decode(c.frame(), 0, c.frame().length, OverlayCore.tag(victim)).body();
            } catch (FrameException e) {
                // a MAC'd frame of a type this codec leaves out
            }
        }
        return null;
    }

    private static OverlayMessages.Hello awaitHello(HostileMember m, Address victim) {
        TestCluster.awaitCondition(WAIT, () -> helloFrom(m, victim) != null, () -> "no Hello from the victim to " + m.address());
        return helloFrom(m, victim);
    }

    /** MAC'd Confirms {@code m} received from the victim that verify under {@code key}. */
    private static long confirmsUnder(HostileMember m, Address victim, byte[] key) {
        FrameCodec codec = new FrameCodec(List.of(OverlayMessages.CONFIRM), 1 << 20);
        return m.captured().stream().filter(c -> c.src().equals(victim)).filter(c -> {
            try {
                FrameCodec.Header h = codec.header(c.frame(), 0, c.frame().length);
                if (!h.authenticatedByPairKey() || h.type().id() != OverlayMessages.CONFIRM.id()) return false;
                FrameCodec.verifyMac(h, c.frame(), 0, key);
                return true;
            } catch (FrameException e) {
                return false;
            }
        }).count();
    }

    /** Requests for a Hello {@code m} received from the victim. */
    private static long requestsFrom(HostileMember m, Address victim) {
        FrameCodec codec = new FrameCodec(List.of(OverlayMessages.AD_REQUEST), 1 << 20);
        return m.captured().stream().filter(c -> c.src().equals(victim)).filter(c -> {
            try {
                return codec.header(c.frame(), 0, c.frame().length).type().id() == OverlayMessages.AD_REQUEST.id();
            } catch (FrameException e) {
                return false;
            }
        }).count();
    }

    private static PeerAdvertisement ad(HostileMember m) {
        return new PeerAdvertisement(m.identity().id(), m.identity().id().shortId(), m.identity().signingKey(), m.identity().agreementKey(),
                "memory:" + m.identity().id().shortId(), Set.of("overlay/1"), Instant.now());
    }

    private static byte[] nonce(int fill) {
        byte[] n = new byte[PeerSession.NONCE_LENGTH];
        java.util.Arrays.fill(n, (byte) fill);
        return n;
    }

    @Test
    void anEchoedHelloProvesTheBindingAtOnceAndHoldsThroughMacFailures() throws Exception {
        try (TestCluster cluster = TestCluster.memory()) {
            Inbox inbox = new Inbox();
            Overlay victim = cluster.start("victim", null, Identity.generate(), b -> b.handle(TestMessages.NOTE, inbox));
            try (HostileMember real = HostileMember.besides(victim, "real");
                 HostileMember mallory = HostileMember.besides(victim, "mallory")) {
                Address victimAddress = HostileMember.addressOf(victim);
                TestCluster.awaitCondition(WAIT, () -> victim.stats().members() == 3, () -> "view");
                OverlayMessages.Hello greeting = awaitHello(real, victimAddress);
                assertThat(greeting.echo()).as("the older member greets first, echoing nothing").isEqualTo(new byte[PeerSession.NONCE_LENGTH]);

                byte[] realNonce = nonce(7);
                OverlayStats before = victim.stats();
                real.send(victimAddress, real.signedAs(real.address(), new OverlayMessages.Hello(ad(real), realNonce, greeting.session())));
                TestCluster.awaitCondition(WAIT, () -> victim.directory().isOnline(real.identity().id()), () -> "real never got in");
                PeerSession session = PeerSession.derive(real.identity(), realNonce, greeting.ad(), greeting.session(), victimAddress);
                // The victim's Hello echoed nothing: it proves its own binding with one Confirm under the pair's key.
                TestCluster.awaitCondition(WAIT, () -> confirmsUnder(real, victimAddress, session.receiveKey()) == 1,
                        () -> "no Confirm from the victim");
                assertThat(victim.stats().macChecks()).as("proven without a MAC'd frame").isEqualTo(before.macChecks());

                // Proven by the echo: a claim of the address is refused, and frames failing its MAC change nothing.
                mallory.send(victimAddress, mallory.signedAs(real.address(), new OverlayMessages.Hello(ad(mallory), nonce(9))), real.address(), true);
                TestCluster.awaitCondition(WAIT, () -> victim.stats().drops(DropReason.SIGNER_MISMATCH) - before.drops(DropReason.SIGNER_MISMATCH) == 1,
                        () -> "claim not refused: " + victim.stats().drops());
                long asked = requestsFrom(real, victimAddress);
                byte[] wrongKey = new byte[32];
                for (int i = 1; i <= 20; i++) {
                    mallory.send(victimAddress, FrameCodec.sealBody(TestMessages.NOTE_ID, NOTE, i, wrongKey), real.address(), true);
                }
                TestCluster.awaitCondition(WAIT, () -> victim.stats().drops(DropReason.BAD_MAC) - before.drops(DropReason.BAD_MAC) == 20,
                        () -> "drops " + victim.stats().drops());
                assertThat(inbox.all()).isEmpty();
                assertThat(requestsFrom(real, victimAddress)).as("a proven binding's MAC failures ask nobody").isEqualTo(asked);
                real.send(victimAddress, FrameCodec.sealBody(TestMessages.NOTE_ID, NOTE, 1, session.sendKey()));
                TestCluster.awaitCondition(WAIT, () -> inbox.all().size() == 1, () -> "the real member's note never arrived");
                assertThat(inbox.all().get(0).from()).isEqualTo(real.identity().id());
                assertThat(victim.directory().online()).extracting(PeerAdvertisement::id).containsExactly(real.identity().id());
            }
        }
    }

    @Test
    void anEchoedHelloReplayedFromAnotherAddressProvesNothing() throws Exception {
        try (TestCluster cluster = TestCluster.memory()) {
            Overlay victim = cluster.start("victim", null, Identity.generate(), b -> b);
            try (HostileMember real = HostileMember.besides(victim, "real");
                 HostileMember mallory = HostileMember.besides(victim, "mallory")) {
                Address victimAddress = HostileMember.addressOf(victim);
                TestCluster.awaitCondition(WAIT, () -> victim.stats().members() == 3, () -> "view");
                OverlayMessages.Hello greeting = awaitHello(real, victimAddress);
                byte[] echoedHello = real.signedAs(real.address(), new OverlayMessages.Hello(ad(real), nonce(7), greeting.session()));
                real.send(victimAddress, echoedHello);
                TestCluster.awaitCondition(WAIT, () -> victim.directory().isOnline(real.identity().id()), () -> "real never got in");
                OverlayStats before = victim.stats();

                // From mallory's own address: signed over the real member's address, so its signature fails there.
                mallory.send(victimAddress, echoedHello);
                TestCluster.awaitCondition(WAIT, () -> victim.stats().drops(DropReason.BAD_SIGNATURE) - before.drops(DropReason.BAD_SIGNATURE) == 1,
                        () -> "drops " + victim.stats().drops());
                // From the real member's address, claimed: the session it names is already there; nothing changes.
                mallory.send(victimAddress, echoedHello, real.address(), true);
                TestCluster.awaitCondition(WAIT, () -> victim.stats().signatureChecks() - before.signatureChecks() == 2, () -> "checks");
                TestCluster.awaitCondition(WAIT, () -> victim.stats().framesDelivered() > before.framesDelivered(), () -> "replay not handled");
                assertThat(victim.directory().online()).extracting(PeerAdvertisement::id).containsExactly(real.identity().id());
                assertThat(victim.directory().isOnline(mallory.identity().id())).isFalse();
            }
        }
    }

    @Test
    void aClaimantEchoingTheNonceItWasSentProvesNothingAndTheRealEchoReplacesIt() throws Exception {
        try (TestCluster cluster = TestCluster.memory()) {
            Overlay victim = cluster.start("victim", null, Identity.generate(), b -> b);
            try (HostileMember real = HostileMember.besides(victim, "real");
                 HostileMember mallory = HostileMember.besides(victim, "mallory")) {
                Address victimAddress = HostileMember.addressOf(victim);
                TestCluster.awaitCondition(WAIT, () -> victim.stats().members() == 3, () -> "view");
                OverlayMessages.Hello toMallory = awaitHello(mallory, victimAddress);
                OverlayMessages.Hello toReal = awaitHello(real, victimAddress);
                assertThat(toMallory.session()).as("a nonce of its own to each member").isNotEqualTo(toReal.session());
                OverlayStats before = victim.stats();

                // Mallory claims the real member's address, echoing the one nonce of the victim it learnt: not the
                // one sent to that address. The claim binds, unproven.
                byte[] claimNonce = nonce(9);
                mallory.send(victimAddress, mallory.signedAs(real.address(), new OverlayMessages.Hello(ad(mallory), claimNonce, toMallory.session())),
                        real.address(), true);
                TestCluster.awaitCondition(WAIT, () -> victim.directory().isOnline(mallory.identity().id()), () -> "claim not taken");
                // The victim answers the claim at the claimed address (echoing the claim's nonce): mallory never sees it.
                TestCluster.awaitCondition(WAIT, () -> real.captured().stream().anyMatch(c -> c.src().equals(victimAddress)
                        && helloEchoing(c.frame(), victimAddress, claimNonce)), () -> "no answer to the claim");
                assertThat(mallory.captured()).noneMatch(c -> helloEchoing(c.frame(), victimAddress, claimNonce));

                // The real member's echoed Hello replaces the unproven claim and is proven at once: the claim that
                // follows is refused.
                real.send(victimAddress, real.signedAs(real.address(), new OverlayMessages.Hello(ad(real), nonce(7), toReal.session())));
                TestCluster.awaitCondition(WAIT, () -> victim.directory().isOnline(real.identity().id()),
                        () -> "the real member never got in: " + victim.stats().drops());
                assertThat(victim.directory().isOnline(mallory.identity().id())).isFalse();
                mallory.send(victimAddress, mallory.signedAs(real.address(), new OverlayMessages.Hello(ad(mallory), nonce(10), toMallory.session())),
                        real.address(), true);
                TestCluster.awaitCondition(WAIT, () -> victim.stats().drops(DropReason.SIGNER_MISMATCH) - before.drops(DropReason.SIGNER_MISMATCH) == 1,
                        () -> "claim not refused: " + victim.stats().drops());
                assertThat(victim.directory().online()).extracting(PeerAdvertisement::id).containsExactly(real.identity().id());
            }
        }
    }

    private static boolean helloEchoing(byte[] frame, Address from, byte[] echo) {
        FrameCodec codec = new FrameCodec(List.of(OverlayMessages.HELLO), 1 << 20);
        try {
            FrameCodec.Header h = codec.header(frame, 0, frame.length);
            if (h.type().id() != OverlayMessages.HELLO.id()) return false;
            OverlayMessages.Hello hello = (OverlayMessages.Hello) codec.decode(frame, 0, frame.length, OverlayCore.tag(from)).body();
            return java.util.Arrays.equals(hello.echo(), echo);
        } catch (FrameException e) {
            return false;
        }
    }
}
