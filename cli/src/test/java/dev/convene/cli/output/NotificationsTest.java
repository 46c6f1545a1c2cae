package dev.convene.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.cli.terminal.Screen;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** The bell rings for invitations, starts and mentions of this peer; nothing else. */
class NotificationsTest {
    private static final ConferenceInfo.PeerRef ALICE = new ConferenceInfo.PeerRef("alicealicealicealicealicealiceal", "alice");
    private static final ConferenceInfo.PeerRef BOB = new ConferenceInfo.PeerRef("bobbobbobbobbobbobbobbobbobbobbo", "Bob");
    private final Notifications bob = new Notifications(BOB.id(), "Bob");

    private static Event.Message message(ConferenceInfo.PeerRef from, String text) {
        return new Event.Message("c", "Standup", "x:1", 1, from, text, "2026-11-21T10:15:30Z", false);
    }

    @Test
    void aMentionIsTheNameAsAWordIgnoringCase() {
        for (String text : List.of("bob?", "hi @bob", "BOB, look", "ask bob", "bob")) assertThat(bob.mentions(text)).as(text).isTrue();
        for (String text : List.of("bobby", "kebob", "bo b", "")) assertThat(bob.mentions(text)).as(text).isFalse();
    }

    @Test
    void ringsForInvitationsStartsAndMentionsByOthers() {
        assertThat(bob.rings(message(ALICE, "bob: ready?"))).isTrue();
        assertThat(bob.rings(message(ALICE, "ready?"))).isFalse();
        assertThat(bob.rings(message(BOB, "I am bob"))).as("not for its own messages").isFalse();
        assertThat(bob.rings(new Event.ConferenceStarted("c", "Standup", ALICE, "2026-11-21T10:15:30Z", "2026-11-21T11:15:30Z"))).isTrue();
        assertThat(bob.rings(new Event.PeerJoined(ALICE.id(), "alice", "127.0.0.1:7800", "abcd-abcd-abcd-abcd"))).isFalse();
    }

    @Test
    void theWriterRingsTheScreenBellOnlyWhenTold() {
        List<String> rang = new ArrayList<>();
        Screen screen = new Screen() {
            @Override
            public void show(AttributedString text) {
            }

            @Override
            public void bell() {
                rang.add("bell");
            }
        };
        EventWriter w = new EventWriter(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false, Clock.systemUTC());
        w.attach(screen);
        w.emit(message(ALICE, "bob?"));
        assertThat(rang).as("no notifications set").isEmpty();
        w.notifications(bob, null);
        w.emit(message(ALICE, "bob?"));
        w.emit(message(ALICE, "nobody"));
        w.reminder("reminder: soon");
        assertThat(rang).hasSize(2);
    }

    @Test
    void desktopNotificationsGoThroughNotifySendOneAtATime(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path log = dir.resolve("sent.txt");
        java.nio.file.Path script = dir.resolve("notify-send");
        java.nio.file.Files.writeString(script, "#!/bin/sh\nprintf '%s|' \"$@\" >> '" + log + "'\necho >> '" + log + "'\n");
        script.toFile().setExecutable(true);
        DesktopNotifier desktop = DesktopNotifier.find(dir + java.io.File.pathSeparator + "/nonexistent").orElseThrow();
        assertThat(DesktopNotifier.find("/nonexistent")).isEmpty();
        EventWriter w = new EventWriter(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false, Clock.systemUTC());
        w.notifications(bob, desktop);
        w.emit(message(ALICE, "bob, the \u001b[2J plan"));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!(java.nio.file.Files.exists(log) && java.nio.file.Files.readString(log).contains("\n")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(java.nio.file.Files.readString(log)).isEqualTo("--app-name=convene|--|Convene: alice in 'Standup'|bob, the ^[[2J plan|\n");
        assertThat(DesktopNotifier.text(new Event.PeerJoined(ALICE.id(), "alice", "127.0.0.1:7800", "abcd-abcd-abcd-abcd"))).isEmpty();
    }

    @Test
    void remindersAreDueFiveMinutesBeforeTheStartOfConferencesOfThisPeer() {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        ConferenceView soon = view("Soon", now.plusSeconds(240), ConferenceView.Role.PARTICIPANT);
        ConferenceView later = view("Later", now.plusSeconds(600), ConferenceView.Role.ORGANISER);
        ConferenceView declined = view("Declined", now.plusSeconds(60), ConferenceView.Role.DECLINED);
        Set<String> reminded = new HashSet<>();
        assertThat(Notifications.dueReminders(List.of(soon, later, declined), now, reminded)).containsExactly(soon);
        reminded.add(soon.id().value());
        assertThat(Notifications.dueReminders(List.of(soon, later, declined), now, reminded)).isEmpty();
        assertThat(Notifications.dueReminders(List.of(later), now.plusSeconds(301), reminded)).containsExactly(later);
    }

    private static ConferenceView view(String title, Instant start, ConferenceView.Role role) {
        ConferenceContext c = new ConferenceContext(ConferenceId.random(), title, "", dev.convene.overlay.Identity.generate().id(), start,
                Duration.ofMinutes(30), new TreeSet<>(), start.minusSeconds(3600), 1, false);
        return new ConferenceView(c, ConferenceState.SCHEDULED, Set.of(), java.util.Map.of(), Set.of(), role);
    }
}
