package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.Identity;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sealing the content key to an invitee, and encrypting chat bodies under it, with real identities. */
class ContentCryptoTest {
    private static final ConferenceId ID = ConferenceId.random();
    private static final byte[] BOBS_CONTEXT = Fixtures.sealContext(ID, BOB.id());
    private final byte[] key = ContentCrypto.newKey();

    private static byte[] aad(Identity author, long sequence) {
        return new ChatMessage(ID, author.id(), sequence, new dev.convene.conference.HlcTimestamp(0, 0), 0, new byte[0],
                new byte[0]).aad();
    }

    @Test
    void aSealedKeyOpensWithTheRecipientsPrivateKey() throws Exception {
        byte[] sealed = ContentCrypto.seal(key, BOB.agreementKey(), BOBS_CONTEXT);
        assertThat(sealed).hasSize(32 + 12 + ContentCrypto.KEY_LENGTH + 16);
        assertThat(ContentCrypto.open(sealed, BOB.agreementPrivateKey(), BOBS_CONTEXT)).isEqualTo(key);
    }

    @Test
    void sealingTwiceGivesDifferentBoxesForTheSameKey() throws Exception {
        byte[] a = ContentCrypto.seal(key, BOB.agreementKey(), BOBS_CONTEXT);
        byte[] b = ContentCrypto.seal(key, BOB.agreementKey(), BOBS_CONTEXT);
        assertThat(a).isNotEqualTo(b);
        assertThat(ContentCrypto.open(b, BOB.agreementPrivateKey(), BOBS_CONTEXT)).isEqualTo(key);
    }

    @Test
    void theSealedBoxDoesNotContainTheKey() {
        byte[] sealed = ContentCrypto.seal(key, BOB.agreementKey(), BOBS_CONTEXT);
        for (int i = 0; i + key.length <= sealed.length; i++) {
            assertThat(Arrays.equals(sealed, i, i + key.length, key, 0, key.length)).isFalse();
        }
    }

    @Test
    void anotherPeerCannotOpenAKeySealedToBob() {
        byte[] sealed = ContentCrypto.seal(key, BOB.agreementKey(), BOBS_CONTEXT);
        assertThatThrownBy(() -> ContentCrypto.open(sealed, CAROL.agreementPrivateKey(), BOBS_CONTEXT))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> ContentCrypto.open(sealed, CAROL.agreementPrivateKey(), Fixtures.sealContext(ID, CAROL.id())))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void aKeySealedForOneConferenceOrInviteeDoesNotOpenInAnother() {
        byte[] sealed = ContentCrypto.seal(key, BOB.agreementKey(), BOBS_CONTEXT);
        assertThatThrownBy(() -> ContentCrypto.open(sealed, BOB.agreementPrivateKey(), Fixtures.sealContext(ConferenceId.random(), BOB.id())))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> ContentCrypto.open(sealed, BOB.agreementPrivateKey(), Fixtures.sealContext(ID, CAROL.id())))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @ParameterizedTest(name = "xor 0x{0}")
    @ValueSource(ints = {0x01, 0x80, 0xff})
    void flippingAnyBitsOfAnyByteOfTheSealedBoxMakesItFailToOpen(int mask) {
        byte[] sealed = ContentCrypto.seal(key, BOB.agreementKey(), BOBS_CONTEXT);
        for (int i = 0; i < sealed.length; i++) {
            byte[] altered = sealed.clone();
            altered[i] ^= (byte) mask;
            assertThatThrownBy(() -> ContentCrypto.open(altered, BOB.agreementPrivateKey(), BOBS_CONTEXT)).as("byte %d", i)
                    .isInstanceOf(GeneralSecurityException.class);
        }
    }

    @Test
    void aSealedBoxOfTheWrongLengthFailsToOpen() {
        byte[] sealed = ContentCrypto.seal(key, BOB.agreementKey(), BOBS_CONTEXT);
        for (int length : new int[] {0, 1, sealed.length - 1, sealed.length + 1}) {
            byte[] cut = Arrays.copyOf(sealed, length);
            assertThatThrownBy(() -> ContentCrypto.open(cut, BOB.agreementPrivateKey(), BOBS_CONTEXT)).as("%d bytes", length)
                    .isInstanceOf(GeneralSecurityException.class);
        }
    }

