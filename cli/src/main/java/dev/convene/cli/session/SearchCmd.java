package dev.convene.cli.session;

import dev.convene.cli.output.ConferenceEvents;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.Event;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferenceView;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code search CONF TEXT}: the messages of a conference, in the local store, that contain TEXT (the rest
 * of the line, ignoring case), in canonical order.
 */
@Command(name = "search", customSynopsis = "search CONF TEXT", description = "the messages of a conference that contain TEXT (the rest of the line, ignoring case)")
final class SearchCmd extends PicocliCommand {
    @Override
    SearchCmd fresh() {
        return new SearchCmd();
    }

    /** The data of the {@code search} result. */
    record Data(String conference, String title, String text, int count, List<Event.ChatLine> messages) {
        Data {
            messages = List.copyOf(messages);
        }
    }

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceFirst(typed);
    }

    @Override
    public int freeTextAfter() {
        return 1;
    }

    @Parameters(index = "0", arity = "1", paramLabel = "CONF", description = "a conference: title, id or id prefix")
    private String conf;

    @Override
    Action action() {
        String conf = this.conf;
        String text = requireText();
        String needle = text.toLowerCase(Locale.ROOT);
        return session -> {
            ConferenceView v = Lookup.conference(session, conf);
            List<Event.ChatLine> found = session.conferences().history(v.id()).stream()
                    .filter(e -> e.text().toLowerCase(Locale.ROOT).contains(needle)).map(e -> ConferenceEvents.line(e, session.conferences())).toList();
            String head = (found.size() == 1 ? "1 message" : found.size() + " messages") + " of " + ConferenceInfo.label(v)
                    + (found.size() == 1 ? " contains '" : " contain '") + Safe.line(text) + "'";
            session.result(name(), new Data(v.id().value(), v.title(), text, found.size(), found),
                    head + found.stream().map(m -> "\n  " + m.human()).collect(Collectors.joining()));
        };
    }
}
