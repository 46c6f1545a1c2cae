package dev.convene.conference.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * File names offered in conferences: what is accepted ({@link #check}) and how a local name is made acceptable
 * ({@link #sanitise}). A name is one path element on every platform a peer may run on: it can never name a parent,
 * a root, a drive, a device or another directory, so {@code dir.resolve(name)} stays in {@code dir}. Stateless.
 */
public final class FileNames {
    /** The longest name, in bytes of UTF-8. */
    public static final int MAX_BYTES = 255;
    private static final String FORBIDDEN = "/\\:*?\"<>|";
    private static final Set<String> DEVICES = Set.of("CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$");

    private FileNames() {
    }

    /**
     * Checks a name.
     *
     * @param name the name
     * @return the name
     * @throws IllegalArgumentException if it is not safe as one path element (see {@link dev.convene.conference.FileOffer#name()})
     */
    public static String check(String name) {
        String why = problem(name);
        if (why != null) throw new IllegalArgumentException("file name: " + why);
        return name;
    }

    /**
     * Whether a name is safe.
     *
     * @param name the name
     * @return true if {@link #check} accepts it
     */
    public static boolean safe(String name) {
        return problem(name) == null;
    }

    /** What is wrong with a name, or null. */
    static String problem(String name) {
        if (name == null || name.isEmpty()) return "empty";
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) return "longer than " + MAX_BYTES + " bytes";
        if (name.equals(".") || name.equals("..")) return "a directory reference";
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (!allowed(cp)) return "a control, format, separator or reserved character (U+" + String.format("%04X", cp) + ")";
            i += Character.charCount(cp);
        }
        char first = name.charAt(0), last = name.charAt(name.length() - 1);
        if (first == ' ' || last == ' ' || last == '.') return "a leading or trailing space, or a trailing dot";
        if (device(name)) return "a device name";
        return null;
    }

    private static boolean allowed(int cp) {
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return false;
        if (FORBIDDEN.indexOf(cp) >= 0) return false;
        int type = Character.getType(cp);
        return type != Character.FORMAT && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
                && type != Character.SURROGATE && type != Character.UNASSIGNED && type != Character.PRIVATE_USE
                && type != Character.CONTROL;
    }

    /** Windows device names, with or without an extension, in any case: {@code CON}, {@code nul.txt}, {@code COM1}, {@code LPT9.log}. */
    private static boolean device(String name) {
        int dot = name.indexOf('.');
        String base = (dot < 0 ? name : name.substring(0, dot)).trim().toUpperCase(Locale.ROOT);
        if (DEVICES.contains(base)) return true;
        if (base.length() == 4 && (base.startsWith("COM") || base.startsWith("LPT"))) {
            char d = base.charAt(3);
            return (d >= '0' && d <= '9') || d == '\u00B9' || d == '\u00B2' || d == '\u00B3';
        }
        return false;
    }

    /**
     * Makes a local file's name acceptable: unsafe characters become {@code _}, leading and trailing spaces and
     * trailing dots go, a device name gets a {@code _} in front, an empty result becomes {@code file}, and a name
     * too long is cut at a character boundary (keeping its extension when it is short).
     *
     * @param name a name, such as a local file's
     * @return a name {@link #check} accepts
     */
    public static String sanitise(String name) {
        StringBuilder b = new StringBuilder();
        if (name != null) {
            for (int i = 0; i < name.length(); ) {
                int cp = name.codePointAt(i);
                if (allowed(cp)) b.appendCodePoint(cp);
                else b.append('_');
                i += Character.charCount(cp);
            }
        }
        String s = strip(b.toString());
        if (s.isEmpty() || s.equals(".") || s.equals("..")) s = "file";
        if (device(s)) s = "_" + s;
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            int dot = s.lastIndexOf('.');
            String ext = dot > 0 && s.length() - dot <= 16 ? s.substring(dot) : "";
            String base = s.substring(0, s.length() - ext.length());
            while ((base + ext).getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                base = base.substring(0, base.offsetByCodePoints(base.length(), -1));
            }
            s = strip(base + ext);
            if (s.isEmpty()) s = "file";
        }
        return check(s);
    }

    private static String strip(String s) {
        int from = 0, to = s.length();
        while (from < to && s.charAt(from) == ' ') from++;
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '.')) to--;
        return s.substring(from, to);
    }

    /**
     * {@code name} with {@code " (n)"} before its extension: {@code report (2).pdf}; still safe and within bounds.
     *
     * @param name a safe name
     * @param n the number
     * @return the numbered name
     */
    public static String numbered(String name, int n) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String suffix = " (" + n + ")";
        while ((base + suffix + ext).getBytes(StandardCharsets.UTF_8).length > MAX_BYTES && !base.isEmpty()) {
            base = base.substring(0, base.offsetByCodePoints(base.length(), -1));
        }
        return sanitise(base + suffix + ext);
    }
}
