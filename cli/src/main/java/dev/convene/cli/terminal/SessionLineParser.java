package dev.convene.cli.terminal;

import dev.convene.cli.session.CommandRegistry;
import dev.convene.cli.session.SessionCommand;
import dev.convene.cli.session.ShellWords;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * How JLine reads the line being typed, for completion: the words of {@link ShellWords} (leniently, as
 * the line is not finished), so what Tab completes is what Enter runs. Free text (a chat message, the
 * text of {@code say CONF TEXT}) is split at blanks only, as it is never unquoted. Accepting a line never
 * fails here: the session checks it when it runs and says what is wrong, and JLine hands it over exactly
 * as typed.
 */
final class SessionLineParser implements Parser {
    private final CommandRegistry registry;
    private final BooleanSupplier chatting;

    /** @param chatting whether a conference is open in chat mode, where a line not starting with '/' is a message */
    SessionLineParser(CommandRegistry registry, BooleanSupplier chatting) {
        this.registry = registry;
        this.chatting = chatting;
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        List<ShellWords.Word> words = words(line);
        int index = -1;
        for (int i = 0; i < words.size(); i++) {
            ShellWords.Word w = words.get(i);
            if (w.start() <= cursor && cursor <= w.end()) {
                index = i;
                break;
            }
            if (w.start() > cursor) {
                words.add(i, new ShellWords.Word("", cursor, cursor));
                index = i;
                break;
            }
        }
        if (index < 0) {
            words.add(new ShellWords.Word("", cursor, cursor));
            index = words.size() - 1;
        }
        return new Line(line, cursor, words, index, freeText(line, words.get(index).start()));
    }

    /** The words as completion sees them: shell words up to where free text starts, blank-separated after it. */
    private List<ShellWords.Word> words(String line) {
        int text = freeText(line);
        List<ShellWords.Word> words = new ArrayList<>(ShellWords.words(line.substring(0, text), true));
        int i = text;
        while (i < line.length()) {
            if (Character.isWhitespace(line.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < line.length() && !Character.isWhitespace(line.charAt(i))) i++;
            words.add(new ShellWords.Word(line.substring(start, i), start, i));
        }
        return words;
    }

    private boolean freeText(String line, int at) {
        return at >= freeText(line);
    }

    /** Where the free text of {@code line} starts, or its length if it has none. */
    private int freeText(String line) {
        boolean chat = chatting.getAsBoolean();
        if (chat && TerminalInput.isMessage(line)) return 0;
        String command = chat ? line.substring(1) : line.startsWith("/") ? line.substring(1) : line;
        int offset = line.length() - command.length();
        List<ShellWords.Word> words = ShellWords.words(command, true);
        if (words.isEmpty()) return line.length();
        int before = registry.get(words.get(0).text()).map(SessionCommand::freeTextAfter).orElse(-1);
        if (before < 0) return line.length();
        if (chat && registry.get(words.get(0).text()).map(Interactive::takesOpenConference).orElse(false)) before--;
        // the text starts after the name and its words
        return words.size() > before + 1 ? offset + words.get(before + 1).start() : line.length();
    }

    /** A parsed line; completion inserts a candidate quoted as one word, or as it is in free text. */
    private record Line(String line, int cursor, List<ShellWords.Word> spans, int wordIndex, boolean text) implements CompletingParsedLine {
        @Override
        public String word() {
            return spans.get(wordIndex).text();
        }

        @Override
        public int wordCursor() {
            ShellWords.Word w = spans.get(wordIndex);
            if (text) return cursor - w.start();
            List<ShellWords.Word> typed = ShellWords.words(line.substring(w.start(), Math.min(cursor, w.end())), true);
            return typed.isEmpty() ? 0 : typed.get(0).text().length();
        }

        @Override
        public List<String> words() {
            return spans.stream().map(ShellWords.Word::text).toList();
        }

        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            return text ? candidate : ShellWords.quote(candidate.toString());
        }

        @Override
        public int rawWordCursor() {
            return cursor - spans.get(wordIndex).start();
        }

        @Override
        public int rawWordLength() {
            ShellWords.Word w = spans.get(wordIndex);
            return w.end() - w.start();
        }
    }
}
