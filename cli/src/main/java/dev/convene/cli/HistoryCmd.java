package dev.convene.cli;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceView;
import java.util.List;
import java.util.Set;

/**
 * {@code history CONF}: the messages of a conference in canonical order (the same at every participant once
 * synced), as a {@code history} event, then a {@code result} with the count.
 */
final class HistoryCmd implements SessionCommand {
    /** The data of the {@code history} result; the messages are in the {@code history} event before it. */
    record Data(String conference, String title, int count) {
    }

    @Override
    public String name() {
        return "history";
    }

    @Override
    public String synopsis() {
        return "history CONF";
    }

    @Override
    public String summary() {
        return "show a conference's messages in their canonical order";
    }

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceFirst(typed);
    }

    @Override
    public Action parse(List<String> words) {
        String conf = Args.parse(words, synopsis(), Set.of(), Set.of()).expect(1, 1).positional(0);
        return session -> {
            ConferenceView v = Lookup.conference(session, conf);
            List<ChatEntry> entries = session.conferences().history(v.id());
            List<Event.ChatLine> lines = entries.stream().map(ConferenceEvents::line).toList();
            session.out().emit(new Event.History(v.id().value(), v.title(), session.line(), lines.size(), lines));
            session.result(name(), new Data(v.id().value(), v.title(), lines.size()), "");
        };
    }
}
