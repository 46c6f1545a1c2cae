package dev.convene.cli;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code help}: the session commands and what they do. */
final class HelpCmd implements SessionCommand {
    /** One entry of the {@code help} result. */
    record Entry(String synopsis, String summary) {
    }

    @Override
    public String name() {
        return "help";
    }

    @Override
    public String synopsis() {
        return "help [COMMAND]";
    }

    @Override
    public String summary() {
        return "list the session commands, or how to use one";
    }

    @Override
    public Completion completion(List<String> typed) {
        return typed.isEmpty() ? Completion.COMMANDS : Completion.NOTHING;
    }

    @Override
    public Action parse(List<String> args) {
        Args a = Args.parse(args, synopsis(), Set.of(), Set.of()).expect(0, 1);
        String only = a.positionals().isEmpty() ? null : a.positional(0);
        return session -> {
            List<Entry> entries = session.commands().all().stream().filter(c -> only == null || c.name().equals(only))
                    .flatMap(c -> c.helpEntries().stream()).toList();
            if (entries.isEmpty()) {
                throw CliException.failed("no command '" + Safe.line(only) + "'; 'help' lists them all");
            }
            int width = entries.stream().mapToInt(e -> e.synopsis().length()).max().orElse(0);
            String text = "commands:" + entries.stream()
                    .map(e -> String.format("%n  %-" + width + "s  %s", e.synopsis(), e.summary())).collect(Collectors.joining())
                    + (only != null ? "" : String.format("%ndurations: 500ms, 2s, 1m, 1h; quote titles with spaces: open \"Design review\";"
                    + " the text of say and decline is the rest of the line, exactly as typed"
                    + "%nchat mode (open CONF): lines you type are messages; /back returns; /history, /invite PEER, /leave and"
                    + " the other /COMMANDs act on the open conference; Tab completes commands, peers and conferences"));
            session.result(name(), entries, text);
        };
    }
}
