package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.convene.overlay.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two {@code convene run -} sessions in this JVM on the memory network see each other. */
@Timeout(90)
class RunClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final String cluster = CliRun.freshCluster();
    private final LineFeed aliceIn = new LineFeed();
    private final LineFeed bobIn = new LineFeed();

    @AfterEach
    void endInput() {
        aliceIn.close();
        bobIn.close();
    }

    private CliRun start(String name, LineFeed in) {
        return CliRun.start(in, "--home", dir.resolve(name).toString(), "--name", name, "--network", "memory",
                "--cluster", cluster, "run", "-", "--stream", "--json");
    }

    @Test
    void twoSessionsDiscoverEachOtherAndSeeTheOtherLeave() throws InterruptedException {
        CliRun alice = start("alice", aliceIn);
        CliRun bob = start("bob", bobIn);
        aliceIn.type("wait peers 1 --timeout 30s");
        aliceIn.type("peers");
        bobIn.type("wait peers 1 --timeout 30s");
        bobIn.type("peers");
        TestCluster.awaitCondition(WAIT, () -> alice.results("peers").size() == 1 && bob.results("peers").size() == 1,
                () -> "alice: " + alice + "\nbob: " + bob);

        String aliceId = alice.events("ready").get(0).path("id").asText();
        String bobId = bob.events("ready").get(0).path("id").asText();
        assertThat(peers(alice)).singleElement().satisfies(p -> {
            assertThat(p.path("name").asText()).isEqualTo("bob");
            assertThat(p.path("id").asText()).isEqualTo(bobId);
        });
        assertThat(peers(bob)).singleElement().satisfies(p -> assertThat(p.path("id").asText()).isEqualTo(aliceId));
        assertThat(alice.events("peer-joined")).singleElement()
                .satisfies(e -> assertThat(e.path("fingerprint").asText()).isEqualTo(bob.events("ready").get(0).path("fingerprint").asText()));
        // ready always comes first, before any presence event
        assertThat(alice.events().get(0).path("event").asText()).isEqualTo("ready");

        bobIn.type("quit");
        assertThat(bob.await(WAIT.toMillis())).as(bob.toString()).isZero();
        aliceIn.type("wait peers 0");
        TestCluster.awaitCondition(WAIT, () -> alice.events("peer-left").size() == 1, alice::toString);
        assertThat(alice.events("peer-left").get(0).path("name").asText()).isEqualTo("bob");
        aliceIn.close();
        assertThat(alice.await(WAIT.toMillis())).as(alice.toString()).isZero();
    }

    @Test
    void aWaitIsSatisfiedByWhatAlreadyHappened() throws InterruptedException {
        CliRun alice = start("alice", aliceIn);
        CliRun bob = start("bob", bobIn);
        bobIn.type("wait peers 1 --timeout 30s");
        TestCluster.awaitCondition(WAIT, () -> alice.events("peer-joined").size() == 1, alice::toString);
        // bob joined long before alice asks: the wait returns at once
        aliceIn.type("wait peers 1 --timeout 1ms");
        TestCluster.awaitCondition(WAIT, () -> alice.results("wait").size() == 1 || !alice.events("error").isEmpty(), alice::toString);
        assertThat(alice.events("error")).isEmpty();
        aliceIn.close();
        bobIn.close();
        assertThat(alice.await(WAIT.toMillis())).isZero();
        assertThat(bob.await(WAIT.toMillis())).isZero();
    }

    private static List<JsonNode> peers(CliRun r) {
        return iterable(r.results("peers").get(0).at("/data/peers"));
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
