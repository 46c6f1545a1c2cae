package dev.convene.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.it.harness.Chat;
import dev.convene.it.harness.Conferences;
import dev.convene.it.harness.ConveneProcess;
import dev.convene.it.harness.Fleet;
import dev.convene.it.harness.HistoryCheck;
import dev.convene.it.harness.Poll;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12's two scenarios with real processes: a late joiner reads what an author said before it left, and a
 * peer invited after a removal reads the whole history and what follows.
 */
class MembershipIT {
    private static final Duration STEP = Fleet.scaled(Duration.ofSeconds(30));

    private Fleet fleet;

    @AfterEach
    void cleanUp() {
        if (fleet != null) fleet.close();
    }

    private List<ConveneProcess> start(String scenario, String... names) {
        fleet = Fleet.create(scenario);
        List<ConveneProcess> all = java.util.Arrays.stream(names).map(fleet::peer).toList();
        all.forEach(p -> p.ready(STEP));
        List<Integer> waits = all.stream().map(p -> p.send("wait peers " + (names.length - 1) + " --timeout 30s")).toList();
        for (int i = 0; i < all.size(); i++) assertThat(all.get(i).reply(waits.get(i), STEP).type()).as(fleet.diagnostics()).isEqualTo("result");
        return all;
    }

    private static void accept(ConveneProcess p, String conf, String title) {
        p.call("wait invitation " + Conferences.quote(title) + " --timeout 30s", STEP);
        p.call("accept " + conf, STEP);
    }

    private static List<String> texts(ConveneProcess p, String conf) {
        return Chat.history(p, conf, STEP).stream().map(HistoryCheck.Entry::text).toList();
    }

    private static List<String> ids(ConveneProcess p, String conf) {
        return Chat.history(p, conf, STEP).stream().map(HistoryCheck.Entry::id).toList();
    }

    @Test
    @Timeout(150)
    void aLateJoinerReadsWhatAnAuthorSaidBeforeItLeft() {
        List<ConveneProcess> all = start("late-joiner", "ann", "ben", "cat");
        ConveneProcess ann = all.get(0);
        ConveneProcess ben = all.get(1);
        ConveneProcess cat = all.get(2);
        String conf = Conferences.create(ann, "L", "", List.of("ben", "cat"), STEP);
        accept(ben, conf, "L");
        Conferences.awaitReplies(ann, conf, List.of(ben), STEP);
        assertThat(ben.call("say " + conf + " ben was here", STEP).data().path("pending").asBoolean()).isFalse();
        ben.call("leave " + conf, STEP);
        Conferences.awaitReplies(ann, conf, List.of(ben), STEP);
        ann.call("say " + conf + " after ben", STEP);

        accept(cat, conf, "L");
        Poll.until(STEP, () -> texts(cat, conf).size() == 2, () -> "cat: " + texts(cat, conf));
        assertThat(texts(cat, conf)).containsExactly("ben was here", "after ben");
        assertThat(ids(cat, conf)).isEqualTo(ids(ann, conf));
    }

    @Test
    @Timeout(150)
    void aPeerInvitedAfterARemovalReadsEverythingAndWhatFollows() {
        List<ConveneProcess> all = start("after-removal", "ann", "ben", "cat", "dan");
        ConveneProcess ann = all.get(0);
        ConveneProcess ben = all.get(1);
        ConveneProcess cat = all.get(2);
        ConveneProcess dan = all.get(3);
        String conf = Conferences.create(ann, "R", "", List.of("ben", "cat"), STEP);
        Conferences.acceptAll(ann, conf, "R", List.of(ben, cat), STEP);
        Conferences.awaitReplies(ben, conf, List.of(cat), STEP);
        Conferences.awaitReplies(cat, conf, List.of(ben), STEP);
        ben.call("say " + conf + " from ben", STEP);
        cat.call("say " + conf + " from cat", STEP);
        Poll.until(STEP, () -> texts(ann, conf).size() == 2, () -> "ann: " + texts(ann, conf));

        ann.call("remove " + conf + " ben", STEP);
        ann.call("say " + conf + " after the removal", STEP);
        ann.call("invite " + conf + " dan", STEP);
        accept(dan, conf, "R");
        Poll.until(STEP, () -> texts(dan, conf).size() == 3, () -> "dan: " + texts(dan, conf));
        assertThat(texts(dan, conf)).containsExactly("from ben", "from cat", "after the removal");

        cat.call("say " + conf + " welcome dan", STEP);
        Poll.until(STEP, () -> ids(dan, conf).equals(ids(ann, conf)) && ids(cat, conf).equals(ids(ann, conf)) && ids(ann, conf).size() == 4,
                () -> "ann " + texts(ann, conf) + " cat " + texts(cat, conf) + " dan " + texts(dan, conf));
        assertNothingLaterAt(ben, conf);
    }

    /** Ben, removed, shows nothing said after his removal (or cannot read the history at all). */
    private static void assertNothingLaterAt(ConveneProcess ben, String conf) {
        var reply = ben.attempt("history " + conf, STEP);
        if (!reply.is("result")) return;
        var h = ben.events().await(e -> e.is("history") && e.line() == reply.line(), STEP, () -> "ben's history");
        assertThat(Chat.entries(h.json().path("messages")).stream().map(HistoryCheck.Entry::text).toList())
                .doesNotContain("after the removal", "welcome dan");
    }
}
