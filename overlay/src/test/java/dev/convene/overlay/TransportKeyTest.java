package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.io.BaseEncoding;
import dev.convene.overlay.internal.Stacks;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared transport key: how it is made and shown, and how it reaches the stack without being written down. */
class TransportKeyTest {

    @Test
    void theSamePassphraseGivesTheSameKeyEverywhereAndAnotherGivesAnother() {
        TransportKey a = TransportKey.fromPassphrase("  correct horse battery staple ");
        TransportKey b = TransportKey.fromPassphrase("correct horse battery staple");
        TransportKey c = TransportKey.fromPassphrase("correct horse battery stable");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).isNotEqualTo(c.fingerprint()).matches("[0-9a-f]{4}(-[0-9a-f]{4}){3}");
        assertThat(a.toBytes()).hasSize(TransportKey.LENGTH);
        assertThat(a.secretKey().getAlgorithm()).isEqualTo("AES");
    }

    @Test
    void shortPassphrasesAndKeysOfTheWrongLengthAreRefusedSayingWhatIsExpected() {
        assertThatThrownBy(() -> TransportKey.fromPassphrase("hunter2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7 characters (expected: >= 12");
        assertThatThrownBy(() -> TransportKey.fromPassphrase(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransportKey.of(new byte[16])).hasMessageContaining("16 bytes (expected: 32 bytes)");
        assertThatThrownBy(() -> TransportKey.of(null)).hasMessageContaining("null");
    }

    @Test
    void aKeyRoundTripsThroughItsBytesAndIsNeverShownInFull() {
        TransportKey key = TransportKey.generate();
        byte[] raw = key.toBytes();
        assertThat(TransportKey.of(raw)).isEqualTo(key);
        assertThat(TransportKey.generate()).isNotEqualTo(key);
        raw[0] ^= 1;
        assertThat(TransportKey.of(raw)).isNotEqualTo(key); // toBytes() is a copy, of() copies too

        OverlayConfig config = OverlayConfig.builder("alice").transportKey(key).build();
        for (String shown : List.of(key.toString(), config.toString())) {
            assertThat(shown).contains(key.fingerprint())
                    .doesNotContainIgnoringCase(BaseEncoding.base16().encode(key.toBytes()))
                    .doesNotContain(Base64.getEncoder().encodeToString(key.toBytes()));
        }
    }

    @Test
    void transportEncryptionIsOffByDefaultAndSurvivesToBuilder() {
        OverlayConfig plain = OverlayConfig.builder("alice").build();
        assertThat(plain.transportKey()).isNull();
        assertThat(Stacks.xml(plain, List.of())).doesNotContain("ENCRYPT");

        TransportKey key = TransportKey.generate();
        OverlayConfig keyed = plain.toBuilder().transportKey(key).build();
        assertThat(keyed.transportKey()).isEqualTo(key);
        assertThat(keyed.toBuilder().port(7900).build().transportKey()).isEqualTo(key);
        assertThat(keyed.toBuilder().transportKey(null).build().transportKey()).isNull();
    }

    @Test
    void everyStackWithAKeyEncryptsAboveDiscoveryAndNeverWritesTheKeyDown() {
        TransportKey key = TransportKey.generate();
        for (NetworkMode mode : NetworkMode.values()) {
            OverlayConfig.Builder b = OverlayConfig.builder("p").mode(mode).transportKey(key);
            if (mode == NetworkMode.SEEDS) b.seed(new HostPort("127.0.0.1", 7800));
            if (mode == NetworkMode.RELAY) b.router(new HostPort("127.0.0.1", 12001));
            String xml = Stacks.xml(b.build(), List.of());
            assertThat(xml).as("%s", mode).contains("<SYM_ENCRYPT sym_algorithm=\"AES/CBC/PKCS5Padding\"")
                    .doesNotContain("keystore").doesNotContain("password")
                    .doesNotContainIgnoringCase(BaseEncoding.base16().encode(key.toBytes()));
            int discovery = xml.indexOf("PING"); // TCPPING, PING or SHARED_LOOPBACK_PING
            assertThat(discovery).as("%s discovery", mode).isPositive();
            assertThat(xml.indexOf("<SYM_ENCRYPT")).as("%s: encryption right above discovery", mode)
                    .isGreaterThan(discovery).isLessThan(xml.indexOf("<MERGE3"));
        }
    }
}
