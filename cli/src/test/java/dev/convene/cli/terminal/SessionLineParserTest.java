package dev.convene.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.cli.session.CommandRegistry;
import dev.convene.cli.session.ShellWords;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser.ParseContext;
import org.junit.jupiter.api.Test;

/** Completion reads a line with the splitter that runs it; accepting a line never rejects or changes it. */
class SessionLineParserTest {
    private final AtomicBoolean chatting = new AtomicBoolean();
    private final SessionLineParser parser = new SessionLineParser(CommandRegistry.standard(), chatting::get);

    private ParsedLine complete(String line) {
        return parser.parse(line, line.length(), ParseContext.COMPLETE);
    }

    @Test
    void wordsAreTheShellWordsTheSessionRuns() {
        ParsedLine p = complete("invite 'Design review' bo");
        assertThat(p.words()).containsExactly("invite", "Design review", "bo");
        assertThat(p.wordIndex()).isEqualTo(2);
        assertThat(p.word()).isEqualTo("bo");
        assertThat(p.wordCursor()).isEqualTo(2);
    }

    @Test
    void anUnfinishedQuoteIsTheWordBeingTyped() {
        ParsedLine p = complete("open 'Design re");
        assertThat(p.words()).containsExactly("open", "Design re");
        assertThat(p.word()).isEqualTo("Design re");
        assertThat(p.wordCursor()).isEqualTo("Design re".length());
        CompletingParsedLine c = (CompletingParsedLine) p;
        assertThat(c.rawWordCursor()).isEqualTo("'Design re".length());
        assertThat(c.escape("Design review", true).toString()).isEqualTo("'Design review'");
        assertThat(c.escape("it's", true).toString()).isEqualTo("'it'\\''s'");
        assertThat(ShellWords.split("open " + c.escape("it's", true))).containsExactly("open", "it's");
    }

    @Test
    void aBlankAfterTheLastWordStartsANewOne() {
        ParsedLine p = complete("invite k3j2 ");
        assertThat(p.words()).containsExactly("invite", "k3j2", "");
        assertThat(p.wordIndex()).isEqualTo(2);
    }

    @Test
    void freeTextSplitsAtBlanksOnlyAndIsInsertedAsItIs() {
        ParsedLine p = complete("say k3j2 don't \"x ask bo");
        assertThat(p.words()).containsExactly("say", "k3j2", "don't", "\"x", "ask", "bo");
        assertThat(((CompletingParsedLine) p).escape("bob smith", true).toString()).isEqualTo("bob smith");
        chatting.set(true);
        assertThat(complete("it's 'you', bo").words()).containsExactly("it's", "'you',", "bo");
        assertThat(complete("/say it's").words()).containsExactly("/say", "it's");
        assertThat(complete("/invite 'bo").words()).containsExactly("/invite", "bo");
    }

    @Test
    void acceptingALineNeverFails() {
        for (String line : new String[] {"say k3j2 'unclosed", "peers \"", "trailing \\", "# comment"}) {
            assertThat(parser.parse(line, line.length(), ParseContext.ACCEPT_LINE).line()).isEqualTo(line);
        }
    }

    @Test
    void chatLinesAndSayAreNotKeptInTheHistoryFile() {
        assertThat(TerminalInput.keptInHistory("peers", false)).isTrue();
        assertThat(TerminalInput.keptInHistory("open 'Design review'", false)).isTrue();
        assertThat(TerminalInput.keptInHistory("say k3j2 the plan", false)).isFalse();
        assertThat(TerminalInput.keptInHistory("  say k3j2 it's", false)).isFalse();
        assertThat(TerminalInput.keptInHistory("the plan is secret", true)).isFalse();
        assertThat(TerminalInput.keptInHistory("//slash text", true)).isFalse();
        assertThat(TerminalInput.keptInHistory("/say the plan", true)).isFalse();
        assertThat(TerminalInput.keptInHistory("/history", true)).isTrue();
        assertThat(TerminalInput.keptInHistory("dm bob the plan", false)).isFalse();
    }
}
