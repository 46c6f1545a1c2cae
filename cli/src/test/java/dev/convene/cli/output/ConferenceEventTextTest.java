package dev.convene.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.convene.cli.output.ConferenceInfo.PeerRef;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conference events for people (sanitised, local times) and for programs (exact text, stable fields). */
class ConferenceEventTextTest {
    private static final String CONF = "6paliarjoueiyennwy2cmcodju";
    private static final PeerRef ALICE = new PeerRef("wrxorxelmsvoe5bma7cbxh5vwnvinzr5", "alice");
    private static final PeerRef MALLORY = new PeerRef("i3ddk6vfz3fpqlr2bqwm52kzk5siz75a", "mal\u202elory");
    private static final String HOSTILE = "hi\u001b]0;owned\u0007\n+ bob (n6uuy37p) joined from 127.0.0.1:7800";

    private final EventWriter json = new EventWriter(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), true,
            Clock.fixed(Instant.parse("2026-11-21T19:30:00Z"), ZoneId.of("UTC")));

    private JsonNode json(Event e) throws Exception {
        return new ObjectMapper().readTree(json.toJson(e));
    }

    private JsonNode line(Event.ChatLine l) throws Exception {
        return json(new Event.History(CONF, "Design review", null, 1, List.of(l))).path("messages").get(0);
    }

    @Test
    void chatFromAnotherPeerCannotDriveTheTerminalOrForgeALine() throws Exception {
        Event.Message m = new Event.Message(CONF, "Design review", MALLORY.id() + ":3", 3, MALLORY, HOSTILE, "2026-11-21T19:30:04.803Z", false);
        assertThat(m.human()).isEqualTo(m.stamp() + " [Design review] mal\\u202elory (i3ddk6vf) #3: hi^[]0;owned^G\n    + bob (n6uuy37p) joined from 127.0.0.1:7800");
        assertThat(m.human().lines()).allSatisfy(l -> assertThat(l).doesNotContain("\u001b", "\u0007"));
        assertThat(m.human().lines().skip(1)).allSatisfy(l -> assertThat(l).startsWith("    "));
        JsonNode j = json(m);
        assertThat(j.path("text").asText()).isEqualTo(HOSTILE);
        assertThat(j.at("/from/name").asText()).isEqualTo("mal\u202elory");
        assertThat(json.toJson(m)).doesNotContain("\u001b").contains("\\u001B]0;owned\\u0007\\n+ bob");
    }

    @Test
    void agendasAndReasonsAreSanitisedToo() {
        Event.Invitation inv = new Event.Invitation(CONF, CONF, "Design review", "1. wire\u001b[2J\n2. release", ALICE,
                "2026-11-21T19:30:00Z", "PT30M", "2026-11-21T20:00:00Z", List.of(MALLORY), "2026-11-21T19:29:59Z", 1, false, ALICE);
        assertThat(inv.human()).contains("alice (wrxorxel) invites you to 'Design review' (6paliarj), ", " for 30m",
                "agenda: 1. wire^[[2J\n          2. release", "invited: mal\\u202elory (i3ddk6vf)",
                "answer with: accept 6paliarj   or: decline 6paliarj [REASON]").doesNotContain("\u001b");
        Event.Reply reply = new Event.Reply(CONF, "Design review", MALLORY, "decline", "no\u001b[1Athanks\nreally");
        assertThat(reply.human()).isEqualTo("  mal\\u202elory (i3ddk6vf) declined 'Design review' (6paliarj): no^[[1Athanks^Jreally");
    }

    @Test
    void timesAreShownInTheLocalZoneAndSentAsInstants() throws Exception {
        Event.ConferenceStarted started = new Event.ConferenceStarted(CONF, "Design review", ALICE, "2026-11-21T19:30:00Z", "2026-11-21T20:00:00Z");
        assertThat(started.human()).isEqualTo("* 'Design review' (6paliarj) is live until " + Times.local(Instant.parse("2026-11-21T20:00:00Z")));
        assertThat(Times.local(Instant.parse("2026-11-21T20:00:00Z"), ZoneId.of("Europe/Paris"))).isEqualTo("2026-11-21 21:00 CET");
        JsonNode j = json(started);
        assertThat(j.path("event").asText()).isEqualTo("conference-started");
        assertThat(j.path("end").asText()).isEqualTo("2026-11-21T20:00:00Z");
    }

    @Test
    void participantAndEndEventsSayWhy() throws Exception {
        assertThat(new Event.ParticipantLeft(CONF, "Design review", ALICE, "offline").human())
                .isEqualTo("- alice (wrxorxel) is out of 'Design review' (6paliarj): offline");
        assertThat(new Event.ParticipantJoined(CONF, "Design review", ALICE, "accepted").human())
                .isEqualTo("+ alice (wrxorxel) is in 'Design review' (6paliarj): accepted");
        assertThat(new Event.ConferenceEnded(CONF, "Standup", ALICE, "cancelled").human()).isEqualTo("* 'Standup' (6paliarj) was cancelled");
        JsonNode j = json(new Event.ConferenceEnded(CONF, "Standup", ALICE, "ended"));
        assertThat(j.path("state").asText()).isEqualTo("ended");
        assertThat(j.at("/organiser/id").asText()).isEqualTo(ALICE.id());
    }

    @Test
    void deliveredSaysToOneOrToAllAndOnlyALateAcknowledgementPrintsALine() throws Exception {
        Event.Delivered one = new Event.Delivered(CONF, "Design review", ALICE.id() + ":2", 2, Event.Delivered.ONE, true);
        assertThat(one.human()).isEqualTo("[Design review] your message 2 was delivered (stored by another participant)");
        assertThat(new Event.Delivered(CONF, "Design review", ALICE.id() + ":2", 2, Event.Delivered.ONE, false).human()).isEmpty();
        Event.Delivered all = new Event.Delivered(CONF, "Design review", ALICE.id() + ":2", 2, Event.Delivered.ALL, true);
        assertThat(all.human()).isEmpty();
        assertThat(json(one).path("to").asText()).isEqualTo("one");
        JsonNode j = json(all);
        assertThat(j.path("event").asText()).isEqualTo("delivered");
        assertThat(j.path("to").asText()).isEqualTo("all");
        assertThat(j.has("late")).isFalse();
    }

    @Test
    void aRetractedMessageNamesItsAuthorAndWhyAndItsAuthorCannotForgeALine() throws Exception {
        Event.Retracted r = new Event.Retracted(CONF, "Design review", MALLORY.id() + ":3", 3, MALLORY, "invalid by membership");
        assertThat(r.human()).isEqualTo("[Design review] message 3 from mal\\u202elory (i3ddk6vf) was taken out of the history (invalid by membership)");
        JsonNode j = json(r);
        assertThat(j.path("event").asText()).isEqualTo("retracted");
        assertThat(j.path("id").asText()).isEqualTo(MALLORY.id() + ":3");
        assertThat(j.path("sequence").asLong()).isEqualTo(3);
        assertThat(j.at("/from/id").asText()).isEqualTo(MALLORY.id());
        assertThat(j.path("reason").asText()).isEqualTo("invalid by membership");
    }

    @Test
    void theReasonAParticipantLeftIsNamedAsDocumented() {
        assertThat(ConferenceEvents.leftReason("leave")).isEqualTo("left");
        assertThat(ConferenceEvents.leftReason("decline")).isEqualTo("declined");
        assertThat(ConferenceEvents.leftReason("accept")).isEqualTo("removed");
        assertThat(ConferenceEvents.leftReason("offline")).isEqualTo("offline");
    }

    @Test
    void repliesAndReactionsShowTheReferencesPeopleTypeAndTheJsonTheIds() throws Exception {
        String first = ALICE.id() + ":1";
        Event.Message reply = new Event.Message(CONF, "Design review", MALLORY.id() + ":2", 2, MALLORY, "ok", "2026-11-21T19:30:04.803Z", false,
                first, "alice#1");
        assertThat(reply.human()).isEqualTo(reply.stamp() + " [Design review] mal\\u202elory (i3ddk6vf) #2 \u21b3 re alice#1: ok");
        assertThat(json(reply).path("reply-to").asText()).isEqualTo(first);
        assertThat(json(reply).has("reply-ref")).isFalse();
        assertThat(json(new Event.Message(CONF, "Design review", first, 1, ALICE, "hi", "2026-11-21T19:30:04.803Z", false)).has("reply-to")).isFalse();

        Event.ChatLine line = new Event.ChatLine(first, 1, ALICE, "hi", "2026-11-21T19:30:04.803Z", false, null, null,
                List.of(new Event.ReactionCount("\uD83D\uDC4D", 2), new Event.ReactionCount("\u001b[2J", 1)));
        assertThat(line.human()).endsWith(" alice (wrxorxel) #1: hi  [\uD83D\uDC4D 2] [^[[2J 1]");

        Event.Reaction r = new Event.Reaction(CONF, "Design review", first, "alice#1", MALLORY, "\uD83C\uDF89", true);
        assertThat(r.human()).isEqualTo("[Design review] mal\\u202elory (i3ddk6vf) reacted \uD83C\uDF89 to alice#1");
        assertThat(new Event.Reaction(CONF, "Design review", first, "alice#1", MALLORY, "\uD83C\uDF89", false).human())
                .isEqualTo("[Design review] mal\\u202elory (i3ddk6vf) withdrew \uD83C\uDF89 from alice#1");
        // This peer's own reaction: its 'react' result said it, so people see it once; scripts still get the event.
        Event.Reaction own = new Event.Reaction(CONF, "Design review", first, "alice#1", ALICE, "\uD83C\uDF89", true, true);
        assertThat(own.human()).isEmpty();
        assertThat(json(own).path("emoji").asText()).isEqualTo("\uD83C\uDF89");
        assertThat(json(own).has("own")).isFalse();
        JsonNode j = json(r);
        assertThat(j.path("id").asText()).isEqualTo(first);
        assertThat(j.path("emoji").asText()).isEqualTo("\uD83C\uDF89");
        assertThat(j.path("added").asBoolean()).isTrue();
        assertThat(j.has("ref")).isFalse();
    }

    @Test
    void editsAndDeletesAreMarkedForPeopleAndTheirTextIsMadeSafe() throws Exception {
        String first = MALLORY.id() + ":1";
        Event.MessageEdited e = new Event.MessageEdited(CONF, "Design review", first, 1, MALLORY, HOSTILE, "2026-11-21T19:30:04.803Z");
        assertThat(e.human()).startsWith(Times.stamp(java.time.Instant.parse("2026-11-21T19:30:04.803Z")) + " [Design review] mal\\u202elory (i3ddk6vf) #1: hi")
                .endsWith("  (edited)").doesNotContain("\u001b").doesNotContain("\u0007");
        assertThat(json(e).path("event").asText()).isEqualTo("message-edited");
        assertThat(json(e).path("text").asText()).isEqualTo(HOSTILE);
        Event.MessageDeleted d = new Event.MessageDeleted(CONF, "Design review", first, 1, MALLORY);
        assertThat(d.human()).isEqualTo("[Design review] mal\\u202elory (i3ddk6vf) deleted #1");
        assertThat(json(d).path("event").asText()).isEqualTo("message-deleted");
        assertThat(json(d).has("text")).isFalse();
        Event.MessageDeleted ownDelete = new Event.MessageDeleted(CONF, "Design review", first, 1, ALICE, true);
        assertThat(ownDelete.human()).isEmpty();
        assertThat(json(ownDelete).path("event").asText()).isEqualTo("message-deleted");

        Event.ChatLine edited = new Event.ChatLine(first, 1, ALICE, "hi", "2026-11-21T19:30:04.803Z", false, null, null, null, true, false, null, null);
        assertThat(edited.human()).endsWith(" alice (wrxorxel) #1: hi  (edited)");
        assertThat(line(edited).path("edited").asBoolean()).isTrue();
        assertThat(line(edited).has("deleted")).isFalse();
        Event.ChatLine gone = new Event.ChatLine(first, 1, ALICE, null, "2026-11-21T19:30:04.803Z", false, null, null, null, false, true, null, null);
        assertThat(gone.human()).endsWith(" alice (wrxorxel) #1: (deleted)");
        assertThat(line(gone).path("deleted").asBoolean()).isTrue();
        assertThat(line(gone).has("text")).isFalse();
        assertThat(line(gone).has("edited")).isFalse();
    }
}
