package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.terminal.Safe;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code help}: the session commands and what they do. */
@Command(name = "help", customSynopsis = "help [COMMAND]", description = "list the session commands, or how to use one")
public final class HelpCmd extends PicocliCommand {
    @Override
    HelpCmd fresh() {
        return new HelpCmd();
    }

    @Parameters(index = "0", arity = "0..1", paramLabel = "COMMAND", description = "the command to explain")
    private String only;

    /** One entry of the {@code help} result. */
    public record Entry(String synopsis, String summary) {
    }

    @Override
    public Completion completion(List<String> typed) {
        return typed.isEmpty() ? Completion.COMMANDS : Completion.NOTHING;
    }

    /** The notes after the full list. */
    public static final List<String> NOTES = List.of(
            "durations: 500ms, 1.5s, 2s, 1m, 1h; quote titles with spaces: open \"Design review\"; the text of say and decline is the"
                    + " rest of the line, exactly as typed",
            "chat mode (open CONF): lines you type are messages; /back returns; /history, /invite PEER, /leave and the other"
                    + " /COMMANDs act on the open conference; Tab completes commands, peers and conferences");

    /**
     * The help text for a terminal {@code width} columns wide: synopses in a column, summaries wrapped at
     * word boundaries beside them, or below a synopsis too long for the column. No line is longer than the
     * width unless one word is, and no line has trailing blanks.
     */
    public static String layout(List<Entry> entries, boolean notes, int width) {
        int w = Math.max(width, 20);
        int cap = Math.min(36, w * 2 / 5);
        int column = entries.stream().mapToInt(e -> e.synopsis().length()).filter(n -> n <= cap).max().orElse(cap);
        StringBuilder b = new StringBuilder("commands:");
        for (Entry e : entries) {
            String indent = " ".repeat(column + 4);
            if (e.synopsis().length() <= column) {
                String first = "  " + e.synopsis() + " ".repeat(column - e.synopsis().length() + 2);
                b.append('\n').append(wrap(first, e.summary(), indent, w));
            } else {
                b.append('\n').append(wrap("  ", e.synopsis(), "    ", w));
                b.append('\n').append(wrap(indent, e.summary(), indent, w));
            }
        }
        if (notes) for (String note : NOTES) b.append('\n').append(wrap("", note, "  ", w));
        return b.toString();
    }

    /** {@code text} after {@code first}, its words wrapped to {@code width}, continuation lines after {@code indent}. */
    static String wrap(String first, String text, String indent, int width) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(first);
        int fresh = first.length();
        for (String word : text.strip().split(" +")) {
            if (line.length() > fresh && line.length() + 1 + word.length() > width) {
                out.append(line.toString().stripTrailing()).append('\n');
                line.setLength(0);
                line.append(indent);
                fresh = indent.length();
            }
            if (line.length() > fresh) line.append(' ');
            line.append(word);
        }
        return out.append(line.toString().stripTrailing()).toString();
    }

    @Override
    Action action() {
        String only = this.only;
        return session -> {
            List<Entry> entries = session.commands().all().stream().filter(c -> only == null || c.name().equals(only))
                    .flatMap(c -> c.helpEntries().stream()).toList();
            if (entries.isEmpty()) {
                throw CliException.failed("no command '" + Safe.line(only) + "'; 'help' lists them all");
            }
            int width = session.out().width();
            String text = only == null ? layout(entries, true, width)
                    : usage(session.commands(), only, width).orElseGet(() -> layout(entries, false, width));
            session.result(name(), entries, text);
        };
    }

    /** picocli's usage help needs at least this many columns; a narrower terminal gets {@link #layout}. */
    static final int USAGE_MIN_WIDTH = 55;

    /**
     * {@code help CMD} of a command declared with picocli: its usage help from the picocli model, fitted to
     * {@code width} (the synopsis wrapped at word boundaries, no trailing blanks). Empty for a command that
     * is not, for {@code wait} (whose forms the layout lists), or a terminal narrower than {@link #USAGE_MIN_WIDTH}.
     */
    public static java.util.Optional<String> usage(CommandRegistry registry, String name, int width) {
        java.util.Optional<SessionCommand> command = registry.get(name);
        if (width < USAGE_MIN_WIDTH || command.isEmpty() || !(command.get() instanceof PicocliCommand)
                || command.get() instanceof WaitCmd) { // wait: the layout lists each of its forms
            return java.util.Optional.empty();
        }
        CommandLine sub = registry.model().getSubcommands().get(name);
        sub.setUsageHelpWidth(width);
        sub.getCommandSpec().usageMessage().description(command.get().summary());
        sub.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING, help -> "");
        sub.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS,
                help -> wrap("usage: ", command.get().synopsis(), "    ", width) + "\n");
        String text = sub.getUsageMessage(CommandLine.Help.Ansi.OFF);
        return java.util.Optional.of(text.lines().map(String::stripTrailing)
                .collect(java.util.stream.Collectors.joining("\n")).stripTrailing());
    }
}