    @Test
    void aChatBodyDecryptsWithTheKeyAndItsAssociatedData() throws Exception {
        byte[] plain = "hello — 你好".getBytes(StandardCharsets.UTF_8);
        byte[] box = ContentCrypto.encrypt(key, plain, aad(BOB, 1));
        assertThat(box).hasSize(12 + plain.length + 16);
        assertThat(ContentCrypto.decrypt(key, box, aad(BOB, 1))).isEqualTo(plain);
    }

    @Test
    void anEmptyBodyRoundTrips() throws Exception {
        byte[] box = ContentCrypto.encrypt(key, new byte[0], aad(BOB, 1));
        assertThat(ContentCrypto.decrypt(key, box, aad(BOB, 1))).isEmpty();
    }

    @Test
    void encryptingTheSameTextTwiceGivesDifferentBodies() {
        byte[] plain = "same".getBytes(StandardCharsets.UTF_8);
        assertThat(ContentCrypto.encrypt(key, plain, aad(BOB, 1))).isNotEqualTo(ContentCrypto.encrypt(key, plain, aad(BOB, 1)));
    }

    @Test
    void aBodyMovedToAnotherAuthorOrSequenceFailsToDecrypt() {
        byte[] box = ContentCrypto.encrypt(key, "mine".getBytes(StandardCharsets.UTF_8), aad(BOB, 1));
        assertThatThrownBy(() -> ContentCrypto.decrypt(key, box, aad(CAROL, 1))).isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> ContentCrypto.decrypt(key, box, aad(BOB, 2))).isInstanceOf(GeneralSecurityException.class);
        // "bob|1" + "1" must not read as "bob|11": the separator keeps the fields apart
        assertThatThrownBy(() -> ContentCrypto.decrypt(key, box, aad(BOB, 11))).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void aBodyMovedToAnotherConferenceFailsToDecrypt() {
        byte[] box = ContentCrypto.encrypt(key, "mine".getBytes(StandardCharsets.UTF_8), aad(BOB, 1));
        byte[] otherConference = new ChatMessage(ConferenceId.random(), BOB.id(), 1, new dev.convene.conference.HlcTimestamp(0, 0),
                0, new byte[0], new byte[0]).aad();
        assertThatThrownBy(() -> ContentCrypto.decrypt(key, box, otherConference)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void aBodyFailsToDecryptUnderAnotherKey() {
        byte[] box = ContentCrypto.encrypt(key, "mine".getBytes(StandardCharsets.UTF_8), aad(BOB, 1));
        assertThatThrownBy(() -> ContentCrypto.decrypt(ContentCrypto.newKey(), box, aad(BOB, 1))).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void flippingAnyByteOfABodyMakesItFailToDecrypt() {
        byte[] box = ContentCrypto.encrypt(key, "some chat text".getBytes(StandardCharsets.UTF_8), aad(BOB, 1));
        for (int i = 0; i < box.length; i++) {
            byte[] altered = box.clone();
            altered[i] ^= 1;
            assertThatThrownBy(() -> ContentCrypto.decrypt(key, altered, aad(BOB, 1))).as("byte %d", i)
                    .isInstanceOf(GeneralSecurityException.class);
        }
    }

    @Test
    void aBodyShorterThanNonceAndTagFailsToDecrypt() {
        assertThatThrownBy(() -> ContentCrypto.decrypt(key, new byte[27], aad(BOB, 1))).isInstanceOf(GeneralSecurityException.class)
                .hasMessage("ciphertext too short");
    }

    @Test
    void newKeysAre256BitsAndDiffer() {
        assertThat(ContentCrypto.newKey()).hasSize(32).isNotEqualTo(ContentCrypto.newKey());
    }
}
