package dev.convene.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.it.harness.Chat;
import dev.convene.it.harness.Conferences;
import dev.convene.it.harness.ConveneProcess;
import dev.convene.it.harness.Fleet;
import dev.convene.it.harness.HistoryCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * A peer killed with SIGKILL in the middle of a chat, then started again on the same home, catches up and
 * ends with the same history as everyone else; nothing acknowledged is lost, nothing is doubled. Run for a
 * participant and for the organiser; each is killed twice: once restarted at once (before FD_ALL3's 6 s
 * timeout would notice a silent peer; FD_SOCK2 sees the kill itself at once) and once restarted 8 s later
 * (after it).
 */
class CrashRecoveryIT {
    private static final Duration STEP = Fleet.scaled(Duration.ofSeconds(30));
    private static final Duration PACE = Duration.ofMillis(200);
    private static final List<String> NAMES = List.of("ann", "ben", "cat", "dan");

    private Fleet fleet;

    @AfterEach
    void cleanUp() {
        if (fleet != null) fleet.close();
    }

    @ParameterizedTest(name = "{0} killed")
    @ValueSource(strings = {"cat", "ann"})
    @Timeout(180)
    void killedPeerCatchesUpAfterFastAndSlowRestarts(String victim) {
        String scenario = victim.equals("ann") ? "crash-organiser" : "crash-participant";
        fleet = Fleet.create(scenario);
        List<ConveneProcess> peers = NAMES.stream().map(fleet::peer).toList();
        peers.forEach(p -> p.ready(STEP));
        for (ConveneProcess p : peers) p.call("wait peers 3 --timeout 30s", STEP);
        ConveneProcess ann = peers.get(0);
        String conf = Conferences.create(ann, "Crash drill", "kill -9 mid-chat", NAMES.subList(1, 4), STEP);
        Conferences.acceptAll(ann, conf, "Crash drill", peers.subList(1, 4), STEP);
        for (ConveneProcess p : peers.subList(1, 4)) Conferences.awaitReplies(p, conf, peers.subList(1, 4), STEP);

        HistoryCheck check = new HistoryCheck(scenario, fleet.seed());
        Chat chat = new Chat(fleet, conf, check);
        int[] step = {0};
        chat.paced(NAMES, PACE, Duration.ofSeconds(14), elapsed -> {
            fleet.retryRefusedStarts();
            if (step[0] == 0 && elapsed.toMillis() >= 2_000) {
                // Fast: back before FD_ALL3 would have suspected it.
                fleet.restart(fleet.get(victim));
                step[0]++;
            } else if (step[0] == 1 && elapsed.toMillis() >= 5_000) {
                fleet.get(victim).kill();
                step[0]++;
            } else if (step[0] == 2 && elapsed.toMillis() >= 13_000) {
                // Slow: 8 s down, longer than FD_ALL3's timeout (6 s) plus VERIFY_SUSPECT2 (0.5 s).
                fleet.restart(fleet.get(victim));
                step[0]++;
            }
            return true;
        });
        assertThat(step[0]).as("every fault ran").isEqualTo(3);
        ConveneProcess back = fleet.ready(victim, STEP);
        Instant faultsOver = Instant.now();
        chat.drain(STEP);
        chat.harvest();
        assertThat(chat.errors()).as("say errors; " + fleet).isEmpty();
        chat.converge(NAMES, faultsOver, Fleet.scaled(Duration.ofSeconds(60)));
        HistoryCheck.Report report = check.assertClean();
        assertThat(report.sent()).as(report.figures()).isGreaterThan(100);
        assertThat(back.generation()).isEqualTo(3 + fleet.portRetries());
    }
}
