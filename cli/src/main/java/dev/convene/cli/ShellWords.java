package dev.convene.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words the way a POSIX shell does, without expansions: blanks separate words;
 * {@code "…"} and {@code '…'} group words; a backslash outside quotes takes the next character literally;
 * inside double quotes it escapes only {@code "} and {@code \}; nothing is special inside single quotes;
 * {@code #} at the start of a word begins a comment. Text is any Unicode.
 */
final class ShellWords {
    private ShellWords() {
    }

    /**
     * The words of {@code line}; empty for a blank or comment line.
     *
     * @throws CliException a usage error for an unclosed quote or a trailing backslash, with its column
     */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
                i++;
            } else if (c == '#' && !inWord) {
                break;
            } else if (c == '\'') {
                int close = line.indexOf('\'', i + 1);
                if (close < 0) throw unclosed("single", i);
                word.append(line, i + 1, close);
                inWord = true;
                i = close + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw CliException.usage("the line ends with a backslash (column " + (i + 1) + "); remove it or write \\\\ for a backslash");
                }
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) words.add(word.toString());
        return words;
    }

    /** Appends the contents of the double-quoted string opening at {@code open}; returns the index after it. */
    private static int doubleQuoted(String line, int open, StringBuilder word) {
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
        throw unclosed("double", open);
    }

    private static CliException unclosed(String kind, int at) {
        String quote = kind.equals("single") ? "'" : "\"";
        return CliException.usage("unclosed " + kind + " quote at column " + (at + 1) + "; close it with " + quote);
    }
}
