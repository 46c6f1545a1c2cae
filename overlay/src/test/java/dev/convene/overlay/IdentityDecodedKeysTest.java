package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/**
 * {@link Identity#verify} checks against decoded keys kept per key: the same answers as Bouncy Castle's check on the
 * raw bytes, bad keys still refused (small-order and non-canonical encodings), and the cache bounded.
 */
class IdentityDecodedKeysTest {
    private static final byte[] DATA = "decoded once, checked many times".getBytes(StandardCharsets.UTF_8);

    /** The identity point (y = 1): order 1, so with R = identity and S = 0 a naive check accepts any message. */
    private static final byte[] IDENTITY_POINT = point(1);
    /** y = p + 1, a non-canonical encoding of y = 1. */
    private static final byte[] NON_CANONICAL = nonCanonicalOne();

    private static byte[] point(int y) {
        byte[] p = new byte[32];
        p[0] = (byte) y;
        return p;
    }

    private static byte[] nonCanonicalOne() {
        byte[] p = new byte[32];
        Arrays.fill(p, (byte) 0xff);
        p[0] = (byte) 0xee; // 2^255 - 18 = p + 1, little-endian
        p[31] = (byte) 0x7f;
        return p;
    }

    /** R = the identity point, S = 0: valid for any message under a key of small order, if that key were accepted. */
    private static byte[] identitySignature() {
        byte[] sig = new byte[64];
        sig[0] = 1;
        return sig;
    }

    @Test
    void smallOrderAndNonCanonicalKeysAreRefusedEveryTime() {
        // The order-2 point (0, -1): y = p - 1, and the identity in both encodings.
        byte[] minusOne = new byte[32];
        Arrays.fill(minusOne, (byte) 0xff);
        minusOne[0] = (byte) 0xec;
        minusOne[31] = (byte) 0x7f;
        for (byte[] bad : new byte[][] {IDENTITY_POINT, NON_CANONICAL, minusOne}) {
            for (int i = 0; i < 3; i++) { // the second and third checks would hit a cache if refusals were kept
                assertThat(Identity.verify(bad, DATA, identitySignature())).as("key %s", Arrays.toString(bad)).isFalse();
                assertThat(Identity.publicPoint(bad)).isNull();
            }
        }
    }

    @Test
    void answersAreThoseOfTheCheckOnRawBytes() {
        Random random = new Random(42);
        Identity alice = Identity.generate();
        Identity bob = Identity.generate();
        for (int i = 0; i < 200; i++) {
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            byte[] sig = (i % 2 == 0 ? alice : bob).sign(data);
            if (i % 5 == 1) sig[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
            byte[] key = i % 7 == 3 ? randomKey(random) : alice.signingKey();
            boolean expected = Ed25519.verify(sig, 0, key, 0, data, 0, data.length);
            assertThat(Identity.verify(key, data, sig)).as("case %d", i).isEqualTo(expected);
        }
        assertThat(Identity.verify(alice.signingKey(), DATA, alice.sign(DATA))).isTrue();
        assertThat(Identity.verify(bob.signingKey(), DATA, alice.sign(DATA))).isFalse();
    }

    @Test
    void aKeyArrayChangedAfterItsCheckIsCheckedAsTheNewKey() {
        Identity alice = Identity.generate();
        byte[] key = alice.signingKey();
        byte[] sig = alice.sign(DATA);
        assertThat(Identity.verify(key, DATA, sig)).isTrue();
        key[5] ^= 1; // the cache keeps its own copy of the key it decoded
        assertThat(Identity.verify(key, DATA, sig)).isFalse();
        key[5] ^= 1;
        assertThat(Identity.verify(key, DATA, sig)).isTrue();
    }

    @Test
    void theCacheIsBounded() {
        SecureRandom random = new SecureRandom();
        byte[] seed = new byte[32];
        byte[] key = new byte[32];
        for (int i = 0; i < Identity.MAX_DECODED_KEYS + 50; i++) {
            random.nextBytes(seed);
            Ed25519.generatePublicKey(seed, 0, key, 0);
            assertThat(Identity.publicPoint(key)).isNotNull();
            assertThat(Identity.decodedKeys()).isLessThanOrEqualTo(Identity.MAX_DECODED_KEYS);
        }
    }

    private static byte[] randomKey(Random random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return k;
    }
}
