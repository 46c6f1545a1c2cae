package dev.convene.cli.session;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

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

    /**
     * The free text after the words ({@link #freeTextAfter()} of them), exactly as typed: picocli never sees
     * it. Null if the line ends before it or the command takes no free text.
     */
    String text;

    /** {@link #text}, or a usage error if the line ended before it. */
    final String requireText() {
        if (text == null) throw dev.convene.cli.CliException.usage("missing arguments; usage: " + synopsis());
        return text;
    }

    /** What to run, from the fields picocli filled; called once, right after the parse. */
    abstract Action action();

    /** {@link #action()}, for a command that needs picocli's result (which of its own subcommands matched). */
    Action action(ParseResult parsed) {
        return action();
    }

    /** This command's picocli model, from its annotations; a command may add to it. */
    CommandSpec spec() {
        return CommandSpec.forAnnotatedObject(this);
    }

    @Override
    public final Action parse(List<String> args) {
        PicocliCommand c = fresh();
        int before = freeTextAfter();
        if (before >= 0 && args.size() > before) {
            c.text = args.get(before);
            args = args.subList(0, before);
        }
        return c.action(Args.bind(c.spec(), args, synopsis()));
    }
}
