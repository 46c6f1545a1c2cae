package dev.convene.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What other peers wrote cannot drive the terminal or forge output lines. */
class SafeTest {
    @Test
    void terminalEscapesAreShownNotObeyed() {
        assertThat(Safe.line("\u001b[2J\u001b]0;pwned\u0007title")).isEqualTo("^[[2J^[]0;pwned^Gtitle");
        assertThat(Safe.line("a\u009bb\u007fc")).isEqualTo("a\\u009bb^?c");
    }

    @Test
    void aLineCannotBreakAndTextLinesAreIndented() {
        assertThat(Safe.line("one\ntwo\rthree")).isEqualTo("one^Jtwo^Mthree");
        assertThat(Safe.text("one\n+ mallory joined", "    ")).isEqualTo("one\n    + mallory joined");
        assertThat(Safe.line("tab\there")).isEqualTo("tab here");
    }

    @Test
    void bidirectionalOverridesAreVisible() {
        assertThat(Safe.line("evil\u202egnp.exe")).isEqualTo("evil\\u202egnp.exe");
    }

    @Test
    void invisibleAndLineSeparatingCharactersAreVisible() {
        assertThat(Safe.line("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
        assertThat(Safe.text("a\u2028b", "  ")).isEqualTo("a\\u2028b");
        assertThat(Safe.line("ad\u200bmin")).isEqualTo("ad\\u200bmin");
        assertThat(Safe.line("x\u200c\u200d\u2060\ufeff\u00ad\u2066y")).isEqualTo("x\\u200c\\u200d\\u2060\\ufeff\\u00ad\\u2066y");
        assertThat(Safe.line("\u3164bob")).isEqualTo("\\u3164bob");
        assertThat(Safe.line("tag\udb40\udc41")).isEqualTo("tag\\U000e0041");
    }

    @Test
    void emojiSequencesStayWhole() {
        for (String emoji : new String[] {"👩‍💻", "👨‍👩‍👧", "🏳️‍🌈", "👍🏽", "🏴\udb40\udc67\udb40\udc62\udb40\udc73\udb40\udc63\udb40\udc74\udb40\udc7f", "é", "日本語"}) {
            assertThat(Safe.line(emoji)).as(emoji).isSameAs(emoji);
        }
    }

    @Test
    void ordinaryTextIsUntouched() {
        String text = "Zoë says 日本語 🎉 — \"quoted\" 'and' \\ back";
        assertThat(Safe.line(text)).isSameAs(text);
        assertThat(Safe.line(null)).isEmpty();
    }
}
