package dev.convene.cli.output;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.convene.cli.terminal.ChatFocus;
import dev.convene.cli.terminal.Screen;
import dev.convene.cli.terminal.Styles;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one writer of a command's output. Commands and the overlay's event thread both emit through it;
 * every method is synchronized and writes whole lines, so output never interleaves within a line.
 *
 * <p>With {@code --json} every stdout line is one JSON object made by Jackson; otherwise the events'
 * human text. Errors also go to stderr as one line, in both modes.
 *
 * <p>The interactive session on a terminal {@linkplain #attach attaches} a {@link Screen}: then every human
 * line, errors included, goes there, styled by {@link Styles}, to appear above the line being typed. Without
 * one, a session that reads plain lines shows a {@linkplain #prompt prompt}; an event that arrives while
 * it waits is printed on a line of its own and the prompt shown again. In chat mode ({@link #focus}) the
 * open conference's messages print as {@code name: text}.
 */
public final class EventWriter {
    /** Every field name in kebab-case ({@code sent-at}, {@code frames-sent}), whatever the Java name. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final Clock clock;
    private String prompt;
    private Screen screen;
    private Notifications notifications;
    private DesktopNotifier desktop;
    /** The width of human output without a terminal to measure. */
    static final int DEFAULT_WIDTH = 80;
    private ChatFocus focus;

    public EventWriter(PrintWriter out, PrintWriter err, boolean json, Clock clock) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.clock = clock;
    }

    /** The writer for a picocli command: its out and err, so tests can capture them. */
    public static EventWriter of(CommandSpec spec, boolean json) {
        return new EventWriter(spec.commandLine().getOut(), spec.commandLine().getErr(), json, Clock.systemUTC());
    }

    public boolean json() {
        return json;
    }

    /** Shows human output on {@code screen} from now on; null goes back to standard output and error. */
    public synchronized void attach(Screen screen) {
        this.screen = json ? null : screen;
    }

    /** The width human output is laid out for: the terminal's, or {@link #DEFAULT_WIDTH} without one. */
    public synchronized int width() {
        int w = screen == null ? 0 : screen.width();
        return w > 0 ? w : DEFAULT_WIDTH;
    }

    /**
     * Rings the screen's bell for the events {@code notifications} says ring, and sends them to
     * {@code desktop} too if not null; null notifications ring for none.
     */
    public synchronized void notifications(Notifications notifications, DesktopNotifier desktop) {
        this.notifications = notifications;
        this.desktop = desktop;
    }

    /** Shows the messages of a conference as chat lines from now on; null shows them as events again. */
    public synchronized void focus(ChatFocus focus) {
        this.focus = focus;
    }

    /** Prints one event. */
    public synchronized void emit(Event event) {
        if (!json && notifications != null && notifications.rings(event)) {
            if (screen != null) screen.bell();
            if (desktop != null) desktop.notify(event);
        }
        if (!json && focus != null && focus.covers(event)) {
            chatLine((Event.Message) event);
            return;
        }
        String text = json ? toJson(event) : event.human();
        if (text.isEmpty()) return;
        if (screen != null) {
            screen.show(Styles.event(event, text));
            return;
        }
        if (prompt != null) out.println();
        out.println(text);
        if (prompt != null) out.print(prompt);
        out.flush();
    }

    private void chatLine(Event.Message m) {
        // a reply says what it answers (bob ↳ re alice#1: …); chat lines leave out the #N that /history shows
        String speaker = focus.speakerOf(m.from()) + Event.Message.reply(m.replyRef());
        String stamp = m.stamp();
        if (screen != null) {
            screen.show(Styles.chat(stamp, speaker, m.text(), focus.isSelf(m.from()), Boolean.TRUE.equals(m.mentioned())));
            return;
        }
        if (prompt != null) out.println();
        out.println(ChatFocus.line(stamp, speaker, m.text()));
        if (prompt != null) out.print(prompt);
        out.flush();
    }

    /** A line for people only (hints, progress); nothing with {@code --json}. */
    public synchronized void note(String text) {
        if (json) return;
        if (screen != null) {
            screen.show(Styles.note(text));
            return;
        }
        out.println(text);
        out.flush();
    }

    /** Whether {@link #progress} shows anything: on a terminal, without {@code --json}. */
    public synchronized boolean showsProgress() {
        return !json && screen != null;
    }

    /**
     * Shows a progress line on the terminal (a {@code fetch}'s bar), in place of the previous one; null takes it
     * away. Lines printed meanwhile appear above it. Nothing without a terminal or with {@code --json}.
     */
    public synchronized void progress(String line) {
        if (!showsProgress()) return;
        screen.progress(line);
    }

    /** A reminder: a note that also rings the bell on a terminal. */
    public synchronized void reminder(String text) {
        if (screen != null) screen.bell();
        note(text);
    }

    /** Reports a failure: one line on stderr, and an {@code error} event on stdout with {@code --json}. */
    public synchronized void error(Event.ErrorReport error) {
        if (json) emit(error);
        if (screen != null) {
            // The terminal is standard error too: once, in colour, above the input line.
            screen.show(Styles.error(error.human()));
            return;
        }
        err.println(error.human());
        err.flush();
    }

    /** Shows the interactive prompt (not with {@code --json}: stdout then carries JSON only). */
    public synchronized void prompt(String text) {
        if (json) return;
        prompt = text;
        out.print(text);
        out.flush();
    }

    /** The user answered the prompt: output goes on normally until the next one. */
    public synchronized void promptAnswered() {
        prompt = null;
    }

    /** The names {@code --json} gives the properties of {@code type}, in the order it writes them. */
    static java.util.List<String> jsonNames(Class<?> type) {
        return JSON.getSerializationConfig().introspect(JSON.constructType(type)).findProperties().stream()
                .map(com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition::getName).toList();
    }

    /** The JSON form of an event, as written with {@code --json}. */
    String toJson(Event event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("event", event.type());
        node.put("at", clock.instant().toString());
        node.setAll((ObjectNode) JSON.valueToTree(event));
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + event.type() + " as JSON", e);
        }
    }
}
