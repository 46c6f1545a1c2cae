package dev.convene.cli.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.cli.CliException;
import org.junit.jupiter.api.Test;

class ShellWordsTest {
    @Test
    void blanksSeparateWords() {
        assertThat(ShellWords.split("  wait\tpeers   2 ")).containsExactly("wait", "peers", "2");
    }

    @Test
    void blankAndCommentLinesHaveNoWords() {
        assertThat(ShellWords.split("")).isEmpty();
        assertThat(ShellWords.split("   ")).isEmpty();
        assertThat(ShellWords.split("# wait peers 2")).isEmpty();
        assertThat(ShellWords.split("   # indented comment")).isEmpty();
    }

    @Test
    void hashStartsACommentOnlyAtTheStartOfAWord() {
        assertThat(ShellWords.split("say c1 issue#4 # the rest")).containsExactly("say", "c1", "issue#4");
        assertThat(ShellWords.split("say c1 \"#1 fan\"")).containsExactly("say", "c1", "#1 fan");
    }

    @Test
    void quotesGroupWordsAndJoinAdjacentParts() {
        assertThat(ShellWords.split("create \"Design review\" --agenda 'a \"quoted\" plan'"))
                .containsExactly("create", "Design review", "--agenda", "a \"quoted\" plan");
        assertThat(ShellWords.split("a\"b c\"'d e'f")).containsExactly("ab cd ef");
        assertThat(ShellWords.split("say \"\" ''")).containsExactly("say", "", "");
    }

    @Test
    void backslashEscapesLikeAShell() {
        assertThat(ShellWords.split("say hello\\ world \\\"x\\\"")).containsExactly("say", "hello world", "\"x\"");
        assertThat(ShellWords.split("say \"a \\\"b\\\" \\\\ \\n\"")).containsExactly("say", "a \"b\" \\ \\n");
        assertThat(ShellWords.split("say 'no \\escapes here'")).containsExactly("say", "no \\escapes here");
    }

    @Test
    void anyUnicodeIsText() {
        assertThat(ShellWords.split("say Zoë \"日本語 の 会議\" 🎉 'emoji 👩‍💻'"))
                .containsExactly("say", "Zoë", "日本語 の 会議", "🎉", "emoji 👩‍💻");
        // A non-breaking space is part of a word, not a separator.
        assertThat(ShellWords.split("a\u00A0b c")).containsExactly("a\u00A0b", "c");
    }

    @Test
    void unclosedQuotesAndTrailingBackslashSayWhereAndWhatToDo() {
        assertThatThrownBy(() -> ShellWords.split("say \"hello"))
                .isInstanceOf(CliException.class).hasMessage("unclosed double quote at column 5; close it with \"");
        assertThatThrownBy(() -> ShellWords.split("say 'hello"))
                .hasMessage("unclosed single quote at column 5; close it with '");
        assertThatThrownBy(() -> ShellWords.split("say hello\\"))
                .hasMessageStartingWith("the line ends with a backslash (column 10)");
        assertThat(((CliException) catchUsage("say \"x")).isUsage()).isTrue();
    }

    @Test
    void headTakesWordsThenTheRawRestOfTheLine() {
        ShellWords.Head h = ShellWords.head("say  'Design review'   it's \"5\"  o'clock # \\ --verbose ", 2);
        assertThat(h.words()).containsExactly("say", "Design review");
        assertThat(h.rest()).isEqualTo("it's \"5\"  o'clock # \\ --verbose ");
        assertThat(ShellWords.head("say c1 -- #general", 2).rest()).isEqualTo("-- #general");
        assertThat(ShellWords.head("say c1   ", 2).rest()).isNull();
        assertThat(ShellWords.head("say # c1 text", 2).words()).containsExactly("say");
        assertThatThrownBy(() -> ShellWords.head("say 'c1 text", 2)).hasMessage("unclosed single quote at column 5; close it with '");
    }

    @Test
    void quoteMakesAnyTextOneWord() {
        for (String text : new String[] {"plain", "Design review", "it's", "a \"b\" \\ c", "#1", "", "👩‍💻 x"}) {
            assertThat(ShellWords.split("open " + ShellWords.quote(text))).as(text).containsExactly("open", text);
        }
        assertThat(ShellWords.quote("bob")).isEqualTo("bob");
    }

    private static Throwable catchUsage(String line) {
        try {
            ShellWords.split(line);
            throw new AssertionError("no error for " + line);
        } catch (CliException e) {
            return e;
        }
    }
}
