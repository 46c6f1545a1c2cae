package dev.convene.overlay;

import com.google.common.hash.Hashing;
import com.google.common.io.BaseEncoding;
import java.util.Arrays;
import java.util.Objects;

/**
 * The identity of a peer: the first 20 bytes of the SHA-256 of its Ed25519 public signing key, printed
 * in lower-case base32 without padding (32 characters). People see {@link #shortId()}, the first 8.
 *
 * <p>Immutable and thread-safe. Display names are not unique; a {@code PeerId} is.
 *
 * @param value the 32-character base32 form
 */
public record PeerId(String value) implements Comparable<PeerId> {
    static final BaseEncoding BASE32 = BaseEncoding.base32().lowerCase().omitPadding();
    /** Length of the printed form. */
    public static final int LENGTH = 32;
    /** Length of {@link #shortId()}. */
    public static final int SHORT_LENGTH = 8;

    /**
     * Checks the printed form.
     *
     * @param value the printed form: {@value #LENGTH} base32 characters
     */
    public PeerId {
        Objects.requireNonNull(value, "value");
        if (value.length() != LENGTH || !BASE32.canDecode(value)) {
            throw new IllegalArgumentException(
                    "peer id: '" + value + "' (expected: " + LENGTH + " base32 characters a-z, 2-7)");
        }
    }

    /**
     * Derives the id of the peer whose raw 32-byte Ed25519 public key is {@code signingKey}.
     *
     * @param signingKey the raw key
     * @return the id
     */
    public static PeerId fromSigningKey(byte[] signingKey) {
        byte[] hash = Hashing.sha256().hashBytes(signingKey).asBytes();
        return new PeerId(BASE32.encode(Arrays.copyOf(hash, 20)));
    }

    /**
     * Parses a printed id; upper case is accepted.
     *
     * @param text the id as printed
     * @return the id
     */
    public static PeerId parse(String text) {
        return new PeerId(Objects.requireNonNull(text, "text").trim().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * True if {@code text} could be a prefix of some id (base32 characters only).
     *
     * @param text what the user typed
     * @return true if {@code text} could be a prefix of some id (base32 characters only)
     */
    public static boolean isIdPrefix(String text) {
        return !text.isEmpty() && text.length() <= LENGTH
                && text.toLowerCase(java.util.Locale.ROOT).chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'));
    }

    /**
     * The first {@value #SHORT_LENGTH} characters, for people.
     *
     * @return the first {@value #SHORT_LENGTH} characters, for people
     */
    public String shortId() {
        return value.substring(0, SHORT_LENGTH);
    }

    @Override
    public int compareTo(PeerId o) {
        return value.compareTo(o.value);
    }

    /**
     * Equal ids have equal printed forms: what the record's generated method compares, written out. Peer ids are the
     * keys of most maps on the message path, and in a profile of an author at 100 participants the generated method's
     * method-handle frames showed among the top frames (docs/BENCHMARKS.md, session 11).
     */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof PeerId p && value.equals(p.value);
    }

    /** The printed form's hash: the value the record's generated method gives for its one component. */
    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
