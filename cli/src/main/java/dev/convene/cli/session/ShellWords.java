package dev.convene.cli.session;

import dev.convene.cli.CliException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one splitter of session command lines, used to run them and to complete them. Words split the way a
 * POSIX shell splits them, without expansions: blanks separate words; {@code "…"} and {@code '…'} group
 * words; a backslash outside quotes takes the next character literally; inside double quotes it escapes
 * only {@code "} and {@code \}; nothing is special inside single quotes; {@code #} at the start of a word
 * begins a comment. Text is any Unicode.
 *
 * <p>A command whose last argument is free text ({@code say CONF TEXT}) takes the words before the text
 * and then the <em>raw rest of the line</em> ({@link #head}): apostrophes, quotes, backslashes, runs of
 * blanks, {@code --words} and {@code #} in it are kept exactly as typed.
 */
public final class ShellWords {
    private ShellWords() {
    }

    /** A word and where it is in the line: {@code start} inclusive, {@code end} exclusive, in chars. */
    public record Word(String text, int start, int end) {
        public Word {
            if (text == null || start < 0 || end < start) throw new IllegalArgumentException("bad word span " + start + ".." + end);
        }
    }

    /**
     * The first words of a line and the raw rest after them.
     *
     * @param words at most the number asked for; fewer if the line (or a comment) ends first
     * @param rest what follows them, from its first non-blank character to the end of the line, exactly as
     *     typed; null if nothing (or only blanks) follows
     * @param restAt where {@code rest} starts in the line (its length if there is no rest)
     */
    public record Head(List<String> words, String rest, int restAt) {
        public Head {
            words = List.copyOf(words);
        }
    }

    /**
     * The words of {@code line}; empty for a blank or comment line.
     *
     * @throws CliException a usage error for an unclosed quote or a trailing backslash, with its column
     */
    public static List<String> split(String line) {
        return split(line, 0);
    }

    /** The words of {@code line} from index {@code from} on; errors give columns of the whole line. */
    public static List<String> split(String line, int from) {
        return words(line, from, false).stream().map(Word::text).toList();
    }

    /**
     * The first {@code count} words of {@code line}, and the raw rest of the line after them. The rest is
     * never split, unquoted or cut at a {@code #}.
     *
     * @throws CliException a usage error for an unclosed quote or a trailing backslash in those words
     */
    public static Head head(String line, int count) {
        return head(line, 0, count);
    }

    /** {@link #head(String, int)} of the line from index {@code from} on. */
    public static Head head(String line, int from, int count) {
        List<String> words = new ArrayList<>();
        int i = from;
        StringBuilder word = new StringBuilder();
        while (true) {
            i = skipBlanks(line, i);
            if (i >= line.length()) return new Head(words, null, line.length());
            if (words.size() == count) return new Head(words, line.substring(i), i);
            if (line.charAt(i) == '#') return new Head(words, null, line.length());
            word.setLength(0);
            i = word(line, i, word, false);
            words.add(word.toString());
        }
    }

    /**
     * The words of {@code line} with their places in it. Leniently ({@code lenient}, for completing a line
     * being typed) an unclosed quote runs to the end of the line, a trailing backslash is kept, and
     * {@code #} is text; strictly, those are errors and a comment ends the line.
     */
    public static List<Word> words(String line, boolean lenient) {
        return words(line, 0, lenient);
    }

    private static List<Word> words(String line, int from, boolean lenient) {
        List<Word> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int i = from;
        while (true) {
            i = skipBlanks(line, i);
            if (i >= line.length() || (!lenient && line.charAt(i) == '#')) return words;
            word.setLength(0);
            int end = word(line, i, word, lenient);
            words.add(new Word(word.toString(), i, end));
            i = end;
        }
    }

    private static int skipBlanks(String line, int i) {
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) i++;
        return i;
    }

    /** Appends the word starting at {@code i} (not a blank) to {@code word}; returns the index after it. */
    private static int word(String line, int i, StringBuilder word, boolean lenient) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                return i;
            } else if (c == '\'') {
                int close = line.indexOf('\'', i + 1);
                if (close < 0) {
                    if (!lenient) throw unclosed("single", i);
                    word.append(line, i + 1, line.length());
                    return line.length();
                }
                word.append(line, i + 1, close);
                i = close + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i, word, lenient);
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    if (lenient) return line.length();
                    throw CliException.usage("the line ends with a backslash (column " + (i + 1) + "); remove it or write \\\\ for a backslash");
                }
                word.append(line.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        return i;
    }

    /** Appends the contents of the double-quoted string opening at {@code open}; returns the index after it. */
    private static int doubleQuoted(String line, int open, StringBuilder word, boolean lenient) {
        int i = open + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') return i + 1;
            if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                word.append(line.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        if (lenient) return i;
        throw unclosed("double", open);
    }

    /**
     * {@code text} as one word of a command line: as it is where it reads back the same, single-quoted
     * otherwise. What completion inserts.
     */
    public static String quote(String text) {
        boolean plain = !text.isEmpty() && !text.startsWith("#")
                && text.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"' || c == '\\');
        return plain ? text : "'" + text.replace("'", "'\\''") + "'";
    }

    private static CliException unclosed(String kind, int at) {
        String quote = kind.equals("single") ? "'" : "\"";
        return CliException.usage("unclosed " + kind + " quote at column " + (at + 1) + "; close it with " + quote);
    }
}
