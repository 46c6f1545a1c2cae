package dev.convene.cli.output;

import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What rings the terminal bell in the interactive session: an invitation, a conference starting, a message
 * from someone else that mentions this peer's name (as a word, ignoring case, with or without {@code @});
 * and which conferences are due a reminder, {@link #REMIND_BEFORE} before they start.
 *
 * @param selfId this peer's id: its own messages never ring
 * @param selfName this peer's display name
 */
public record Notifications(String selfId, String selfName) {
    /** How long before its start a conference this peer takes part in is announced. */
    static final Duration REMIND_BEFORE = Duration.ofMinutes(5);

    public Notifications {
        if (selfId == null || selfName == null) throw new IllegalArgumentException("self id and name are required");
    }

    /** Whether {@code event} rings the bell. */
    boolean rings(Event event) {
        if (event instanceof Event.Invitation || event instanceof Event.ConferenceStarted) return true;
        return event instanceof Event.Message m && !m.from().id().equals(selfId) && mentions(m.text());
    }

    /** Whether {@code text} has this peer's name as a word of its own ({@code bob}, {@code @bob}, {@code Bob,}). */
    boolean mentions(String text) {
        String name = selfName.toLowerCase(Locale.ROOT);
        String t = text.toLowerCase(Locale.ROOT);
        if (name.isBlank()) return false;
        for (int at = t.indexOf(name); at >= 0; at = t.indexOf(name, at + 1)) {
            int end = at + name.length();
            boolean startsWord = at == 0 || !Character.isLetterOrDigit(t.codePointBefore(at));
            boolean endsWord = end == t.length() || !Character.isLetterOrDigit(t.codePointAt(end));
            if (startsWord && endsWord) return true;
        }
        return false;
    }

    /**
     * The conferences this peer takes part in (or was invited to and has not declined) that start within
     * {@link #REMIND_BEFORE} of {@code now} and are not in {@code reminded}; the caller adds them there.
     */
    public static List<ConferenceView> dueReminders(List<ConferenceView> conferences, Instant now, Set<String> reminded) {
        List<ConferenceView> due = new ArrayList<>();
        for (ConferenceView v : conferences) {
            if (v.state() != ConferenceState.SCHEDULED || reminded.contains(v.id().value())) continue;
            boolean mine = switch (v.myRole()) {
                case ORGANISER, PARTICIPANT, INVITED -> true;
                default -> false;
            };
            Instant start = v.context().start();
            if (mine && start.isAfter(now) && !start.isAfter(now.plus(REMIND_BEFORE))) due.add(v);
        }
        return due;
    }
}
