package dev.convene.cli.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.cli.CliException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing session commands: every error is one line, a usage error, and says what to do. */
class CommandRegistryTest {
    private static final String KINDS = "'wait peers', 'wait invitation', 'wait reply', 'wait started', 'wait ended', 'wait message', 'wait delivered', 'wait file'";
    private final CommandRegistry registry = CommandRegistry.standard();

    private void rejects(String line, String message) {
        assertThatThrownBy(() -> registry.parse(ShellWords.split(line)))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.isUsage()).isTrue())
                .hasMessage(message);
    }

    @Test
    void acceptsEveryStandardCommand() {
        for (String line : List.of("peers", "stats", "wait peers 2", "wait peers 0 --timeout 500ms",
                "wait peers 3 --timeout=1m", "sleep 2s", "help", "quit",
                "wait message k3j2 --timeout 1s hello there", "wait invitation --timeout 2s Design review")) {
            assertThat(registry.parse(ShellWords.split(line))).as(line).isNotNull();
        }
    }

    @Test
    void unknownCommandSuggestsTheClosestAndHelp() {
        rejects("peer", "unknown command 'peer'; did you mean 'peers'? type 'help' for the list");
        rejects("stast", "unknown command 'stast'; did you mean 'stats'? type 'help' for the list");
        rejects("frobnicate", "unknown command 'frobnicate'; type 'help' for the list");
    }

    @Test
    void badArgumentsShowTheUsage() {
        rejects("peers now", "peers: unexpected 'now'; usage: peers (quote text that has spaces)");
        rejects("wait", "wait: cannot wait for nothing; use " + KINDS);
        rejects("wait bananas 2", "wait: cannot wait for 'bananas'; use " + KINDS);
        rejects("wait answer Retro bob --timeout 5s", "wait: cannot wait for 'answer'; use " + KINDS);
        rejects("wait peers", "wait: missing arguments; usage: wait peers N [--timeout D]");
        rejects("wait peers 2 3", "wait: unexpected '3'; usage: wait peers N [--timeout D] (quote text that has spaces)");
        rejects("wait message k3j2", "wait: missing arguments; usage: wait message CONF TEXT [--timeout D]");
        rejects("wait peers two", "wait: N: 'two' (expected: a whole number >= 0); usage: wait peers N [--timeout D]");
        rejects("wait peers -1", "wait: N: '-1' (expected: a whole number >= 0); usage: wait peers N [--timeout D]");
        rejects("wait peers 2 --timeout", "wait: --timeout needs a value; usage: wait peers N [--timeout D]");
        rejects("wait peers 2 --timeout soon", "wait: --timeout: 'soon' (expected: a duration such as 500ms, 2s, 1m or 1h)");
        rejects("wait peers 2 --tiemout 2s", "wait: unknown option '--tiemout'; usage: wait peers N [--timeout D]");
        rejects("sleep", "sleep: missing arguments; usage: sleep D");
        rejects("sleep forever", "sleep: 'forever' (expected: a duration such as 500ms, 2s, 1m or 1h)");
    }

    @Test
    void aCommandCanBeAddedWithoutTouchingTheParser() {
        CommandRegistry r = CommandRegistry.standard().add(new Echo());
        assertThat(r.parse(ShellWords.split("echo 'hello there'"))).isNotNull();
        assertThatThrownBy(() -> r.parse(ShellWords.split("echo a b"))).hasMessage("echo: unexpected 'b'; usage: echo TEXT (quote text that has spaces)");
        assertThatThrownBy(() -> r.parse(ShellWords.split("echo"))).hasMessage("echo: missing arguments; usage: echo TEXT");
        assertThatThrownBy(() -> r.add(new PeersCmd())).hasMessageContaining("registered twice");
    }

    /** A command added by a test: a picocli {@code @Command} class, nothing else. */
    @picocli.CommandLine.Command(name = "echo", customSynopsis = "echo TEXT", description = "repeat TEXT")
    static final class Echo extends PicocliCommand {
        @picocli.CommandLine.Parameters(index = "0", arity = "1")
        private String text;

        @Override
        Echo fresh() {
            return new Echo();
        }

        @Override
        Action action() {
            String t = this.text;
            return session -> session.result(name(), t, t);
        }
    }
}
