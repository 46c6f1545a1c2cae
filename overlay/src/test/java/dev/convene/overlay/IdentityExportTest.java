package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A host keeps the keys in its own secret store: export, import, and refusal of anything else. */
class IdentityExportTest {

    @Test
    void anExportedIdentityImportsAsTheSamePeer() {
        Identity original = Identity.generate();
        byte[] exported = original.exportPrivate();
        Identity back = Identity.importPrivate(exported);
        assertThat(back.id()).isEqualTo(original.id());
        assertThat(back.agreementKey()).isEqualTo(original.agreementKey());
        byte[] data = "signed by the imported key".getBytes(StandardCharsets.UTF_8);
        assertThat(Identity.verify(original.signingKey(), data, back.sign(data))).isTrue();
        assertThat(back.exportPrivate()).isEqualTo(exported);
    }

    @Test
    void refusesForeignTruncatedPaddedAndMismatchedBytes() {
        byte[] exported = Identity.generate().exportPrivate();
        assertThatThrownBy(() -> Identity.importPrivate("hello".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an exported Convene identity");
        for (int cut : new int[] {exported.length - 1, 30, 20}) {
            assertThatThrownBy(() -> Identity.importPrivate(Arrays.copyOf(exported, cut))).as("cut at " + cut)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Identity.importPrivate(Arrays.copyOf(exported, exported.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extra bytes");
        // the signing pair of one identity with the agreement pair of another: ids would not match their keys
        byte[] other = Identity.generate().exportPrivate();
        byte[] mixed = exported.clone();
        int offset = mixedOffsetOfFirstPublicKey(exported);
        int len = ((exported[offset] & 0xff) << 8) | (exported[offset + 1] & 0xff);
        System.arraycopy(other, offset + 2, mixed, offset + 2, len); // another identity's Ed25519 public key
        assertThatThrownBy(() -> Identity.importPrivate(mixed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong");
    }

    /** Where the second key (the Ed25519 public key) starts: after the magic and the first key. */
    private static int mixedOffsetOfFirstPublicKey(byte[] exported) {
        int magic = "convene-identity-1\n".length();
        int first = ((exported[magic] & 0xff) << 8) | (exported[magic + 1] & 0xff);
        return magic + 2 + first;
    }
}
