package dev.convene.conference;

import com.google.common.io.BaseEncoding;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;

/**
 * A conference's id: 128 bits in lower-case base32 (26 characters). People see {@link #shortId()}.
 *
 * <p>An id made by {@link #derive} is bound to its organiser: 32 random bits (a nonce) followed by the first 96
 * bits of SHA-256 over the organiser's signing key, the creation time and the nonce. {@link #isBoundTo} checks
 * it, so a context signed by anyone else cannot carry the id (that would take a second preimage of 96 bits).
 * {@link #random()} ids bind to nothing; peers refuse contexts with them.
 *
 * @param value the 26-character form
 */
public record ConferenceId(String value) implements Comparable<ConferenceId> {
    private static final BaseEncoding BASE32 = BaseEncoding.base32().lowerCase().omitPadding();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Length of the printed form. */
    public static final int LENGTH = 26;

    /**
     * Checks the printed form.
     *
     * @param value the 26-character form
     * @throws IllegalArgumentException if it is not {@value #LENGTH} base32 characters
     */
    public ConferenceId {
        Objects.requireNonNull(value, "value");
        if (value.length() != LENGTH || !BASE32.canDecode(value)) {
            throw new IllegalArgumentException("conference id: '" + value + "' (expected: " + LENGTH + " base32 characters)");
        }
    }

    private static final int NONCE = 4;
    private static final byte[] DOMAIN = "convene/conference-id/v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * A new id bound to an organiser's signing key and a creation time, with a fresh random nonce.
     *
     * @param organiserKey the organiser's Ed25519 public key (raw, 32 bytes)
     * @param createdAt the conference's creation time, as in its context
     * @return the new id
     */
    public static ConferenceId derive(byte[] organiserKey, java.time.Instant createdAt) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        byte[] id = new byte[16];
        System.arraycopy(nonce, 0, id, 0, NONCE);
        System.arraycopy(binding(organiserKey, createdAt, nonce), 0, id, NONCE, 16 - NONCE);
        return new ConferenceId(BASE32.encode(id));
    }

    /**
     * Whether this id was derived from {@code organiserKey} and {@code createdAt} (see the class comment).
     *
     * @param organiserKey the organiser's Ed25519 public key (raw, 32 bytes)
     * @param createdAt the creation time the context states
     * @return true when the id binds them
     */
    public boolean isBoundTo(byte[] organiserKey, java.time.Instant createdAt) {
        byte[] id = BASE32.decode(value);
        byte[] nonce = java.util.Arrays.copyOf(id, NONCE);
        byte[] expected = java.util.Arrays.copyOf(binding(organiserKey, createdAt, nonce), 16 - NONCE);
        return java.security.MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(id, NONCE, 16));
    }

    private static byte[] binding(byte[] organiserKey, java.time.Instant createdAt, byte[] nonce) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(DOMAIN);
            sha.update(organiserKey);
            sha.update(java.nio.ByteBuffer.allocate(12).putLong(createdAt.getEpochSecond()).putInt(createdAt.getNano()).array());
            sha.update(nonce);
            return sha.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * A new random id, bound to no organiser (for tests and lookups).
     *
     * @return the id
     */
    public static ConferenceId random() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return new ConferenceId(BASE32.encode(b));
    }

    /**
     * Parses a printed id (any case).
     *
     * @param text the id as printed
     * @return the id
     * @throws IllegalArgumentException if it is not an id
     */
    public static ConferenceId parse(String text) {
        return new ConferenceId(text.strip().toLowerCase(Locale.ROOT));
    }

    /**
     * The first 8 characters.
     *
     * @return the first 8 characters
     */
    public String shortId() {
        return value.substring(0, 8);
    }

    @Override
    public int compareTo(ConferenceId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
