package dev.convene.conference;

import java.util.Locale;

/**
 * A title, agenda or reason holds a character that could hide or disguise what a reader sees: a control
 * character, an invisible (format) character such as U+200B ZERO WIDTH SPACE or U+202E RIGHT-TO-LEFT
 * OVERRIDE, a line or paragraph separator (U+2028, U+2029), a lone surrogate, or a blank filler letter
 * (U+115F, U+1160, U+3164, U+FFA0). Thrown by {@link ConferenceContext}'s constructor on create and on
 * decode (where it becomes a refused frame). Carries the field, the code point and its index.
 */
public final class UnsafeCharacterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** @serial the field. */
    private final String field;
    /** @serial the offending code point. */
    private final int codePoint;
    /** @serial its index in chars. */
    private final int index;

    /**
     * An unsafe character found.
     *
     * @param field the field: {@code title}, {@code agenda} or {@code reason}
     * @param codePoint the offending code point
     * @param index its index (in chars) in the field's text
     */
    public UnsafeCharacterException(String field, int codePoint, int index) {
        super(field + ": U+" + String.format(Locale.ROOT, "%04X", codePoint) + " " + nameOf(codePoint) + " at index " + index
                + " (expected: visible characters" + ("agenda".equals(field) ? ", new lines and tabs)" : " on one line)"));
        this.field = field;
        this.codePoint = codePoint;
        this.index = index;
    }

    /**
     * The field.
     *
     * @return {@code title}, {@code agenda} or {@code reason}
     */
    public String field() {
        return field;
    }

    /**
     * The offending code point.
     *
     * @return the code point
     */
    public int codePoint() {
        return codePoint;
    }

    /**
     * Where it stands.
     *
     * @return its index (in chars) in the field's text
     */
    public int index() {
        return index;
    }

    /**
     * Refuses any unsafe character in one line of text.
     *
     * @param field the field's name, carried by the exception
     * @param text the text to check
     * @throws UnsafeCharacterException at the first unsafe character
     */
    public static void requireSafeLine(String field, String text) {
        check(field, text, false);
    }

    /**
     * Refuses any unsafe character in text of several lines: {@code \n} and {@code \t} are allowed.
     *
     * @param field the field's name, carried by the exception
     * @param text the text to check
     * @throws UnsafeCharacterException at the first unsafe character
     */
    public static void requireSafeText(String field, String text) {
        check(field, text, true);
    }

    private static void check(String field, String text, boolean multiline) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (!(multiline && (cp == '\n' || cp == '\t')) && unsafe(cp)) throw new UnsafeCharacterException(field, cp, i);
            i += Character.charCount(cp);
        }
    }

    static boolean unsafe(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE -> true;
            default -> cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0;
        };
    }

    private static String nameOf(int cp) {
        String n = Character.getName(cp);
        return n == null ? "(unnamed)" : n;
    }
}
