package dev.convene.it;

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
 * eve runs a peer on the same overlay as a live conference she was not invited to. She knows its id and
 * title (as if told out of band) and tries to list it, read its history, post to it and accept it: she
 * sees nothing, each attempt fails with a clear error, she receives no chat, and the participants'
 * histories hold nothing of hers.
 */
class UninvitedPeerIT {
    private static final Duration STEP = Fleet.scaled(Duration.ofSeconds(30));
    private static final String TITLE = "Board only";

    private Fleet fleet;

    @AfterEach
    void cleanUp() {
        if (fleet != null) fleet.close();
    }

    @Test
    @Timeout(120)
    void outsiderSeesNothingAndCannotPost() {
        fleet = Fleet.create("uninvited");
        ConveneProcess ann = fleet.peer("ann");
        ConveneProcess ben = fleet.peer("ben");
        ConveneProcess cat = fleet.peer("cat");
        ConveneProcess eve = fleet.peer("eve");
        List<ConveneProcess> all = List.of(ann, ben, cat, eve);
        all.forEach(p -> p.ready(STEP));
        for (ConveneProcess p : all) p.call("wait peers 3 --timeout 30s", STEP);
        String conf = Conferences.create(ann, TITLE, "not for eve", List.of("ben", "cat"), STEP);
        Conferences.acceptAll(ann, conf, TITLE, List.of(ben, cat), STEP);
        Conferences.awaitReplies(ben, conf, List.of(cat), STEP);
        Conferences.awaitReplies(cat, conf, List.of(ben), STEP);

        HistoryCheck check = new HistoryCheck("uninvited", fleet.seed());
        Chat chat = new Chat(fleet, conf, check);
        Instant start = Instant.now();
        for (int round = 0; round < 3; round++) {
            for (ConveneProcess p : List.of(ann, ben, cat)) chat.sayAndWait(p, STEP);
        }

        EventLog.Event listed = eve.call("conferences", STEP);
        assertThat(listed.data().path("count").asInt()).as("eve lists no conference: " + listed).isZero();
        assertThat(eve.call("invitations", STEP).data().path("count").asInt()).as("eve has no invitation").isZero();
        for (String reference : List.of(conf, conf.substring(0, 8), Conferences.quote(TITLE))) {
            assertError(eve.attempt("history " + reference, STEP), "history " + reference);
            assertError(eve.attempt("say " + reference + " hello-from-eve", STEP), "say " + reference);
            assertError(eve.attempt("accept " + reference, STEP), "accept " + reference);
        }
        EventLog.Event waited = eve.attempt("wait message " + conf + " m-ann-1-1 --timeout 2s", STEP);
        assertThat(waited.type()).as("eve cannot wait for its messages either: " + waited).isEqualTo("error");

        // The conference goes on after eve's attempts; then everyone compares.
        for (ConveneProcess p : List.of(ann, ben, cat)) chat.sayAndWait(p, STEP);
        chat.drain(STEP);
        chat.harvest();
        chat.converge(List.of("ann", "ben", "cat"), start, STEP);
        HistoryCheck.Report report = check.assertClean();
        for (String name : List.of("ann", "ben", "cat")) {
            assertThat(Chat.history(fleet.get(name), conf, STEP)).as(name + " holds nothing of eve's; " + report.figures())
                    .noneMatch(e -> e.author().equals(eve.id()) || e.text().contains("eve"));
        }
        assertThat(eve.events().all("message")).as("eve received no chat").isEmpty();
        assertThat(eve.events().all("invitation")).as("eve received no invitation").isEmpty();
        assertThat(eve.events().all("history")).as("eve was shown no history").isEmpty();
    }

    /** A refusal that names the conference reference and says what to do next. */
    private static void assertError(EventLog.Event reply, String attempt) {
        assertThat(reply.type()).as("eve's '" + attempt + "' must fail: " + reply).isEqualTo("error");
        String message = reply.json().path("message").asText();
        assertThat(message).as("the error for '" + attempt + "' is one clear line").isNotBlank().doesNotContain("\n")
                .doesNotContain("Exception");
    }
}
