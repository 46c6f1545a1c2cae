package dev.convene.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.convene.cli.session.PeersCmd;
import dev.convene.cli.terminal.ChatFocus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EventWriterTest {
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-21T10:15:30.123Z"), ZoneOffset.UTC);
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private EventWriter writer(boolean json) {
        return new EventWriter(new PrintWriter(out), new PrintWriter(err), json, FIXED);
    }

    @Test
    void jsonStartsWithEventAndAtThenTheFieldsAndLeavesNullsOut() throws Exception {
        writer(true).emit(new Event.Result("peers", null, new PeersCmd.Data(0, List.of()), "ignored"));
        assertThat(out.toString().strip()).isEqualTo(
                "{\"event\":\"result\",\"at\":\"2026-11-21T10:15:30.123Z\",\"command\":\"peers\",\"data\":{\"count\":0,\"peers\":[]}}");
    }

    @Test
    void jsonEscapesWhatNeedsEscapingAndKeepsUnicode() throws Exception {
        writer(true).emit(new Event.ErrorReport("say \"hi\"\nthere 🎉", 3, "s.txt"));
        JsonNode node = new ObjectMapper().readTree(out.toString());
        assertThat(node.path("message").asText()).isEqualTo("say \"hi\"\nthere 🎉");
        assertThat(out.toString().strip()).doesNotContain("\n");
    }

    @Test
    void errorsGoToStderrAsOneLineAndAlsoToStdoutInJson() {
        writer(true).error(new Event.ErrorReport("it broke; fix it", 4, "s.txt"));
        assertThat(err.toString()).isEqualTo("s.txt:4: it broke; fix it" + System.lineSeparator());
        assertThat(out.toString()).contains("\"event\":\"error\"", "\"line\":4");

        StringWriter out2 = new StringWriter();
        StringWriter err2 = new StringWriter();
        new EventWriter(new PrintWriter(out2), new PrintWriter(err2), false, FIXED).error(new Event.ErrorReport("no peer", null, null));
        assertThat(out2.toString()).isEmpty();
        assertThat(err2.toString()).isEqualTo("convene: no peer" + System.lineSeparator());
    }

    @Test
    void anEventArrivingAtThePromptGetsALineOfItsOwnAndThePromptReturns() {
        EventWriter w = writer(false);
        w.prompt("ann@local (0 peers)> ");
        w.emit(new Event.PeerJoined("abcdefgh" + "a".repeat(24), "bob", "127.0.0.1:7801", "1234-5678-9abc-def0"));
        String nl = System.lineSeparator();
        assertThat(out.toString()).isEqualTo("ann@local (0 peers)> " + nl + "+ bob (abcdefgh) joined from 127.0.0.1:7801" + nl
                + "ann@local (0 peers)> ");
    }

    @Test
    @Timeout(30)
    void concurrentEmittersNeverInterleaveWithinALine() throws Exception {
        EventWriter w = writer(true);
        int threads = 8;
        int each = 300;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    w.emit(new Event.PeerJoined("x".repeat(32), "peer-" + id + "-" + i, "127.0.0.1:" + i, "f".repeat(19)));
                }
            });
            th.start();
            all.add(th);
        }
        go.countDown();
        for (Thread th : all) th.join();
        ObjectMapper json = new ObjectMapper();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(threads * each);
        for (String line : lines) {
            assertThat(json.readTree(line).path("event").asText()).isEqualTo("peer-joined");
        }
    }

    @Test
    void anAttachedScreenGetsEveryHumanLineErrorsIncludedAndNothingGoesToTheStreams() {
        EventWriter w = writer(false);
        List<String> shown = new ArrayList<>();
        w.attach(text -> shown.add(text.toString()));
        w.emit(new Event.Result("peers", null, null, "no other peers online"));
        w.note("a hint");
        w.error(new Event.ErrorReport("no peer", 2, null));
        assertThat(shown).containsExactly("no other peers online", "a hint", "convene: no peer");
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEmpty();
        w.attach(null);
        w.note("back on stdout");
        assertThat(out.toString()).isEqualTo("back on stdout" + System.lineSeparator());
    }

    @Test
    void jsonNeverUsesAScreen() {
        EventWriter w = writer(true);
        List<String> shown = new ArrayList<>();
        w.attach(text -> shown.add(text.toString()));
        w.emit(new Event.Result("peers", null, null, "no other peers online"));
        assertThat(shown).isEmpty();
        assertThat(out.toString()).startsWith("{\"event\":\"result\"");
    }

    @Test
    void inChatModeTheOpenConferencesMessagesAreNameColonText() {
        EventWriter w = writer(false);
        ConferenceInfo.PeerRef bob = new ConferenceInfo.PeerRef("bobbobbobbobbobbobbobbobbobbobbo", "bob");
        w.focus(new ChatFocus("open-conference", "ann", ConferenceInfo.PeerRef::name));
        w.emit(new Event.Message("open-conference", "Design review", "b:1", 1, bob, "hi\nall", "2026-11-21T10:15:30Z", false));
        w.emit(new Event.Message("other-conference", "Standup", "b:2", 2, bob, "elsewhere", "2026-11-21T10:15:30Z", false));
        String at = Times.stamp(java.time.Instant.parse("2026-11-21T10:15:30Z"));
        String indent = " ".repeat(at.length() + 1 + "bob: ".length());
        assertThat(out.toString().lines().toList()).containsExactly(at + " bob: hi", indent + "all", at + " [Standup] bob (bobbobbo) #2: elsewhere");
        w.emit(new Event.Message("open-conference", "Design review", "b:3", 3, bob, "yes", "2026-11-21T10:15:30Z", false, "a:1", "ann#1"));
        assertThat(out.toString().lines().toList()).last().isEqualTo(at + " bob \u21b3 re ann#1: yes");
        List<String> shown = new ArrayList<>();
        w.attach(text -> shown.add(text.toString()));
        w.emit(new Event.Message("open-conference", "Design review", "b:3", 3, bob, "again", "2026-11-21T10:15:30Z", false));
        assertThat(shown).containsExactly(at + " bob: again");
    }
}
