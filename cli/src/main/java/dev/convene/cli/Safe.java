package dev.convene.cli;

/**
 * Text written by other peers (titles, agendas, reasons, chat, names), made safe to print on a terminal:
 * control characters, terminal escape sequences included, are shown visibly instead of being obeyed
 * ({@code ESC} becomes {@code ^[}), and so are the invisible bidirectional-text controls that could make a
 * line read differently from what it says. Only the human output uses it; JSON keeps the text exact (Jackson
 * escapes it).
 */
final class Safe {
    private Safe() {
    }

    /** One line: a newline is shown as {@code ^J}, so the text can never forge a line of its own. */
    static String line(String text) {
        return clean(text, null);
    }

    /**
     * Text that may span lines (chat): each line break starts a new line indented by {@code indent}, so a
     * message can never pose as output of its own (an event, a prompt).
     */
    static String text(String text, String indent) {
        return clean(text, indent);
    }

    private static String clean(String text, String indent) {
        if (text == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = replacement(c, indent);
            if (replacement == null) {
                if (b != null) b.append(c);
                continue;
            }
            if (b == null) b = new StringBuilder(text.length() + 8).append(text, 0, i);
            b.append(replacement);
        }
        return b == null ? text : b.toString();
    }

    /** What to print instead of {@code c}, or null to print it as it is. */
    private static String replacement(char c, String indent) {
        if (c == '\n' && indent != null) return "\n" + indent;
        if (c == '\t') return " ";
        if (c < 0x20) return "^" + (char) (c + 64);
        if (c == 0x7f) return "^?";
        if (Character.isISOControl(c) || isBidiControl(c)) return String.format("\\u%04x", (int) c);
        return null;
    }

    private static boolean isBidiControl(char c) {
        return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }
}
