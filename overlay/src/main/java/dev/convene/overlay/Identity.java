package dev.convene.overlay;

import com.google.common.hash.Hashing;
import com.google.common.io.BaseEncoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A peer's long-lived keys: Ed25519 for signing and X25519 for key agreement, held as the JDK's key objects (made,
 * signed with and agreed with by Bouncy Castle's RFC 8032 and RFC 7748 code, which gives the same results faster).
 *
 * <p>{@link #loadOrCreate(Path)} keeps them under {@code HOME/identity/} with owner-only permissions
 * ({@code 0700} for the directory, {@code 0600} for the files) and reuses them on every restart, so the
 * {@link PeerId} is stable. {@link #generate()} makes an identity that lives in memory only.
 *
 * <p>Thread-safe: signing and verifying keep no state between calls.
 */
public final class Identity {
    /** DER prefix of an X.509 Ed25519 public key; the raw 32-byte key follows it. */
    private static final byte[] ED25519_X509_PREFIX = BaseEncoding.base16().decode("302A300506032B6570032100");
    /** DER prefix of an X.509 X25519 public key. */
    private static final byte[] X25519_X509_PREFIX = BaseEncoding.base16().decode("302A300506032B656E032100");
    /** Raw public key length for Ed25519 and X25519. */
    public static final int KEY_LENGTH = 32;
    /** Ed25519 signature length. */
    public static final int SIGNATURE_LENGTH = 64;

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final KeyPair signing;
    private final KeyPair agreement;
    private final byte[] signingKey;
    private final byte[] agreementKey;
    private final PeerId id;
    /** The raw 32-byte Ed25519 seed, for BouncyCastle's signer. */
    private final byte[] seed;

    private Identity(KeyPair signing, KeyPair agreement) {
        this.signing = signing;
        this.agreement = agreement;
        this.seed = ((java.security.interfaces.EdECPrivateKey) signing.getPrivate()).getBytes()
                .orElseThrow(() -> new IllegalStateException("this JDK hides the Ed25519 private key bytes"));
        this.signingKey = rawKey(signing.getPublic(), ED25519_X509_PREFIX);
        this.agreementKey = rawKey(agreement.getPublic(), X25519_X509_PREFIX);
        this.id = PeerId.fromSigningKey(signingKey);
    }

    /**
     * A fresh identity held in memory only (tests, the demo, the benchmark).
     *
     * @return a fresh identity held in memory only (tests, the demo, the benchmark)
     */
    public static Identity generate() {
        // Bouncy Castle's RFC 8032 / RFC 7748 code makes the keys (the JDK 17 generators took 5-15 times as long: a
        // peer of a forming group generated on the thread that then joins); they are kept in JDK form as before.
        byte[] seed = new byte[KEY_LENGTH];
        byte[] signingPublic = new byte[KEY_LENGTH];
        byte[] scalar = new byte[KEY_LENGTH];
        byte[] agreementPublic = new byte[KEY_LENGTH];
        try {
            org.bouncycastle.math.ec.rfc8032.Ed25519.generatePrivateKey(RANDOM, seed);
            org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, signingPublic, 0);
            org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(RANDOM, scalar);
            org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(scalar, 0, agreementPublic, 0);
            KeyFactory ed = KeyFactory.getInstance("Ed25519");
            KeyFactory x = KeyFactory.getInstance("X25519");
            return new Identity(
                    new KeyPair(ed.generatePublic(new X509EncodedKeySpec(x509(ED25519_X509_PREFIX, signingPublic))),
                            ed.generatePrivate(new java.security.spec.EdECPrivateKeySpec(java.security.spec.NamedParameterSpec.ED25519, seed))),
                    new KeyPair(x.generatePublic(new X509EncodedKeySpec(x509(X25519_X509_PREFIX, agreementPublic))),
                            x.generatePrivate(new java.security.spec.XECPrivateKeySpec(java.security.spec.NamedParameterSpec.X25519, scalar))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519/X25519 support; use JDK 17 or later", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
            Arrays.fill(scalar, (byte) 0);
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private static byte[] x509(byte[] prefix, byte[] raw) {
        byte[] encoded = Arrays.copyOf(prefix, prefix.length + raw.length);
        System.arraycopy(raw, 0, encoded, prefix.length, raw.length);
        return encoded;
    }

    /**
     * Loads the identity kept in {@code home}, creating it (and {@code home}) on first use.
     *
     * @param home the home directory
     * @return the identity
     * @throws UncheckedIOException if the files cannot be read or written
     * @throws IllegalStateException if the stored keys are corrupt, incomplete or do not belong together, with
     *     what to do about it
     */
    public static Identity loadOrCreate(Path home) {
        Path dir = home.resolve("identity");
        Path signingFile = dir.resolve("signing.key");
        Path agreementFile = dir.resolve("agreement.key");
        try {
            createOwnerOnlyDirectory(home);
            createOwnerOnlyDirectory(dir);
            if (Files.exists(signingFile) && !Files.exists(agreementFile)) {
                // Creation writes the agreement key first, so this is damage, not an interrupted first run.
                // Replacing it would silently give this peer a new PeerId and lose the signing key.
                throw new IllegalStateException("the identity in " + dir + " is incomplete: " + agreementFile.getFileName()
                        + " is missing; restore it from a backup or move " + dir + " away to create a new identity");
            }
            if (!Files.exists(signingFile)) {
                Identity fresh = generate();
                // Write the agreement key first: the signing key's presence marks a complete identity.
                writeOwnerOnly(agreementFile, fresh.agreement.getPrivate().getEncoded(), agreementFile.getFileName() + ".pub",
                        fresh.agreement.getPublic().getEncoded());
                writeOwnerOnly(signingFile, fresh.signing.getPrivate().getEncoded(), signingFile.getFileName() + ".pub",
                        fresh.signing.getPublic().getEncoded());
                return fresh;
            }
            Identity loaded = new Identity(readPair(signingFile, "Ed25519"), readPair(agreementFile, "X25519"));
            loaded.checkPairs(dir);
            return loaded;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the identity in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The first bytes of an {@link #exportPrivate() exported} identity: format name and version 1. */
    private static final byte[] EXPORT_MAGIC = "convene-identity-1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Longest encoded key accepted on import (the JDK's encodings are 44 to 48 bytes). */
    private static final int MAX_ENCODED_KEY = 256;

    /**
     * This identity's private and public keys in one portable byte string, for a host that keeps keys in its
     * own secret store (a keychain, a vault) instead of in the home directory. The bytes are secret: whoever
     * holds them is this peer. Format: {@code "convene-identity-1\n"} then four keys (Ed25519 PKCS#8 and X.509,
     * X25519 PKCS#8 and X.509), each as a 2-byte big-endian length and the bytes.
     *
     * @return a fresh array holding the exported keys
     * @see #importPrivate(byte[])
     */
    public byte[] exportPrivate() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
        out.writeBytes(EXPORT_MAGIC);
        for (byte[] k : List.of(signing.getPrivate().getEncoded(), signing.getPublic().getEncoded(),
                agreement.getPrivate().getEncoded(), agreement.getPublic().getEncoded())) {
            out.write(k.length >>> 8);
            out.write(k.length & 0xff);
            out.writeBytes(k);
        }
        return out.toByteArray();
    }

    /**
     * Rebuilds an identity from {@link #exportPrivate()}'s bytes, checking that each public key belongs to its
     * private key.
     *
     * @param exported the exported bytes (not kept)
     * @return the identity
     * @throws IllegalArgumentException if the bytes are not an exported identity, are truncated or have extra
     *     bytes, or hold keys that do not belong together
     */
    public static Identity importPrivate(byte[] exported) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(exported);
        if (exported.length < EXPORT_MAGIC.length
                || !Arrays.equals(exported, 0, EXPORT_MAGIC.length, EXPORT_MAGIC, 0, EXPORT_MAGIC.length)) {
            throw new IllegalArgumentException("identity: not an exported Convene identity (expected: convene-identity-1)");
        }
        in.position(EXPORT_MAGIC.length);
        byte[][] keys = new byte[4][];
        for (int i = 0; i < keys.length; i++) {
            if (in.remaining() < 2) throw new IllegalArgumentException("identity: truncated at key " + (i + 1) + " of 4");
            int n = Short.toUnsignedInt(in.getShort());
            if (n == 0 || n > MAX_ENCODED_KEY || in.remaining() < n) {
                throw new IllegalArgumentException("identity: key " + (i + 1) + " is " + n + " bytes (expected: 1-"
                        + MAX_ENCODED_KEY + ", within the data)");
            }
            keys[i] = new byte[n];
            in.get(keys[i]);
        }
        if (in.hasRemaining()) throw new IllegalArgumentException("identity: " + in.remaining() + " extra bytes after the keys");
        Identity identity;
        try {
            KeyFactory ed = KeyFactory.getInstance("Ed25519");
            KeyFactory x = KeyFactory.getInstance("X25519");
            identity = new Identity(
                    new KeyPair(ed.generatePublic(new X509EncodedKeySpec(keys[1])), ed.generatePrivate(new PKCS8EncodedKeySpec(keys[0]))),
                    new KeyPair(x.generatePublic(new X509EncodedKeySpec(keys[3])), x.generatePrivate(new PKCS8EncodedKeySpec(keys[2]))));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("identity: the keys cannot be decoded", e);
        }
        try {
            identity.checkPairs(Path.of("."));
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("identity: a public key does not belong to its private key");
        }
        return identity;
    }

    private static KeyPair readPair(Path privateFile, String algorithm) throws IOException {
        Path publicFile = privateFile.resolveSibling(privateFile.getFileName() + ".pub");
        if (!Files.exists(publicFile)) {
            throw new IllegalStateException("the identity in " + privateFile.getParent() + " is incomplete: "
                    + publicFile.getFileName() + " is missing; restore it from a backup or move " + privateFile.getParent()
                    + " away to create a new identity");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance(algorithm);
            PrivateKey priv = factory.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateFile)));
            PublicKey pub = factory.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(publicFile)));
            return new KeyPair(pub, priv);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the key file " + privateFile + " is corrupt; restore it from a backup or move "
                    + privateFile.getParent() + " away to create a new identity", e);
        }
    }

    /**
     * Checks that each stored public key belongs to its private key. A mismatched pair (a {@code .pub} file
     * copied from another identity) would otherwise yield a PeerId whose signatures nobody can verify.
     */
    private void checkPairs(Path dir) {
        byte[] probe = "convene identity check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        boolean signingOk;
        boolean agreementOk;
        try {
            signingOk = verify(signingKey, probe, sign(probe));
            agreementOk = agreementMatches();
        } catch (IllegalStateException e) {
            signingOk = false;
            agreementOk = false;
        }
        if (!signingOk || !agreementOk) {
            throw new IllegalStateException("the key files in " + dir + " are corrupt: a public key does not match its private key; "
                    + "restore them from a backup or move " + dir + " away to create a new identity");
        }
    }

    /** X25519 cannot sign: agree with a throwaway key both ways and compare the secrets. */
    private boolean agreementMatches() {
        try {
            KeyPair other = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            javax.crypto.KeyAgreement mine = javax.crypto.KeyAgreement.getInstance("X25519");
            mine.init(agreement.getPrivate());
            mine.doPhase(other.getPublic(), true);
            javax.crypto.KeyAgreement theirs = javax.crypto.KeyAgreement.getInstance("X25519");
            theirs.init(other.getPrivate());
            theirs.doPhase(agreement.getPublic(), true);
            return java.security.MessageDigest.isEqual(mine.generateSecret(), theirs.generateSecret());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static void createOwnerOnlyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        setPermissions(dir, OWNER_DIR);
    }

    private static void writeOwnerOnly(Path file, byte[] privateBytes, String publicName, byte[] publicBytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
            Files.createFile(tmp);
        }
        Files.write(tmp, privateBytes);
        Path pub = file.resolveSibling(publicName);
        Files.write(pub, publicBytes);
        setPermissions(pub, OWNER_FILE);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        setPermissions(file, OWNER_FILE);
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> perms) throws IOException {
        if (Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS) != null) {
            Files.setPosixFilePermissions(path, perms);
        }
    }

    private static byte[] rawKey(PublicKey key, byte[] prefix) {
        byte[] encoded = key.getEncoded();
        if (encoded.length != prefix.length + KEY_LENGTH
                || !Arrays.equals(encoded, 0, prefix.length, prefix, 0, prefix.length)) {
            throw new IllegalStateException("unexpected " + key.getAlgorithm() + " key encoding");
        }
        return Arrays.copyOfRange(encoded, prefix.length, encoded.length);
    }

    /**
     * This peer's id.
     *
     * @return this peer's id
     */
    public PeerId id() {
        return id;
    }

    /**
     * The raw 32-byte Ed25519 public key (a copy).
     *
     * @return the raw 32-byte Ed25519 public key (a copy)
     */
    public byte[] signingKey() {
        return signingKey.clone();
    }

    /**
     * The raw 32-byte X25519 public key (a copy).
     *
     * @return the raw 32-byte X25519 public key (a copy)
     */
    public byte[] agreementKey() {
        return agreementKey.clone();
    }

    /**
     * The X25519 private key, for sealing and opening content keys.
     *
     * @return the X25519 private key, for sealing and opening content keys
     */
    public PrivateKey agreementPrivateKey() {
        return agreement.getPrivate();
    }

    /**
     * Signs {@code data[offset, offset+length)} with Ed25519; returns 64 bytes. Keys are kept in JDK form, but
     * signing and verifying use BouncyCastle's RFC 8032 code on the raw bytes: the same signatures, several
     * times faster than JDK 17's provider and with no per-call provider lookup or key decoding.
     *
     * @param data the bytes
     * @param offset where the signed part starts
     * @param length how many bytes are signed
     * @return the 64-byte signature
     */
    public byte[] sign(byte[] data, int offset, int length) {
        byte[] sig = new byte[SIGNATURE_LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, signingKey, 0, data, offset, length, sig, 0);
        return sig;
    }

    /**
     * Signs all of {@code data}.
     *
     * @param data the bytes
     * @return the 64-byte signature
     */
    public byte[] sign(byte[] data) {
        return sign(data, 0, data.length);
    }

    /**
     * Verifies an Ed25519 signature made by the holder of the raw public key {@code signingKey}.
     * Never throws on bad input: a malformed key or signature is simply not valid.
     *
     * @param signingKey the signer's raw 32-byte Ed25519 public key
     * @param data the bytes
     * @param offset where the signed part starts
     * @param length how many bytes are signed
     * @param signature the signature to check
     * @return true if it is valid
     */
    public static boolean verify(byte[] signingKey, byte[] data, int offset, int length, byte[] signature) {
        if (signingKey == null || signingKey.length != KEY_LENGTH || signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        if (data == null || offset < 0 || length < 0 || offset > data.length - length) return false;
        try {
            org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point = publicPoint(signingKey);
            return point != null && org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, point, data, offset, length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The most decoded signing keys kept by {@link #publicPoint}; past it the cache starts again empty. */
    static final int MAX_DECODED_KEYS = 4096;
    private static final java.util.concurrent.ConcurrentHashMap<java.nio.ByteBuffer, org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint>
            DECODED_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The decoded point of a raw signing key, or null if it is not one: decoding (a square root in the field) was a
     * tenth of every check, and a peer checks the same few keys again and again. The checks are those of
     * {@code Ed25519.verify} on the raw bytes (a canonical encoding that is not one of the small-order points, and a
     * point on the curve: {@code validatePublicKeyPartialExport}), so the same signatures verify. Refused keys are
     * not remembered; at most {@link #MAX_DECODED_KEYS} are, after which the cache is emptied and refilled.
     */
    static org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint publicPoint(byte[] signingKey) {
        java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(signingKey);
        org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point = DECODED_KEYS.get(key);
        if (point != null) return point;
        byte[] copy = signingKey.clone();
        point = org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartialExport(copy, 0);
        if (point == null) return null;
        if (DECODED_KEYS.size() >= MAX_DECODED_KEYS) DECODED_KEYS.clear();
        DECODED_KEYS.put(java.nio.ByteBuffer.wrap(copy), point);
        return point;
    }

    static int decodedKeys() {
        return DECODED_KEYS.size();
    }

    /**
     * Verifies a signature over all of {@code data}.
     *
     * @param signingKey the signer's raw 32-byte Ed25519 public key
     * @param data the bytes
     * @param signature the signature to check
     * @return true if it is valid
     */
    public static boolean verify(byte[] signingKey, byte[] data, byte[] signature) {
        return verify(signingKey, data, 0, data.length, signature);
    }

    /**
     * Rebuilds a JDK X25519 public key from its raw 32 bytes.
     *
     * @param raw the raw key
     * @return the JDK key
     * @throws IllegalArgumentException if {@code raw} is not a valid key
     */
    public static PublicKey agreementPublicKey(byte[] raw) {
        if (raw == null || raw.length != KEY_LENGTH) {
            // Checked here: publicKey() would otherwise fail with an ArrayIndexOutOfBoundsException.
            throw new IllegalArgumentException("agreement key: " + (raw == null ? "null" : raw.length + " bytes")
                    + " (expected: " + KEY_LENGTH + " bytes)");
        }
        try {
            return publicKey(raw, X25519_X509_PREFIX, "X25519");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("agreement key: not a valid X25519 key", e);
        }
    }

    private static PublicKey publicKey(byte[] raw, byte[] prefix, String algorithm) throws GeneralSecurityException {
        byte[] encoded = Arrays.copyOf(prefix, prefix.length + KEY_LENGTH);
        System.arraycopy(raw, 0, encoded, prefix.length, KEY_LENGTH);
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(encoded));
    }

    /**
     * A short fingerprint of a raw signing key for people to compare out of band: {@code ab12-cd34-ef56-7890}.
     *
     * @param signingKey a raw 32-byte Ed25519 public key
     * @return a short fingerprint of a raw signing key for people to compare out of band: {@code ab12-cd34-ef56-7890}
     */
    public static String fingerprint(byte[] signingKey) {
        String hex = Hashing.sha256().hashBytes(signingKey).toString().substring(0, 16);
        return hex.substring(0, 4) + "-" + hex.substring(4, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16);
    }

    /**
     * This identity's {@link #fingerprint(byte[])}.
     *
     * @return this identity's {@link #fingerprint(byte[])}
     */
    public String fingerprint() {
        return fingerprint(signingKey);
    }

    @Override
    public String toString() {
        return "Identity[" + id.shortId() + "]";
    }
}
