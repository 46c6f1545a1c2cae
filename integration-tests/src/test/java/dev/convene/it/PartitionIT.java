package dev.convene.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.convene.it.harness.ConveneProcess;
import dev.convene.it.harness.Fleet;
import dev.convene.it.harness.NetLab;
import dev.convene.it.harness.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PartitionIT {
    private static Optional<String> unsupported;
    private Fleet fleet;
    private NetLab lab;

    @BeforeAll
    static void probe() {
        unsupported = NetLab.unsupported();
    }

    @AfterEach
    void cleanUp() {
        try {
            if (fleet != null) fleet.close();
        } finally {
            if (lab != null) lab.close();
        }
    }

    @AfterAll
    static void done() {
    }

    @Test
    @Timeout(180)
    void splitGroupMergesAfterHealing() {
        assumeTrue(unsupported.isEmpty(), () -> "skipped: " + unsupported.orElse(""));
        fleet = Fleet.create("partition");
        lab = NetLab.create(fleet.random());
        String[] names = {"ann", "ben", "cat", "dan"};
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            NetLab.Node n = lab.add(names[i], 10 + i, i < 2 ? NetLab.Side.LEFT : NetLab.Side.RIGHT);
            seeds.add("--seed");
            seeds.add(n.address() + ":7800");
        }
        List<ConveneProcess> peers = new ArrayList<>();
        for (String name : names) {
            List<String> net = new ArrayList<>(List.of("--network", "seeds", "--bind", lab.node(name).address(), "--port", "7800"));
            net.addAll(seeds);
            peers.add(fleet.peer(name, lab.launcher(name), net));
        }
        for (ConveneProcess p : peers) p.ready(Duration.ofSeconds(60));
        awaitMembers(peers, 4);
        lab.split();
        awaitMembers(peers, 2);
        lab.join();
        awaitMembers(peers, 4);
    }

    private void awaitMembers(List<ConveneProcess> peers, int n) {
        Poll.until(Duration.ofSeconds(60), () -> peers.stream().allMatch(p -> members(p) == n),
                () -> "groups of " + n + "; " + fleet + " members: " + peers.stream().map(p -> p.name() + "=" + members(p)).collect(Collectors.joining(", ")));
    }

    private static int members(ConveneProcess p) {
        return p.call("stats", Duration.ofSeconds(30)).data().path("members").asInt();
    }
}
