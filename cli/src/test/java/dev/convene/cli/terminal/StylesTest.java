package dev.convene.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.cli.output.ConferenceInfo.PeerRef;
import dev.convene.cli.output.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Colours: when they are used, and that they never change the words. */
class StylesTest {
    private static final PeerRef ANN = new PeerRef("annannannannannannannannannannan", "ann");

    @Test
    void coloursOnlyOnATerminalThatHasThemAndWithoutNoColor() {
        assertThat(Styles.enabled(null, "xterm-256color", 256)).isTrue();
        assertThat(Styles.enabled("", "screen", 8)).as("an empty NO_COLOR does not count").isTrue();
        assertThat(Styles.enabled("1", "xterm-256color", 256)).isFalse();
        assertThat(Styles.enabled("false", "xterm-256color", 256)).as("any value counts").isFalse();
        assertThat(Styles.enabled(null, "dumb", 256)).isFalse();
        assertThat(Styles.enabled(null, "dumb-color", 256)).isFalse();
        assertThat(Styles.enabled(null, null, 256)).isFalse();
        assertThat(Styles.enabled(null, "vt100", null)).isFalse();
        assertThat(Styles.enabled(null, "vt52", 2)).isFalse();
    }

    @Test
    void styledTextHasExactlyTheWordsOfThePlainText() {
        List<Event> events = List.of(
                new Event.PeerJoined("bobbobbobbobbobbobbobbobbobbobbo", "bob", "127.0.0.1:7801", "abcd-abcd-abcd-abcd"),
                new Event.Message("k3j2abcdk3j2abcdk3j2abcdk3", "Design review", "x:1", 1, ANN, "hello\nsecond line",
                        "2026-11-21T10:15:30Z", false),
                new Event.Reply("k3j2abcdk3j2abcdk3j2abcdk3", "Design review", ANN, "decline", "busy"),
                new Event.ErrorReport("it broke", null, null),
                new Event.Result("peers", null, null, "no other peers online"));
        for (Event e : events) {
            assertThat(Styles.event(e, e.human()).toString()).as(e.type()).isEqualTo(e.human());
        }
        assertThat(Styles.event(events.get(0), events.get(0).human()).toAnsi()).contains("\u001b[");
        assertThat(Styles.chat("14:30", "ann", "hi\nthere", true).toString()).isEqualTo("14:30 ann: hi\n           there");
        assertThat(Styles.prompt(new Prompt("ann", "local", 2, "Design review")).toString()).isEqualTo("ann@local (2 peers) [Design review]> ");
    }

    @Test
    void aMessageThatMentionsThisPeerIsHighlightedWithTheSameWords() {
        Event.Message plain = new Event.Message("k3j2abcdk3j2abcdk3j2abcdk3", "Design review", "x:1", 1, ANN, "@bob look",
                "2026-11-21T10:15:30Z", false);
        Event.Message mentioned = new Event.Message("k3j2abcdk3j2abcdk3j2abcdk3", "Design review", "x:1", 1, ANN, "@bob look",
                "2026-11-21T10:15:30Z", false, null, null, List.of(new PeerRef("bobbobbobbobbobbobbobbobbobbobbo", "bob")), true);
        assertThat(Styles.event(mentioned, mentioned.human()).toString()).isEqualTo(mentioned.human()).isEqualTo(plain.human());
        String highlighted = Styles.event(mentioned, mentioned.human()).toAnsi();
        assertThat(highlighted).isNotEqualTo(Styles.event(plain, plain.human()).toAnsi());
        assertThat(highlighted).containsPattern("\u001b\\[[0-9;]*m@bob look"); // the text itself is styled
        assertThat(Styles.chat("14:30", "ann", "@bob look", false, true).toString()).isEqualTo("14:30 ann: @bob look");
        assertThat(Styles.chat("14:30", "ann", "@bob look", false, true).toAnsi())
                .isNotEqualTo(Styles.chat("14:30", "ann", "@bob look", false, false).toAnsi());
    }

    @Test
    void thePromptShowsTheOpenConferenceShortened() {
        assertThat(new Prompt("ann", "memory", 1, null).text()).isEqualTo("ann@memory (1 peer)> ");
        assertThat(new Prompt("ann", "memory", 0, "Standup").text()).isEqualTo("ann@memory (0 peers) [Standup]> ");
        assertThat(ChatFocus.line("14:30", "bob", "a\nb")).isEqualTo("14:30 bob: a\n           b");
    }
}
