package dev.convene.it;

import static dev.convene.it.harness.Conferences.quote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.it.harness.Chat;
import dev.convene.it.harness.Conferences;
import dev.convene.it.harness.ConveneProcess;
import dev.convene.it.harness.EventLog;
import dev.convene.it.harness.Fleet;
import dev.convene.it.harness.HistoryCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four real processes act out a whole conference through the command line: ann organises it with an
 * agenda and invites three; ben and cat accept, dan declines with a reason; the participants chat; ann
 * leaves and the others go on. Every participant ends with the same history; ann keeps what was said
 * while she took part; dan, who declined, has none.
 */
class ConferenceStoryIT {
    private static final Duration STEP = Fleet.scaled(Duration.ofSeconds(30));
    private static final String TITLE = "Quarterly planning";
    private static final String AGENDA = "1. roadmap; 2. budget — €, 日本 (it's short)";
    private static final String REASON = "on leave that week";

    private Fleet fleet;

    @AfterEach
    void cleanUp() {
        if (fleet != null) fleet.close();
    }

    @Test
    @Timeout(150)
    void participantsShareOneHistoryAfterOrganiserLeavesAndDeclinerHasNone() {
        fleet = Fleet.create("story");
        ConveneProcess ann = fleet.peer("ann");
        ConveneProcess ben = fleet.peer("ben");
        ConveneProcess cat = fleet.peer("cat");
        ConveneProcess dan = fleet.peer("dan");
        List<ConveneProcess> all = List.of(ann, ben, cat, dan);
        all.forEach(p -> p.ready(STEP));
        List<Integer> waits = all.stream().map(p -> p.send("wait peers 3 --timeout 30s")).toList();
        for (int i = 0; i < all.size(); i++) assertThat(all.get(i).reply(waits.get(i), STEP).type()).as(fleet.diagnostics()).isEqualTo("result");

        String conf = Conferences.create(ann, TITLE, AGENDA, List.of("ben", "cat", "dan"), STEP);
        for (ConveneProcess p : List.of(ben, cat, dan)) {
            p.call("wait invitation " + quote(TITLE) + " --timeout 30s", STEP);
            EventLog.Event inv = p.events().await(e -> e.is("invitation") && conf.equals(e.json().path("conference").asText()), STEP,
                    () -> "the invitation");
            assertThat(inv.json().path("agenda").asText()).as(p + " reads the agenda").isEqualTo(AGENDA);
            assertThat(inv.json().path("organiser").path("id").asText()).as(p + " knows the organiser").isEqualTo(ann.id());
        }
        ben.call("accept " + conf, STEP);
        cat.call("accept " + conf, STEP);
        dan.call("decline " + conf + " " + REASON, STEP);
        for (ConveneProcess p : List.of(ann, ben, cat)) {
            p.call("wait reply " + conf + " dan --timeout 30s", STEP);
            EventLog.Event reply = p.events().await(e -> e.is("reply") && dan.id().equals(e.json().path("peer").path("id").asText()),
                    STEP, () -> "dan's reply");
            assertThat(reply.json().path("answer").asText()).as(p + " sees dan decline").isEqualTo("decline");
            assertThat(reply.json().path("reason").asText()).as(p + " reads dan's reason").isEqualTo(REASON);
        }
        Conferences.awaitReplies(ann, conf, List.of(ben, cat), STEP);
        Conferences.awaitReplies(ben, conf, List.of(cat), STEP);
        Conferences.awaitReplies(cat, conf, List.of(ben), STEP);

        HistoryCheck check = new HistoryCheck("story", fleet.seed());
        Chat chat = new Chat(fleet, conf, check);
        for (int round = 0; round < 4; round++) {
            for (ConveneProcess p : List.of(ann, ben, cat)) chat.sayAndWait(p, STEP);
        }
        String lastBeforeLeave = chat.say(ben);
        chat.drain(STEP);
        cat.call("wait message " + conf + " " + lastBeforeLeave + " --timeout 30s", STEP);
        ann.call("wait message " + conf + " " + lastBeforeLeave + " --timeout 30s", STEP);

        ann.call("leave " + conf, STEP);
        for (ConveneProcess p : List.of(ben, cat)) {
            p.events().await(e -> e.is("participant-left") && ann.id().equals(e.json().path("peer").path("id").asText()), STEP,
                    () -> "ann leaving");
        }
        chat.harvest();
        List<String> beforeLeave = check.acknowledgedIds();
        Instant afterLeave = Instant.now();
        for (int round = 0; round < 4; round++) {
            for (ConveneProcess p : List.of(ben, cat)) chat.sayAndWait(p, STEP);
        }
        chat.drain(STEP);
        chat.harvest();
        assertThat(chat.errors()).as("say errors; " + fleet).isEmpty();

        chat.converge(List.of("ben", "cat"), afterLeave, STEP);
        List<HistoryCheck.Entry> annHistory = Chat.history(ann, conf, STEP);
        assertThat(annHistory.stream().map(HistoryCheck.Entry::id).toList())
                .as("ann keeps exactly what was said while she took part, in the participants' order; " + fleet)
                .isEqualTo(Chat.history(ben, conf, STEP).stream().map(HistoryCheck.Entry::id).filter(beforeLeave::contains).toList());

        EventLog.Event danHistory = dan.attempt("history " + conf, STEP);
        if (danHistory.is("result")) {
            EventLog.Event h = dan.events().await(e -> e.is("history") && e.line() == danHistory.line(), STEP, () -> "dan's history");
            check.outsider("dan", Chat.entries(h.json().path("messages")));
        }
        assertThat(dan.events().all("message")).as("dan declined and receives no chat").isEmpty();
        check.assertClean();
        assertThat(check.acknowledgedCount()).isEqualTo(21);
    }
}
