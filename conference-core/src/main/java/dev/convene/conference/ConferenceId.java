package dev.convene.conference;

import com.google.common.io.BaseEncoding;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;

/**
 * A conference's id: 128 random bits in lower-case base32 (26 characters). People see {@link #shortId()}.
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

    /**
     * A new random id.
     *
     * @return a new random id
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
