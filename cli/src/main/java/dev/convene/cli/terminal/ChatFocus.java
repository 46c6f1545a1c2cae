package dev.convene.cli.terminal;

import dev.convene.cli.output.ConferenceInfo.PeerRef;
import dev.convene.cli.output.Event;
import java.util.function.Function;

/**
 * The conference open in chat mode ({@code open CONF}): its messages print as {@code name: text} lines
 * instead of {@code [title] name (id): text}. Human output only; JSON is the same in and out of chat mode.
 *
 * @param conference the conference id
 * @param self this peer's id, whose own messages are told apart by colour
 * @param speaker how to name an author: its name, or its label where the name alone could mislead
 */
public record ChatFocus(String conference, String self, Function<PeerRef, String> speaker) {
    /** True for a message of this conference. */
    public boolean covers(Event event) {
        return event instanceof Event.Message m && m.conference().equals(conference);
    }

    /** The name shown before a message of {@code from}, made safe to print. */
    public String speakerOf(PeerRef from) {
        return speaker.apply(from);
    }

    /** True if {@code from} is this peer. */
    public boolean isSelf(PeerRef from) {
        return from.id().equals(self);
    }

    /** {@code 14:30 name: text} ({@link Times#stamp}), further lines of the text indented under its start. */
    public static String line(String stamp, String speaker, String text) {
        String head = stamp + " " + speaker + ": ";
        return head + Safe.text(text, " ".repeat(head.length()));
    }
}
