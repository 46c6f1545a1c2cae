package dev.convene.cli.terminal;

import dev.convene.cli.output.Event;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * The colours of the interactive session: what each kind of line looks like on a terminal that shows
 * colours. Every method returns text whose characters are exactly the plain human form, so a terminal
 * without colours (or {@code NO_COLOR}) prints the same words; only {@link TerminalInput} turns styles into
 * escape sequences, and only when {@link #enabled} says so. Text from other peers has passed through
 * {@link Safe} before it gets here, so styling never wraps an escape sequence someone else wrote.
 */
public final class Styles {
    private static final AttributedStyle PLAIN = AttributedStyle.DEFAULT;
    private static final AttributedStyle FAINT = PLAIN.faint();
    private static final AttributedStyle BOLD = PLAIN.bold();
    private static final AttributedStyle ERROR = PLAIN.foreground(AttributedStyle.RED);
    private static final AttributedStyle JOINED = PLAIN.foreground(AttributedStyle.GREEN);
    private static final AttributedStyle INVITATION = PLAIN.bold().foreground(AttributedStyle.YELLOW);
    private static final AttributedStyle REPLY = PLAIN.foreground(AttributedStyle.CYAN);
    private static final AttributedStyle CONFERENCE = PLAIN.bold().foreground(AttributedStyle.MAGENTA);
    private static final AttributedStyle SPEAKER = PLAIN.bold().foreground(AttributedStyle.BLUE);
    private static final AttributedStyle SELF = PLAIN.bold().foreground(AttributedStyle.GREEN);
    private static final AttributedStyle TITLE = PLAIN.bold().foreground(AttributedStyle.CYAN);
    /** The text of a message that mentions this peer. */
    private static final AttributedStyle MENTIONED = PLAIN.bold().foreground(AttributedStyle.YELLOW);

    private Styles() {
    }

    /**
     * Whether to colour at all: not when {@code NO_COLOR} is set to anything but the empty string
     * (no-color.org), not on a {@code dumb} terminal, not where the terminal knows fewer than 8 colours.
     *
     * @param noColor the {@code NO_COLOR} environment variable, or null
     * @param terminalType the terminal type ({@code TERM}), or null
     * @param maxColors the terminal's {@code max_colors} capability, or null if it has none
     */
    static boolean enabled(String noColor, String terminalType, Integer maxColors) {
        if (noColor != null && !noColor.isEmpty()) return false;
        if (terminalType == null || terminalType.startsWith("dumb")) return false;
        return maxColors != null && maxColors >= 8;
    }

    /** An event's human text ({@code text}), styled by its kind. */
    public static AttributedString event(Event event, String text) {
        return switch (event.type()) {
            case Event.Message.NAME -> event instanceof Event.Message m && text.equals(m.human()) ? message(m) : new AttributedString(text);
            case Event.Invitation.NAME -> firstLine(text, INVITATION);
            case Event.History.NAME -> firstLine(text, BOLD);
            case Event.PeerJoined.NAME, Event.ParticipantJoined.NAME -> new AttributedString(text, JOINED);
            case Event.PeerLeft.NAME, Event.ParticipantLeft.NAME -> new AttributedString(text, FAINT);
            case Event.Reply.NAME -> new AttributedString(text, REPLY);
            case Event.ConferenceStarted.NAME, Event.ConferenceRescheduled.NAME, Event.ConferenceEnded.NAME -> new AttributedString(text, CONFERENCE);
            case Event.ErrorReport.NAME -> new AttributedString(text, ERROR);
            case Event.Ready.NAME -> new AttributedString(text, BOLD);
            default -> new AttributedString(text);
        };
    }

    /** {@code 14:30 [title] name (id): text}, time and title faint and the author bold. */
    private static AttributedString message(Event.Message m) {
        return new AttributedStringBuilder()
                .styled(FAINT, m.stamp() + " [" + Safe.line(m.title()) + "] ")
                .styled(BOLD, m.from().label())
                .append(" #" + m.sequence() + Event.Message.reply(m.replyRef()) + ": ")
                .styled(Boolean.TRUE.equals(m.mentioned()) ? MENTIONED : PLAIN, Safe.text(m.text(), "    "))
                .toAttributedString();
    }

    /** A chat-mode line, {@code name: text}; the author in another colour when it is this peer. */
    public static AttributedString chat(String stamp, String speaker, String text, boolean self) {
        return chat(stamp, speaker, text, self, false);
    }

    /** {@link #chat(String, String, String, boolean)}, the text highlighted if the message mentions this peer. */
    public static AttributedString chat(String stamp, String speaker, String text, boolean self, boolean mentioned) {
        String line = ChatFocus.line(stamp, speaker, text);
        return new AttributedStringBuilder().styled(FAINT, stamp).append(" ").styled(self ? SELF : SPEAKER, speaker)
                .styled(mentioned ? MENTIONED : PLAIN, line.substring(stamp.length() + 1 + speaker.length())).toAttributedString();
    }

    /** A hint for people. */
    public static AttributedString note(String text) {
        return new AttributedString(text, FAINT);
    }

    /** A failure. */
    public static AttributedString error(String text) {
        return new AttributedString(text, ERROR);
    }

    /** The prompt: the name bold, the open conference's title in colour. */
    static AttributedString prompt(Prompt prompt) {
        AttributedStringBuilder b = new AttributedStringBuilder().styled(BOLD, prompt.name())
                .append("@" + prompt.mode() + " (" + Prompt.peers(prompt.peers()) + ")");
        if (prompt.conference() != null) b.append(" [").styled(TITLE, prompt.conference()).append("]");
        if (prompt.typing() != null) b.append(" (").styled(FAINT, prompt.typing()).append(")");
        return b.append("> ").toAttributedString();
    }

    private static AttributedString firstLine(String text, AttributedStyle style) {
        int end = text.indexOf('\n');
        if (end < 0) return new AttributedString(text, style);
        return new AttributedStringBuilder().styled(style, text.substring(0, end)).append(text.substring(end)).toAttributedString();
    }
}
