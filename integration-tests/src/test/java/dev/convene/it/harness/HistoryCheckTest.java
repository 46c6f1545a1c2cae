package dev.convene.it.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker finds each kind of fault, names the peer and the message, and computes its figures. */
class HistoryCheckTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    private static final HistoryCheck.Entry A1 = new HistoryCheck.Entry("ann:1", "ann", "m-ann-1-1");
    private static final HistoryCheck.Entry A2 = new HistoryCheck.Entry("ann:2", "ann", "m-ann-1-2");
    private static final HistoryCheck.Entry B1 = new HistoryCheck.Entry("ben:1", "ben", "m-ben-1-1");

    private static HistoryCheck sentThree() {
        return new HistoryCheck("unit", 42).issued("ann", "m-ann-1-1").issued("ann", "m-ann-1-2").issued("ben", "m-ben-1-1")
                .acknowledged("m-ann-1-1", "ann:1", T).acknowledged("m-ann-1-2", "ann:2", T).acknowledged("m-ben-1-1", "ben:1", T);
    }

    @Test
    void identicalCompleteHistoriesAreClean() {
        HistoryCheck.Report r = sentThree().history("ann", List.of(A1, B1, A2)).history("ben", List.of(A1, B1, A2))
                .convergedIn(Duration.ofMillis(5)).assertClean();
        assertThat(r.sent()).isEqualTo(3);
        assertThat(r.figures()).contains("lost=0 duplicated=0 unexpected=0 divergent=0 convergence=5ms");
    }

    @Test
    void missingAcknowledgedMessageIsLostAtThatPeer() {
        HistoryCheck check = sentThree().history("ann", List.of(A1, B1, A2)).history("ben", List.of(A1, A2));
        assertThat(check.report().lostCount()).isEqualTo(1);
        assertThatThrownBy(check::assertClean).hasMessageContaining("scenario unit (seed 42)")
                .hasMessageContaining("ben: lost 1, e.g. ben:1 ('m-ben-1-1')");
    }

    @Test
    void sameIdTwiceOrSameTextUnderTwoIdsIsDuplicated() {
        HistoryCheck.Entry resent = new HistoryCheck.Entry("ann:3", "ann", "m-ann-1-1");
        HistoryCheck.Report r = sentThree().history("ann", List.of(A1, A1, B1, A2)).history("ben", List.of(A1, B1, A2, resent)).report();
        assertThat(r.duplicated()).containsOnlyKeys("ann", "ben");
        assertThat(r.clean()).isFalse();
    }

    @Test
    void textNobodySentOrForgedAuthorIsUnexpected() {
        HistoryCheck.Entry phantom = new HistoryCheck.Entry("eve:1", "eve", "hello-from-eve");
        HistoryCheck.Entry forged = new HistoryCheck.Entry("eve:2", "eve", "m-ann-1-2");
        HistoryCheck.Report r = sentThree().history("ann", List.of(A1, B1, A2, phantom)).history("ben", List.of(A1, B1, A2, forged)).report();
        assertThat(r.unexpected().get("ann")).singleElement().asString().contains("was never sent");
        assertThat(r.unexpected().get("ben")).singleElement().asString().contains("carries the text of ann:2 by ann");
    }

    @Test
    void differentOrderIsDivergence() {
        HistoryCheck.Report r = sentThree().history("ann", List.of(A1, B1, A2)).history("ben", List.of(B1, A1, A2)).report();
        assertThat(r.divergent()).containsOnlyKeys("ben");
        assertThat(r.divergent().get("ben")).contains("position 0");
    }

    @Test
    void anythingAtAnOutsiderIsUnexpected() {
        HistoryCheck.Report r = sentThree().history("ann", List.of(A1, B1, A2)).outsider("dan", List.of(A1)).report();
        assertThat(r.unexpected()).containsOnlyKeys("dan");
    }

    @Test
    void messageInDoubtNeedNotArriveButMustBeEverywhereIfAnywhere() {
        HistoryCheck check = sentThree().issued("ben", "m-ben-1-2");
        HistoryCheck.Entry b2 = new HistoryCheck.Entry("ben:2", "ben", "m-ben-1-2");
        assertThat(check.history("ann", List.of(A1, B1, A2)).history("ben", List.of(A1, B1, A2)).report().clean()).isTrue();
        assertThat(check.history("ann", List.of(A1, B1, A2, b2)).report().divergent()).containsOnlyKeys("ben");
        assertThat(check.report().inDoubt()).isEqualTo(1);
    }

    @Test
    void latencyPercentilesOverOtherPeersFirstArrivals() {
        HistoryCheck check = sentThree();
        for (int i = 1; i <= 100; i++) check.arrived("peer" + i, "ann:1", T.plusMillis(i));
        check.arrived("peer1", "ann:1", T.plusSeconds(9)); // a second arrival does not count
        check.arrived("ann", "ann:1", T.plusSeconds(9)); // nor the author's own
        HistoryCheck.Latency l = check.report().latency();
        assertThat(l.samples()).isEqualTo(100);
        assertThat(l.p50()).isEqualTo(Duration.ofMillis(50));
        assertThat(l.p99()).isEqualTo(Duration.ofMillis(99));
        assertThat(l.max()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void phaseFiguresCountOnlyThatPhaseButFaultsCoverAll() {
        HistoryCheck check = sentThree().phase("later").issued("ann", "m-ann-1-3").acknowledged("m-ann-1-3", "ann:3", T);
        HistoryCheck.Report r = check.history("ann", List.of(A1, B1, A2)).report();
        assertThat(r.scenario()).isEqualTo("unit/later");
        assertThat(r.sent()).isEqualTo(1);
        assertThat(r.lost().get("ann")).singleElement().asString().startsWith("ann:3");
    }
}
