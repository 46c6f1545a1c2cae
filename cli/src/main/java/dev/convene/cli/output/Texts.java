package dev.convene.cli.output;

import dev.convene.cli.CliException;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.UnsafeCharacterException;
import java.nio.charset.StandardCharsets;

/**
 * Checks of the texts people type into conference commands, done when a command is parsed so a script
 * fails before its peer starts: the limits are the conference's own.
 */
public final class Texts {
    /** Largest chat message, in UTF-8 bytes. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024;
    /** Longest decline reason, in characters (as the conference peer allows). */
    static final int MAX_REASON = 1000;

    private Texts() {
    }

    public static String title(String title) {
        String t = title.strip();
        if (t.isEmpty()) throw CliException.usage("the title is empty (expected: 1-" + ConferenceContext.MAX_TITLE + " characters)");
        if (t.length() > ConferenceContext.MAX_TITLE) {
            throw CliException.usage("the title has " + t.length() + " characters (expected: at most " + ConferenceContext.MAX_TITLE + ")");
        }
        if (t.chars().anyMatch(Character::isISOControl)) throw CliException.usage("the title has control characters (expected: one printable line)");
        try {
            UnsafeCharacterException.requireSafeLine("title", t);
        } catch (UnsafeCharacterException e) {
            throw CliException.usage("the title has " + described(e) + " (expected: one printable line)");
        }
        return t;
    }

    public static String agenda(String agenda) {
        String a = agenda.strip();
        if (a.length() > ConferenceContext.MAX_AGENDA) {
            throw CliException.usage("--agenda has " + a.length() + " characters (expected: at most " + ConferenceContext.MAX_AGENDA + ")");
        }
        try {
            UnsafeCharacterException.requireSafeText("agenda", a);
        } catch (UnsafeCharacterException e) {
            throw CliException.usage("--agenda has " + described(e) + " (expected: printable text, new lines and tabs)");
        }
        return a;
    }

    public static String message(String text) {
        if (text.isBlank()) throw CliException.usage("the message is empty; type some text");
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_MESSAGE_BYTES) {
            throw CliException.usage("the message is " + bytes + " bytes (expected: at most " + MAX_MESSAGE_BYTES
                    + " = 16 KiB in UTF-8); split it into several messages");
        }
        return text;
    }

    public static String reason(String reason) {
        String r = reason.strip();
        if (r.length() > MAX_REASON) throw CliException.usage("the reason has " + r.length() + " characters (expected: at most " + MAX_REASON + ")");
        try {
            UnsafeCharacterException.requireSafeLine("reason", r);
        } catch (UnsafeCharacterException e) {
            throw CliException.usage("the reason has " + described(e) + " (expected: one printable line)");
        }
        return r;
    }

    /** "an invisible character U+200B at position 5": the offending character shown by its code, never printed. */
    private static String described(UnsafeCharacterException e) {
        int cp = e.codePoint();
        String kind = Character.isISOControl(cp) ? "a control character"
                : cp == 0x2028 || cp == 0x2029 ? "a line or paragraph separator" : "an invisible character";
        return kind + " U+" + String.format(java.util.Locale.ROOT, "%04X", cp) + " at position " + (e.index() + 1);
    }
}
