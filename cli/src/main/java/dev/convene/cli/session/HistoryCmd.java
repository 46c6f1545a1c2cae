package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.ConferenceEvents;
import dev.convene.cli.output.Event;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code history CONF [--last N] [--since TIME]}: the messages of a conference in canonical order (the same
 * at every participant once synced), from the local store, as a {@code history} event, then a
 * {@code result} with the count. {@code --since} keeps the messages sent at or after TIME, {@code --last}
 * the last N of those.
 */
@Command(name = "history", customSynopsis = "history CONF [--last N] [--since TIME]", description = "show a conference's messages in their canonical order (the last N, or since a time: 30m, 14:30, 2026-11-20)")
final class HistoryCmd extends PicocliCommand {
    @Override
    HistoryCmd fresh() {
        return new HistoryCmd();
    }

    /** The data of the {@code history} result; the messages are in the {@code history} event before it. */
    record Data(String conference, String title, int count) {
    }

    private static final String SYNOPSIS = "history CONF [--last N] [--since TIME]";

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceFirst(typed);
    }

    @Parameters(index = "0", arity = "1", paramLabel = "CONF", description = "a conference: title, id or id prefix")
    private String conf;

    @Option(names = "--last", paramLabel = "N", description = "only the last N messages")
    private String lastText;

    @Option(names = "--since", paramLabel = "TIME", description = "only messages sent since TIME")
    private String sinceText;

    @Override
    Action action() {
        String conf = this.conf;
        Optional<Integer> last = Optional.ofNullable(lastText).map(HistoryCmd::count);
        Optional<Since> since = Optional.ofNullable(sinceText).map(Since::parse);
        return session -> {
            ConferenceView v = Lookup.conference(session, conf);
            List<ChatEntry> entries = session.conferences().history(v.id());
            if (since.isPresent()) {
                Instant from = since.get().resolve(session.clock(), session.zone());
                entries = entries.stream().filter(e -> !e.sentAt().isBefore(from)).toList();
            }
            if (last.isPresent() && entries.size() > last.get()) entries = entries.subList(entries.size() - last.get(), entries.size());
            var reactions = ConferenceEvents.reactions(session.conferences(), v.id());
            List<Event.ChatLine> lines = entries.stream()
                    .map(e -> ConferenceEvents.line(e, session.conferences(), reactions.getOrDefault(e.id(), java.util.Map.of()))).toList();
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
