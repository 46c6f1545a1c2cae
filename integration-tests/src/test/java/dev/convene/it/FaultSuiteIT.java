package dev.convene.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.it.harness.ConveneProcess;
import dev.convene.it.harness.EventLog;
import dev.convene.it.harness.Fleet;
import dev.convene.it.harness.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fault and soak suite: real processes, real kills. */
class FaultSuiteIT {
    private Fleet fleet;

    @AfterEach
    void cleanUp() {
        if (fleet != null) fleet.close();
    }

    @Test
    @Timeout(180)
    void tenPeersStartedTogetherFormOneGroup() {
        fleet = Fleet.create("concurrent-start");
        List<ConveneProcess> peers = new ArrayList<>();
        for (int i = 0; i < 10; i++) peers.add(fleet.peer("p" + i));
        Duration timeout = Fleet.scaled(Duration.ofSeconds(90));
        for (ConveneProcess p : peers) p.ready(timeout);
        List<Integer> waits = peers.stream().map(p -> p.send("wait peers 9 --timeout 90s")).toList();
        for (int i = 0; i < peers.size(); i++) {
            EventLog.Event r = peers.get(i).reply(waits.get(i), timeout.plusSeconds(5));
            assertThat(r.type()).as(fleet + " " + peers.get(i).diagnostics()).isEqualTo("result");
        }
        Poll.until(Fleet.scaled(Duration.ofSeconds(30)), () -> peers.stream().allMatch(p -> members(p) == 10),
                () -> "one group of 10 at every peer; " + fleet + " members: "
                        + peers.stream().map(p -> p.name() + "=" + members(p)).collect(Collectors.joining(", ")));
    }

    private static int members(ConveneProcess p) {
        return p.call("stats", Duration.ofSeconds(30)).data().path("members").asInt();
    }
}
