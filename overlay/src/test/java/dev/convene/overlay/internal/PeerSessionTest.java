package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerAdvertisement;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Set;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

class PeerSessionTest {
    private static final Identity ALICE = Identity.generate();
    private static final Identity BOB = Identity.generate();

    private static PeerAdvertisement ad(Identity id) {
        return new PeerAdvertisement(id.id(), "p", id.signingKey(), id.agreementKey(), "memory:p", Set.of(), Instant.EPOCH);
    }

    private static byte[] nonce(int b) {
        byte[] n = new byte[PeerSession.NONCE_LENGTH];
        java.util.Arrays.fill(n, (byte) b);
        return n;
    }

    @Test
    void eachSideSendsWithTheKeyTheOtherReceivesWithAndTheDirectionsDiffer() throws GeneralSecurityException {
        PeerSession atAlice = PeerSession.derive(ALICE, nonce(1), ad(BOB), nonce(2), UUID.randomUUID());
        PeerSession atBob = PeerSession.derive(BOB, nonce(2), ad(ALICE), nonce(1), UUID.randomUUID());
        assertThat(atAlice.sendKey()).isEqualTo(atBob.receiveKey());
        assertThat(atBob.sendKey()).isEqualTo(atAlice.receiveKey());
        assertThat(atAlice.sendKey()).isNotEqualTo(atAlice.receiveKey());
        assertThat(atAlice.peer()).isEqualTo(BOB.id());
    }

    @Test
    void aRestartOfEitherSideGivesNewKeys() throws GeneralSecurityException {
        PeerSession first = PeerSession.derive(ALICE, nonce(1), ad(BOB), nonce(2), UUID.randomUUID());
        PeerSession bobRestarted = PeerSession.derive(ALICE, nonce(1), ad(BOB), nonce(3), UUID.randomUUID());
        PeerSession aliceRestarted = PeerSession.derive(ALICE, nonce(4), ad(BOB), nonce(2), UUID.randomUUID());
        assertThat(bobRestarted.receiveKey()).isNotEqualTo(first.receiveKey());
        assertThat(aliceRestarted.sendKey()).isNotEqualTo(first.sendKey());
        assertThat(first.sameSession(nonce(2))).isTrue();
        assertThat(first.sameSession(nonce(3))).isFalse();
    }

    @Test
    void anotherIdentityDerivesOtherKeys() throws GeneralSecurityException {
        Identity mallory = Identity.generate();
        PeerSession real = PeerSession.derive(ALICE, nonce(1), ad(BOB), nonce(2), UUID.randomUUID());
        PeerSession forged = PeerSession.derive(mallory, nonce(1), ad(BOB), nonce(2), UUID.randomUUID());
        assertThat(forged.sendKey()).isNotEqualTo(real.sendKey());
    }

    @Test
    void sequenceNumbersStartAtOneAndReplaysAreRefused() throws GeneralSecurityException {
        PeerSession s = PeerSession.derive(ALICE, nonce(1), ad(BOB), nonce(2), UUID.randomUUID());
        assertThat(s.nextSequence()).isEqualTo(1);
        assertThat(s.nextSequence()).isEqualTo(2);
        assertThat(s.acceptSequence(7)).isTrue();
        assertThat(s.acceptSequence(7)).isFalse();
    }

    @Test
    void aSmallOrderAgreementKeyIsRefused() {
        Identity id = Identity.generate();
        PeerAdvertisement zero = new PeerAdvertisement(id.id(), "z", id.signingKey(), new byte[32], "memory:z", Set.of(), Instant.EPOCH);
        assertThatThrownBy(() -> PeerSession.derive(ALICE, nonce(1), zero, nonce(2), UUID.randomUUID()))
                .isInstanceOfAny(GeneralSecurityException.class, IllegalArgumentException.class);
    }

    @Test
    void theAgreementIsTheJdksX25519() throws GeneralSecurityException {
        for (int i = 0; i < 20; i++) {
            Identity a = Identity.generate();
            Identity b = Identity.generate();
            javax.crypto.KeyAgreement jdk = javax.crypto.KeyAgreement.getInstance("X25519");
            jdk.init(a.agreementPrivateKey());
            jdk.doPhase(Identity.agreementPublicKey(b.agreementKey()), true);
            assertThat(PeerSession.agree(a, b.agreementKey())).isEqualTo(jdk.generateSecret()).isEqualTo(PeerSession.agree(b, a.agreementKey()));
        }
        // RFC 7748: the top bit of u is ignored, by the JDK and here alike.
        Identity a = Identity.generate();
        byte[] u = Identity.generate().agreementKey();
        byte[] high = u.clone();
        high[31] |= (byte) 0x80;
        assertThat(PeerSession.agree(a, high)).isEqualTo(PeerSession.agree(a, u));
        assertThatThrownBy(() -> PeerSession.agree(a, new byte[31])).isInstanceOf(GeneralSecurityException.class);
        byte[] one = new byte[32];
        one[0] = 1; // a point of small order: the result is all zero
        assertThatThrownBy(() -> PeerSession.agree(a, one)).isInstanceOf(GeneralSecurityException.class);
    }
}
