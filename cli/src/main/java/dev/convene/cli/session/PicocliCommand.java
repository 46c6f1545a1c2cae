package dev.convene.cli.session;

import java.util.List;
import picocli.CommandLine.Command;

/**
 * A session command declared with picocli: its name, synopsis and summary come from its {@link Command}
 * annotation, its words from {@code @Parameters}/{@code @Option} fields (arity from picocli). Every parse
 * fills a {@link #fresh} instance, so the {@link #action} of one line never sees the words of another (a
 * script is parsed whole before it runs).
 */
abstract class PicocliCommand implements SessionCommand {
    private Command command() {
        Command c = getClass().getAnnotation(Command.class);
        if (c == null) throw new IllegalStateException(getClass().getName() + " has no @Command");
        return c;
    }

    @Override
    public String name() {
        return command().name();
    }

    /** The annotation's {@code customSynopsis}, e.g. {@code sleep D}; the name if it has none. */
    @Override
    public String synopsis() {
        String[] s = command().customSynopsis();
        return s.length == 0 ? name() : s[0];
    }

    @Override
    public String summary() {
        return String.join(" ", command().description());
    }

    /** A new instance of the same command, its fields at their initial values. */
    abstract PicocliCommand fresh();

    /** What to run, from the fields picocli filled; called once, right after the parse. */
    abstract Action action();

    @Override
    public final Action parse(List<String> args) {
        PicocliCommand c = fresh();
        Args.bind(c, args, synopsis());
        return c.action();
    }
}
