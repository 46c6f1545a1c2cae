package dev.convene.cli.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.cli.CliException;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@link Args} parses with picocli; its errors keep the session's one-line wording. */
class ArgsTest {
    private static final String SYN = "x A [B] [--at T] [--quiet]";

    private static Args parse(String... words) {
        CommandSpec spec = CommandSpec.create().name("x");
        spec.addOption(OptionSpec.builder("--at").arity("1").type(String.class).build());
        spec.addOption(OptionSpec.builder("--quiet").arity("0").type(boolean.class).build());
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("1").required(true).type(String.class).build());
        spec.addPositional(PositionalParamSpec.builder().index("1").arity("0..1").type(String.class).build());
        return Args.of(SYN, Args.bind(spec, List.of(words), SYN));
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
        assertThatThrownBy(() -> parse("one", "--quiet=yes")).hasMessage("unknown option '--quiet'; usage: " + SYN);
        assertThatThrownBy(() -> parse("a", "b", "c"))
                .hasMessage("unexpected 'c'; usage: " + SYN + " (quote text that has spaces)");
        assertThatThrownBy(() -> parse("--quiet")).hasMessage("missing arguments; usage: " + SYN);
    }
}
