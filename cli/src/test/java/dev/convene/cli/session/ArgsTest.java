package dev.convene.cli.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.cli.CliException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Args} parses with picocli; its errors keep the session's one-line wording. */
class ArgsTest {
    private static final String SYN = "x A [--at T] [--quiet]";

    private static Args parse(String... words) {
        return Args.parse(List.of(words), SYN, Set.of("--at"), Set.of("--quiet"));
    }

    @Test
    void optionsInBothFormsFlagsAndPositionals() {
        Args a = parse("one", "--at", "5s", "two", "--quiet");
        assertThat(a.positionals()).containsExactly("one", "two");
        assertThat(a.option("--at")).contains("5s");
        assertThat(a.flag("--quiet")).isTrue();
        assertThat(parse("--at=1m", "one").option("--at")).contains("1m");
        assertThat(parse("one").flag("--quiet")).isFalse();
    }

    @Test
    void doubleDashEndsOptionsAndSingleDashWordsArePositionals() {
        assertThat(parse("--", "--at", "--x").positionals()).containsExactly("--at", "--x");
        assertThat(parse("-5", "-x").positionals()).containsExactly("-5", "-x");
    }

    @Test
    void errorsKeepTheirWording() {
        assertThatThrownBy(() -> parse("one", "--at")).isInstanceOf(CliException.class)
                .hasMessage("--at needs a value; usage: " + SYN);
        assertThatThrownBy(() -> parse("one", "--nope")).hasMessage("unknown option '--nope'; usage: " + SYN);
        assertThatThrownBy(() -> parse("--quiet=yes")).hasMessage("unknown option '--quiet'; usage: " + SYN);
        assertThatThrownBy(() -> parse("a", "b").expect(1, 1))
                .hasMessage("unexpected 'b'; usage: " + SYN + " (quote text that has spaces)");
    }
}
