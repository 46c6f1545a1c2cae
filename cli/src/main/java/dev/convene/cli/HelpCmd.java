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
        return "help";
    }

    @Override
    public String summary() {
        return "list the session commands";
    }

    @Override
    public Action parse(List<String> args) {
        Args.parse(args, synopsis(), Set.of(), Set.of()).expect(0, 0);
        return session -> {
            List<Entry> entries = session.commands().all().stream().flatMap(c -> c.helpEntries().stream()).toList();
            int width = entries.stream().mapToInt(e -> e.synopsis().length()).max().orElse(0);
            String text = "commands:" + entries.stream()
                    .map(e -> String.format("%n  %-" + width + "s  %s", e.synopsis(), e.summary())).collect(Collectors.joining())
                    + String.format("%ndurations: 500ms, 2s, 1m, 1h; quote words with spaces: say \"hello there\"");
            session.result(name(), entries, text);
        };
    }
}
