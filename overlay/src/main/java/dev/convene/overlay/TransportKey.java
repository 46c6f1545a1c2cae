package dev.convene.overlay;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A secret shared by every peer of one group that turns on JGroups' transport encryption
 * ({@code SYM_ENCRYPT}, AES-256) beneath Convene's own protection; see
 * {@link OverlayConfig.Builder#transportKey(TransportKey)}. Peers without the same key cannot join the group
 * or read what its members send one another.
 *
 * <p>This is defence in depth, not the guarantee: every frame is signed (Ed25519) and conference content is
 * encrypted end to end (AES-GCM) whether or not this is on. JGroups leaves discovery and message headers in
 * clear and does not authenticate what it decrypts, so the key keeps out strangers and eavesdroppers on the
 * network, not members. It is the same for everyone who holds it: share it only with the group, over a
 * channel you trust, and replace it (all peers at once) when someone leaves the group for good.
 *
 * <p>Immutable and thread-safe; {@link #toString()} shows only the {@link #fingerprint()}.
 */
public final class TransportKey {
    /** Key length in bytes: AES-256. */
    public static final int LENGTH = 32;
    /** Shortest passphrase accepted, in characters. */
    public static final int MIN_PASSPHRASE = 12;
    /** PBKDF2-HMAC-SHA256 iterations for a passphrase (OWASP's 2023 figure). */
    static final int ITERATIONS = 600_000;
    private static final byte[] SALT = "convene transport key v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FINGERPRINT_LABEL = "convene transport key fingerprint|".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private TransportKey(byte[] key) {
        this.key = key;
    }

    /**
     * A fresh random key; save {@link #toBytes()} and hand it to the other peers.
     *
     * @return a fresh random key; save {@link #toBytes()} and hand it to the other peers
     */
    public static TransportKey generate() {
        byte[] k = new byte[LENGTH];
        RANDOM.nextBytes(k);
        return new TransportKey(k);
    }

    /**
     * A key from its {@value #LENGTH} raw bytes (a key file's content, say).
     *
     * @param key the raw key
     * @return the key
     * @throws IllegalArgumentException if {@code key} is not {@value #LENGTH} bytes
     */
    public static TransportKey of(byte[] key) {
        if (key == null || key.length != LENGTH) {
            throw new IllegalArgumentException("transport key: " + (key == null ? "null" : key.length + " bytes")
                    + " (expected: " + LENGTH + " bytes)");
        }
        return new TransportKey(key.clone());
    }

    /**
     * The key derived from a passphrase that every peer of the group is given (PBKDF2-HMAC-SHA256,
     * {@value #ITERATIONS} iterations, a fixed salt: the same passphrase gives the same key everywhere). Takes
     * a noticeable fraction of a second on purpose. A passphrase that can be guessed gives a key that can be
     * found: use several random words.
     *
     * @param passphrase the passphrase
     * @return the key
     * @throws IllegalArgumentException if it is shorter than {@value #MIN_PASSPHRASE} characters
     */
    public static TransportKey fromPassphrase(String passphrase) {
        if (passphrase == null || passphrase.strip().length() < MIN_PASSPHRASE) {
            throw new IllegalArgumentException("transport passphrase: " + (passphrase == null ? 0 : passphrase.strip().length())
                    + " characters (expected: >= " + MIN_PASSPHRASE + "; use several random words)");
        }
        char[] chars = passphrase.strip().toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, SALT, ITERATIONS, LENGTH * 8);
        try {
            return new TransportKey(SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * The raw key (a copy), to store in a key file readable by its owner only.
     *
     * @return the raw key (a copy), to store in a key file readable by its owner only
     */
    public byte[] toBytes() {
        return key.clone();
    }

    /**
     * The key as the JDK's AES key, for the transport.
     *
     * @return the key as the JDK's AES key, for the transport
     */
    public SecretKey secretKey() {
        return new SecretKeySpec(key, "AES");
    }

    /**
     * A short fingerprint, {@code ab12-cd34-ef56-7890}, for checking out of band that two peers hold the same
     * key. It is a hash of the key under its own label and does not reveal it.
     *
     * @return the fingerprint
     */
    public String fingerprint() {
        String hex = Hashing.sha256().newHasher().putBytes(FINGERPRINT_LABEL).putBytes(key).hash().toString().substring(0, 16);
        return hex.substring(0, 4) + "-" + hex.substring(4, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportKey t && MessageDigest.isEqual(key, t.key);
    }

    @Override
    public int hashCode() {
        return fingerprint().hashCode();
    }

    @Override
    public String toString() {
        return "TransportKey[" + fingerprint() + "]";
    }
}
