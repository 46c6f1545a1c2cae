package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.TestCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code convene router} relays two peers in {@code relay} mode and reports who registers and leaves. */
@Timeout(90)
class RouterClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void peersFindEachOtherThroughTheRouter() throws Exception {
        int port = freeLoopbackPort();
        String cluster = CliRun.freshCluster();
        LineFeed none = new LineFeed();
        LineFeed aliceIn = new LineFeed();
        LineFeed bobIn = new LineFeed();
        CliRun router = CliRun.start(none, "--port", Integer.toString(port), "--json", "router");
        try {
            TestCluster.awaitCondition(WAIT, () -> !router.events("ready").isEmpty() || router.exitCode() != null, router::toString);
            assertThat(router.events("ready").get(0).path("address").asText()).isEqualTo("127.0.0.1:" + port);
            assertThat(router.events("ready").get(0).path("network").asText()).isEqualTo("relay");

            String[] common = {"--network", "relay", "--router", "127.0.0.1:" + port, "--cluster", cluster, "--json"};
            CliRun alice = CliRun.start(aliceIn, concat(common, "--home", dir.resolve("a").toString(), "--name", "alice", "run", "-", "--stream"));
            CliRun bob = CliRun.start(bobIn, concat(common, "--home", dir.resolve("b").toString(), "--name", "bob", "run", "-", "--stream"));
            aliceIn.type("wait peers 1 --timeout 30s");
            bobIn.type("wait peers 1 --timeout 30s");
            TestCluster.awaitCondition(WAIT, () -> alice.results("wait").size() == 1 && bob.results("wait").size() == 1,
                    () -> alice + "\n" + bob + "\n" + router);
            TestCluster.awaitCondition(WAIT, () -> router.events("router-client-joined").size() >= 2, router::toString);
            assertThat(router.events("router-client-joined")).allSatisfy(e -> assertThat(e.path("group").asText()).isEqualTo(cluster));

            bobIn.close();
            assertThat(bob.await(WAIT.toMillis())).as(bob.toString()).isZero();
            TestCluster.awaitCondition(WAIT, () -> !router.events("router-client-left").isEmpty(), router::toString);
            aliceIn.close();
            assertThat(alice.await(WAIT.toMillis())).as(alice.toString()).isZero();
        } finally {
            aliceIn.close();
            bobIn.close();
            router.interrupt();
        }
        assertThat(router.await(WAIT.toMillis())).as(router.toString()).isZero();
    }

    @Test
    void losingTheRouterIsNotBobLeft() throws Exception {
        int port = freeLoopbackPort();
        String cluster = CliRun.freshCluster();
        LineFeed aliceIn = new LineFeed();
        LineFeed bobIn = new LineFeed();
        CliRun router = CliRun.start(new LineFeed(), "--port", Integer.toString(port), "--json", "router");
        try {
            TestCluster.awaitCondition(WAIT, () -> !router.events("ready").isEmpty() || router.exitCode() != null, router::toString);
            String[] common = {"--network", "relay", "--router", "127.0.0.1:" + port, "--cluster", cluster, "--json"};
            CliRun alice = CliRun.start(aliceIn, concat(common, "--home", dir.resolve("a").toString(), "--name", "alice", "run", "-", "--stream"));
            CliRun bob = CliRun.start(bobIn, concat(common, "--home", dir.resolve("b").toString(), "--name", "bob", "run", "-", "--stream"));
            aliceIn.type("wait peers 1 --timeout 30s");
            bobIn.type("wait peers 1 --timeout 30s");
            TestCluster.awaitCondition(WAIT, () -> alice.results("wait").size() == 1 && bob.results("wait").size() == 1,
                    () -> alice + "\n" + bob + "\n" + router);
            router.interrupt();
            assertThat(router.await(WAIT.toMillis())).as(router.toString()).isZero();
            TestCluster.awaitCondition(Duration.ofSeconds(90), () -> !alice.events("peer-left").isEmpty(), alice::toString);
            assertThat(alice.events("peer-left").get(0).path("reason").asText()).as(alice.toString()).isEqualTo("routers-unreachable");
        } finally {
            aliceIn.close();
            bobIn.close();
            router.interrupt();
        }
    }

    @Test
    void aPortInUseIsAOneLineFailure() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun r = CliRun.run("--port", Integer.toString(taken.getLocalPort()), "router");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err().strip()).doesNotContain("\n")
                    .startsWith("convene: cannot listen on 127.0.0.1:" + taken.getLocalPort()).contains("choose another --port");
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
