package dev.convene.cli.terminal;

/**
 * Text written by other peers (titles, agendas, reasons, chat, names), made safe to print on a terminal:
 * control characters, terminal escape sequences included, are shown visibly instead of being obeyed
 * ({@code ESC} becomes {@code ^[}), and so are the invisible bidirectional-text controls that could make a
 * line read differently from what it says. Only the human output uses it; JSON keeps the text exact (Jackson
 * escapes it).
 */
public final class Safe {
    private Safe() {
    }

    /** One line: a newline is shown as {@code ^J}, so the text can never forge a line of its own. */
    public static String line(String text) {
        return clean(text, null);
    }

    /**
     * Text that may span lines (chat): each line break starts a new line indented by {@code indent}, so a
     * message can never pose as output of its own (an event, a prompt).
     */
    public static String text(String text, String indent) {
        return clean(text, indent);
    }

    private static String clean(String text, String indent) {
        if (text == null) return "";
        StringBuilder b = null;
        int previous = -1;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c) < text.length() ? text.codePointAt(i + Character.charCount(c)) : -1;
            String replacement = replacement(c, previous, next, indent);
            if (replacement != null && b == null) b = new StringBuilder(text.length() + 8).append(text, 0, i);
            if (b != null) {
                if (replacement == null) b.appendCodePoint(c);
                else b.append(replacement);
            }
            previous = c;
            i += Character.charCount(c);
        }
        return b == null ? text : b.toString();
    }

    /** What to print instead of {@code c} (between {@code previous} and {@code next}, -1 at the ends), or null to print it as it is. */
    private static String replacement(int c, int previous, int next, String indent) {
        if (c == '\n' && indent != null) return "\n" + indent;
        if (c == '\t') return " ";
        if (c < 0x20) return "^" + (char) (c + 64);
        if (c == 0x7f) return "^?";
        if (Character.isISOControl(c) || invisible(c, previous, next)) {
            return c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c);
        }
        return null;
    }

    /**
     * Characters that print as nothing or move text: bidirectional controls, zero-width characters and the
     * other format characters (Unicode Cf), line and paragraph separators, Hangul fillers. A zero-width
     * joiner inside an emoji sequence (👩‍💻) and the tags of a subdivision flag are kept, as they only join
     * what is visible.
     */
    private static boolean invisible(int c, int previous, int next) {
        int type = Character.getType(c);
        if (c == 0x200d) return !(isPictographic(previous) && isPictographic(next));
        if (c >= 0xe0020 && c <= 0xe007f) return !(previous == 0x1f3f4 || (previous >= 0xe0020 && previous <= 0xe007f));
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || c == 0x115f || c == 0x1160 || c == 0x3164 || c == 0xffa0 || c == 0x034f || c == 0x180e;
    }

    /** An emoji-like character (or its variation selector / skin tone) that a zero-width joiner may join. */
    private static boolean isPictographic(int c) {
        return c >= 0x1f000 || (c >= 0x2300 && c <= 0x2bff) || c == 0xfe0f || (c >= 0x1f3fb && c <= 0x1f3ff);
    }
}
