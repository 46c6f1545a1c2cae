package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys on disk (owner-only, reused, checked on load) and signing that never throws on bad input. */
class IdentityTest {
    private static final List<String> KEY_FILES = List.of("signing.key", "signing.key.pub", "agreement.key", "agreement.key.pub");
    private static final byte[] DATA = "the quick brown fox".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    private static void assumePosix(Path path) {
        assumeTrue(Files.getFileAttributeView(path, PosixFileAttributeView.class) != null, "permissions are POSIX-only");
    }

    @Test
    void firstUseCreatesTheKeysWithOwnerOnlyPermissions() throws IOException {
        assumePosix(tmp);
        Path home = tmp.resolve("home");
        Identity.loadOrCreate(home);
        Path dir = home.resolve("identity");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        for (String name : KEY_FILES) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name)))).as(name).isEqualTo("rw-------");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(KEY_FILES);
        }
    }

    @Test
    void existingHomeIsTightenedToOwnerOnly() throws IOException {
        assumePosix(tmp);
        Path home = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Identity.loadOrCreate(home);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
    }

    @Test
    void restartReusesTheSameKeysAndPeerId() {
        Identity first = Identity.loadOrCreate(tmp);
        Identity again = Identity.loadOrCreate(tmp);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.signingKey()).isEqualTo(first.signingKey());
        assertThat(again.agreementKey()).isEqualTo(first.agreementKey());
        assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(Identity.verify(first.signingKey(), DATA, again.sign(DATA))).isTrue();
    }

    @Test
    void differentHomesHoldDifferentIdentities() {
        assertThat(Identity.loadOrCreate(tmp.resolve("a")).id()).isNotEqualTo(Identity.loadOrCreate(tmp.resolve("b")).id());
        assertThat(Identity.generate().id()).isNotEqualTo(Identity.generate().id());
    }

    @Test
    void generatedKeysWorkWithTheJdksOwnEd25519AndX25519() throws Exception {
        // generate() makes the keys with Bouncy Castle and keeps them in JDK form: the JDK must accept both pairs.
        Identity a = Identity.generate();
        Identity b = Identity.generate();
        byte[] data = "generated keys".getBytes(StandardCharsets.US_ASCII);
        java.security.KeyFactory ed = java.security.KeyFactory.getInstance("Ed25519");
        java.security.PublicKey jdkPublic = ed.generatePublic(new java.security.spec.X509EncodedKeySpec(
                concat(java.util.HexFormat.of().parseHex("302A300506032B6570032100"), a.signingKey())));
        java.security.Signature verifier = java.security.Signature.getInstance("Ed25519");
        verifier.initVerify(jdkPublic);
        verifier.update(data);
        assertThat(verifier.verify(a.sign(data))).isTrue();

        java.security.KeyFactory x = java.security.KeyFactory.getInstance("X25519");
        byte[] ab = agree(a.agreementPrivateKey(), x.generatePublic(new java.security.spec.X509EncodedKeySpec(
                concat(java.util.HexFormat.of().parseHex("302A300506032B656E032100"), b.agreementKey()))));
        byte[] ba = agree(b.agreementPrivateKey(), x.generatePublic(new java.security.spec.X509EncodedKeySpec(
                concat(java.util.HexFormat.of().parseHex("302A300506032B656E032100"), a.agreementKey()))));
        assertThat(ab).hasSize(32).isEqualTo(ba).isNotEqualTo(new byte[32]);
    }

    private static byte[] agree(java.security.PrivateKey mine, java.security.PublicKey theirs) throws Exception {
        javax.crypto.KeyAgreement k = javax.crypto.KeyAgreement.getInstance("X25519");
        k.init(mine);
        k.doPhase(theirs, true);
        return k.generateSecret();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void idAndFingerprintDeriveFromTheSigningKey() {
        Identity id = Identity.generate();
        assertThat(id.id()).isEqualTo(PeerId.fromSigningKey(id.signingKey()));
        assertThat(id.signingKey()).hasSize(Identity.KEY_LENGTH);
        assertThat(id.agreementKey()).hasSize(Identity.KEY_LENGTH);
        assertThat(id.fingerprint()).matches("[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}")
                .isEqualTo(Identity.fingerprint(id.signingKey()));
        assertThat(id.toString()).isEqualTo("Identity[" + id.id().shortId() + "]");
    }

    @Test
    void fingerprintIsTheFirstEightBytesOfTheKeysSha256() {
        // SHA-256 of 32 zero bytes starts 66687aadf862bd77.
        assertThat(Identity.fingerprint(new byte[32])).isEqualTo("6668-7aad-f862-bd77");
    }

    @Test
    void keyAccessorsReturnCopies() {
        Identity id = Identity.generate();
        id.signingKey()[0] ^= 1;
        id.agreementKey()[0] ^= 1;
        assertThat(id.id()).isEqualTo(PeerId.fromSigningKey(id.signingKey()));
    }

    @Test
    void signatureVerifiesOnlyForItsDataAndKey() {
        Identity alice = Identity.generate();
        Identity bob = Identity.generate();
        byte[] sig = alice.sign(DATA);
        assertThat(sig).hasSize(Identity.SIGNATURE_LENGTH);
        assertThat(Identity.verify(alice.signingKey(), DATA, sig)).isTrue();
        assertThat(Identity.verify(bob.signingKey(), DATA, sig)).isFalse();
        byte[] changed = DATA.clone();
        changed[3] ^= 1;
        assertThat(Identity.verify(alice.signingKey(), changed, sig)).isFalse();
        byte[] badSig = sig.clone();
        badSig[10] ^= 1;
        assertThat(Identity.verify(alice.signingKey(), DATA, badSig)).isFalse();
    }

    @Test
    void signingARangeEqualsSigningThoseBytes() {
        Identity alice = Identity.generate();
        byte[] range = alice.sign(DATA, 4, 5);
        assertThat(Identity.verify(alice.signingKey(), Arrays.copyOfRange(DATA, 4, 9), range)).isTrue();
        assertThat(Identity.verify(alice.signingKey(), DATA, 4, 5, range)).isTrue();
        assertThat(Identity.verify(alice.signingKey(), DATA, 4, 6, range)).isFalse();
    }

    @Test
    void verifyReturnsFalseAndNeverThrowsOnGarbage() {
        Identity alice = Identity.generate();
        byte[] sig = alice.sign(DATA);
        Random random = new Random(7);
        byte[] randomKey = new byte[32];
        byte[] randomSig = new byte[64];
        byte[] ones = new byte[64];
        Arrays.fill(ones, (byte) 0xFF);
        List<byte[][]> cases = new java.util.ArrayList<>(List.of(
                new byte[][] {null, sig}, new byte[][] {alice.signingKey(), null}, new byte[][] {new byte[0], sig},
                new byte[][] {new byte[31], sig}, new byte[][] {new byte[33], sig}, new byte[][] {new byte[32], sig},
                new byte[][] {alice.signingKey(), new byte[0]}, new byte[][] {alice.signingKey(), new byte[63]},
                new byte[][] {alice.signingKey(), new byte[65]}, new byte[][] {alice.signingKey(), new byte[64]},
                new byte[][] {alice.signingKey(), ones}, new byte[][] {Arrays.copyOf(ones, 32), sig}));
        for (int i = 0; i < 200; i++) {
            random.nextBytes(randomKey);
            random.nextBytes(randomSig);
            cases.add(new byte[][] {randomKey.clone(), i % 2 == 0 ? randomSig.clone() : sig});
        }
        for (byte[][] c : cases) {
            assertThatCode(() -> assertThat(Identity.verify(c[0], DATA, c[1])).isFalse()).doesNotThrowAnyException();
        }
        assertThat(Identity.verify(alice.signingKey(), DATA, 10, 100, sig)).as("range past the end").isFalse();
    }

    @Test
    void corruptPrivateKeyFileIsAClearIllegalStateException() throws IOException {
        Identity.loadOrCreate(tmp);
        Path key = tmp.resolve("identity/signing.key");
        Files.write(key, "not a key".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Identity.loadOrCreate(tmp)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(key.toString()).hasMessageContaining("corrupt").hasMessageContaining("move");
    }

    @Test
    void truncatedKeyFileIsAClearIllegalStateException() throws IOException {
        Identity.loadOrCreate(tmp);
        Path key = tmp.resolve("identity/agreement.key");
        byte[] bytes = Files.readAllBytes(key);
        Files.write(key, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> Identity.loadOrCreate(tmp)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt");
    }

    @Test
    void publicKeyOfAnotherIdentityIsDetectedAsCorrupt() throws IOException {
        Identity.loadOrCreate(tmp.resolve("other"));
        Identity.loadOrCreate(tmp.resolve("mine"));
        Files.copy(tmp.resolve("other/identity/signing.key.pub"), tmp.resolve("mine/identity/signing.key.pub"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> Identity.loadOrCreate(tmp.resolve("mine"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void mismatchedAgreementKeysAreDetectedAsCorrupt() throws IOException {
        Identity.loadOrCreate(tmp.resolve("other"));
        Identity.loadOrCreate(tmp.resolve("mine"));
        Files.copy(tmp.resolve("other/identity/agreement.key.pub"), tmp.resolve("mine/identity/agreement.key.pub"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> Identity.loadOrCreate(tmp.resolve("mine"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void missingAgreementKeyIsReportedNotSilentlyReplaced() throws IOException {
        Identity.loadOrCreate(tmp);
        byte[] signingKey = Files.readAllBytes(tmp.resolve("identity/signing.key"));
        Files.delete(tmp.resolve("identity/agreement.key"));
        assertThatThrownBy(() -> Identity.loadOrCreate(tmp)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("incomplete").hasMessageContaining("agreement.key");
        // The signing key, and with it the PeerId, is left alone for the user to restore.
        assertThat(Files.readAllBytes(tmp.resolve("identity/signing.key"))).isEqualTo(signingKey);
        assertThat(tmp.resolve("identity/agreement.key")).doesNotExist();
    }

    @Test
    void missingPublicKeyFileIsReported() throws IOException {
        Identity.loadOrCreate(tmp);
        Files.delete(tmp.resolve("identity/signing.key.pub"));
        assertThatThrownBy(() -> Identity.loadOrCreate(tmp)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("incomplete").hasMessageContaining("signing.key.pub");
    }

    @Test
    void interruptedFirstRunWithoutASigningKeyStartsOver() throws IOException {
        Identity.loadOrCreate(tmp);
        Files.delete(tmp.resolve("identity/signing.key"));
        Files.delete(tmp.resolve("identity/signing.key.pub"));
        Identity fresh = Identity.loadOrCreate(tmp);
        assertThat(Identity.loadOrCreate(tmp).id()).isEqualTo(fresh.id());
    }

    @Test
    void agreementPublicKeyRebuildsFromRawBytesAndRefusesGarbage() {
        Identity id = Identity.generate();
        assertThat(Identity.agreementPublicKey(id.agreementKey()).getAlgorithm()).isEqualTo("XDH");
        assertThatThrownBy(() -> Identity.agreementPublicKey(new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: 32");
        assertThatThrownBy(() -> Identity.agreementPublicKey(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
