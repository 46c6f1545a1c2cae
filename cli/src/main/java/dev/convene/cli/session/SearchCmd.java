package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.ConferenceEvents;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.Event;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferenceView;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code search CONF TEXT}: the messages of a conference, in the local store, that contain TEXT (the rest
 * of the line, ignoring case), in canonical order.
 */
final class SearchCmd implements SessionCommand {
    /** The data of the {@code search} result. */
    record Data(String conference, String title, String text, int count, List<Event.ChatLine> messages) {
        Data {
            messages = List.copyOf(messages);
        }
    }

    @Override
    public String name() {
        return "search";
    }

    @Override
    public String synopsis() {
        return "search CONF TEXT";
    }

    @Override
    public String summary() {
        return "the messages of a conference that contain TEXT (the rest of the line, ignoring case)";
    }

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceFirst(typed);
    }

    @Override
    public int freeTextAfter() {
        return 1;
    }

    @Override
    public Action parse(List<String> words) {
        if (words.size() < 2) throw CliException.usage("missing arguments; usage: " + synopsis());
        String conf = words.get(0);
        String text = words.get(1);
        String needle = text.toLowerCase(Locale.ROOT);
        return session -> {
            ConferenceView v = Lookup.conference(session, conf);
            List<Event.ChatLine> found = session.conferences().history(v.id()).stream()
                    .filter(e -> e.text().toLowerCase(Locale.ROOT).contains(needle)).map(ConferenceEvents::line).toList();
            String head = (found.size() == 1 ? "1 message" : found.size() + " messages") + " of " + ConferenceInfo.label(v)
                    + (found.size() == 1 ? " contains '" : " contain '") + Safe.line(text) + "'";
            session.result(name(), new Data(v.id().value(), v.title(), text, found.size(), found),
                    head + found.stream().map(m -> "\n  " + m.human()).collect(Collectors.joining()));
        };
    }
}
