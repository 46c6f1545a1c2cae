package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How a peer id is derived, printed, parsed and matched by prefix. */
class PeerIdTest {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

    /** RFC 4648 base32, lower case, no padding: written out here so the test does not trust the code it checks. */
    private static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        return out.toString();
    }

    @Test
    void idIsTheBase32OfTheFirstTwentyBytesOfTheKeysSha256() throws NoSuchAlgorithmException {
        Identity identity = Identity.generate();
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.signingKey());
        assertThat(PeerId.fromSigningKey(identity.signingKey()).value()).isEqualTo(base32(Arrays.copyOf(hash, 20)));
        assertThat(identity.id()).isEqualTo(PeerId.fromSigningKey(identity.signingKey()));
    }

    @Test
    void idsAreEqualByTheirPrintedFormAndHashAsIt() {
        PeerId a = Identity.generate().id();
        PeerId same = PeerId.parse(a.value().toUpperCase(java.util.Locale.ROOT));
        PeerId other = Identity.generate().id();
        assertThat(same).isNotSameAs(a).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(a.hashCode()).isEqualTo(a.value().hashCode());
        assertThat(a).isNotEqualTo(other).isNotEqualTo(a.value()).isNotEqualTo(null);
        assertThat(new java.util.HashSet<>(java.util.List.of(a, same, other))).containsExactlyInAnyOrder(a, other);
    }

    @Test
    void knownKeyGivesAKnownId() {
        // SHA-256 of 32 zero bytes starts 66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3.
        assertThat(PeerId.fromSigningKey(new byte[32]).value()).isEqualTo(base32(hex("66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3")));
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[20];
        for (int i = 0; i < 20; i++) out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return out;
    }

    @Test
    void printedFormIsThirtyTwoLowerCaseBase32CharactersAndTheShortIdItsFirstEight() {
        PeerId id = Identity.generate().id();
        assertThat(id.value()).hasSize(PeerId.LENGTH).matches("[a-z2-7]{32}");
        assertThat(id.toString()).isEqualTo(id.value());
        assertThat(id.shortId()).hasSize(PeerId.SHORT_LENGTH).isEqualTo(id.value().substring(0, 8));
    }

    @Test
    void parseAcceptsUpperCaseAndSurroundingSpace() {
        PeerId id = Identity.generate().id();
        assertThat(PeerId.parse(id.value())).isEqualTo(id);
        assertThat(PeerId.parse("  " + id.value().toUpperCase(java.util.Locale.ROOT) + "\n")).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa8", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=",
            "aaaaaaaaaaaaaaa aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaé"})
    void malformedIdsAreRefusedWithWhatWasExpected(String text) {
        assertThatThrownBy(() -> PeerId.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text.strip().toLowerCase(java.util.Locale.ROOT) + "'")
                .hasMessageContaining("expected: 32 base32 characters a-z, 2-7");
    }

    @Test
    void constructorTakesOnlyTheCanonicalLowerCaseForm() {
        String upper = Identity.generate().id().value().toUpperCase(java.util.Locale.ROOT);
        assertThatThrownBy(() -> new PeerId(upper)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerId(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PeerId.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void prefixCheckAcceptsBase32TextUpToAFullId() {
        PeerId id = Identity.generate().id();
        assertThat(PeerId.isIdPrefix("a")).isTrue();
        assertThat(PeerId.isIdPrefix("AB27")).isTrue();
        assertThat(PeerId.isIdPrefix(id.shortId())).isTrue();
        assertThat(PeerId.isIdPrefix(id.value())).isTrue();
        assertThat(PeerId.isIdPrefix("")).isFalse();
        assertThat(PeerId.isIdPrefix(id.value() + "a")).isFalse();
        assertThat(PeerId.isIdPrefix("ab1")).isFalse();
        assertThat(PeerId.isIdPrefix("ab-c")).isFalse();
        assertThat(PeerId.isIdPrefix("alice bob")).isFalse();
    }

    @Test
    void idsCompareByTheirPrintedForm() {
        PeerId a = PeerId.parse("a".repeat(32));
        PeerId b = PeerId.parse("b".repeat(32));
        assertThat(a).isLessThan(b);
        assertThat(a).isEqualTo(PeerId.parse("A".repeat(32))).hasSameHashCodeAs(PeerId.parse("A".repeat(32)));
    }
}
