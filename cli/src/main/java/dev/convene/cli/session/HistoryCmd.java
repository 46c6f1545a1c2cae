package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.ConferenceEvents;
import dev.convene.cli.output.Event;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code history CONF [--last N] [--since TIME]}: the messages of a conference in canonical order (the same
 * at every participant once synced), from the local store, as a {@code history} event, then a
 * {@code result} with the count. {@code --since} keeps the messages sent at or after TIME, {@code --last}
 * the last N of those.
 */
final class HistoryCmd implements SessionCommand {
    /** The data of the {@code history} result; the messages are in the {@code history} event before it. */
    record Data(String conference, String title, int count) {
    }

    private static final String SYNOPSIS = "history CONF [--last N] [--since TIME]";

    @Override
    public String name() {
        return "history";
    }

    @Override
    public String synopsis() {
        return SYNOPSIS;
    }

    @Override
    public String summary() {
        return "show a conference's messages in their canonical order (the last N, or since a time: 30m, 14:30, 2026-11-20)";
    }

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceFirst(typed);
    }

    @Override
    public Action parse(List<String> words) {
        Args a = Args.parse(words, synopsis(), Set.of("--last", "--since"), Set.of()).expect(1, 1);
        String conf = a.positional(0);
        Optional<Integer> last = a.option("--last").map(HistoryCmd::count);
        Optional<Since> since = a.option("--since").map(Since::parse);
        return session -> {
            ConferenceView v = Lookup.conference(session, conf);
            List<ChatEntry> entries = session.conferences().history(v.id());
            if (since.isPresent()) {
                Instant from = since.get().resolve(session.clock(), session.zone());
                entries = entries.stream().filter(e -> !e.sentAt().isBefore(from)).toList();
            }
            if (last.isPresent() && entries.size() > last.get()) entries = entries.subList(entries.size() - last.get(), entries.size());
            List<Event.ChatLine> lines = entries.stream().map(ConferenceEvents::line).toList();
            session.out().emit(new Event.History(v.id().value(), v.title(), session.line(), lines.size(), lines));
            session.result(name(), new Data(v.id().value(), v.title(), lines.size()), "");
        };
    }

    private static int count(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CliException.usage("--last: '" + text + "' (expected: a whole number >= 1)");
    }
}
