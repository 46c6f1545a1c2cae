package dev.convene.conference;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A reaction to a message, or its withdrawal: the value of {@link BuiltInEvents#REACTION} events
 * ({@link ConferencePeer#react}, {@link ConferencePeer#unreact}).
 *
 * @param to the message reacted to (it may be unknown here: not arrived yet, or never shown)
 * @param emoji a short emoji or grapheme: 1 to {@value #MAX_EMOJI_BYTES} bytes in UTF-8, at most
 *              {@value #MAX_EMOJI_CODE_POINTS} code points, no whitespace, control, format (except the zero width
 *              joiner of emoji sequences), private use, unassigned or lone surrogate characters
 * @param added true to add the reaction, false to withdraw it
 */
public record Reaction(MessageId to, String emoji, boolean added) {
    /** The most bytes of an emoji in UTF-8. */
    public static final int MAX_EMOJI_BYTES = 32;
    /** The most code points of an emoji. */
    public static final int MAX_EMOJI_CODE_POINTS = 8;

    /**
     * Validates.
     *
     * @param to the message reacted to
     * @param emoji the emoji
     * @param added add or withdraw
     * @throws InvalidInputException if the emoji is out of bounds or has a character it may not have
     * @throws NullPointerException if a part is null
     */
    public Reaction {
        Objects.requireNonNull(to, "to");
        checkEmoji(emoji);
    }

    /**
     * Checks an emoji as {@link #emoji()} describes.
     *
     * @param emoji the emoji
     * @throws InvalidInputException if it is out of bounds or has a character it may not have
     * @throws NullPointerException if it is null
     */
    public static void checkEmoji(String emoji) {
        Objects.requireNonNull(emoji, "emoji");
        int bytes = emoji.getBytes(StandardCharsets.UTF_8).length;
        int points = emoji.codePointCount(0, emoji.length());
        if (bytes < 1 || bytes > MAX_EMOJI_BYTES || points > MAX_EMOJI_CODE_POINTS) {
            throw new InvalidInputException(InvalidInputException.EMOJI, bytes + " bytes, " + points + " code points",
                    "1-" + MAX_EMOJI_BYTES + " bytes, at most " + MAX_EMOJI_CODE_POINTS + " code points");
        }
        for (int i = 0; i < emoji.length(); ) {
            int cp = emoji.codePointAt(i);
            if (!allowed(cp)) {
                throw new InvalidInputException(InvalidInputException.EMOJI, "a character of type " + Character.getType(cp) + " at index " + i,
                        "no whitespace, control, format, private use, unassigned or surrogate characters");
            }
            i += Character.charCount(cp);
        }
    }

    private static boolean allowed(int cp) {
        if (cp == 0x200D) return true; // zero width joiner, inside emoji sequences
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) return false;
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }
}
