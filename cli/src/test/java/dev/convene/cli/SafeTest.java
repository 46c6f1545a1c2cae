package dev.convene.cli;

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
    void ordinaryTextIsUntouched() {
        String text = "Zoë says 日本語 🎉 — \"quoted\" 'and' \\ back";
        assertThat(Safe.line(text)).isSameAs(text);
        assertThat(Safe.line(null)).isEmpty();
    }
}
