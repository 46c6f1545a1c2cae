package dev.convene.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.HostPort;
import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One store: a conference peer keeps the discovery cache (addresses of peers seen) in {@code HOME/convene.db},
 * not in {@code HOME/known-peers}, and imports an old file once.
 */
@Timeout(120)
class StoredAddressesClusterTest {

    @Test
    void aRestartFindsItsGroupAgainThroughAddressesInTheStore(@TempDir Path dir) throws Exception {
        try (TestCluster c = TestCluster.tcp()) {
            int base = c.basePort();
            Path home = dir.resolve("alice");
            Identity alice = Identity.generate();
            try (ConferencePeer seed = start(c, "seed", dir.resolve("seed"), Identity.generate(), base, base)) {
                ConferencePeer a = start(c, "alice", home, alice, base + 4, base);
                TestCluster.awaitFullDirectory(ConferenceCluster.WAIT, List.of(seed.overlay(), a.overlay()));
                a.close();
                assertThat(storedAddresses(home)).contains("127.0.0.1:" + base);
                assertThat(home.resolve("known-peers")).doesNotExist();

                // seeds that lead nowhere: only the stored address finds the group
                try (ConferencePeer a2 = start(c, "alice", home, alice, base + 4, base + 9)) {
                    ConferenceCluster.await(() -> a2.directory().isOnline(seed.self()), () -> "seed not online at alice");
                }
            }
        }
    }

    @Test
    void aHomeWithAnOldKnownPeersFileIsMigratedOnceAndTheFileDeleted(@TempDir Path dir) throws Exception {
        try (TestCluster c = TestCluster.tcp()) {
            int base = c.basePort();
            Path home = dir.resolve("alice");
            Files.createDirectories(home);
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("convene.db"));
                 Statement s = db.createStatement()) { // a store of schema 1
                s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("PRAGMA user_version=1");
            }
            Files.writeString(home.resolve("known-peers"), "# addresses of peers seen before\n127.0.0.1:" + base
                    + "\nnot an address\n127.0.0.1:70000\n127.0.0.1:" + (base + 3) + "\n");
            try (ConferencePeer seed = start(c, "seed", dir.resolve("seed"), Identity.generate(), base, base);
                 ConferencePeer a = start(c, "alice", home, Identity.generate(), base + 4, base + 9)) {
                assertThat(home.resolve("known-peers")).doesNotExist();
                assertThat(a.overlay().stackDescription()).contains("127.0.0.1[" + base + "]");
                ConferenceCluster.await(() -> a.directory().isOnline(seed.self()), () -> "seed not online at alice");
            }
            assertThat(storedAddresses(home)).startsWith("127.0.0.1:" + base).contains("127.0.0.1:" + (base + 3))
                    .doesNotContain("127.0.0.1:70000");
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("convene.db"));
                 ResultSet r = db.createStatement().executeQuery("PRAGMA user_version")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getInt(1)).isEqualTo(2);
            }
        }
    }

    private static ConferencePeer start(TestCluster c, String name, Path home, Identity id, int port, int seedPort) {
        OverlayConfig config = c.config(name, home).mode(NetworkMode.SEEDS).seeds(List.of(new HostPort("127.0.0.1", seedPort)))
                .port(port).portRange(0).timings(ConferenceCluster.FAST).build();
        return ConferencePeer.builder(config, id).start();
    }

    private static List<String> storedAddresses(Path home) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("convene.db"));
             ResultSet r = db.createStatement().executeQuery("SELECT host, port FROM known_address ORDER BY rank DESC")) {
            while (r.next()) out.add(r.getString(1) + ":" + r.getInt(2));
        }
        return out;
    }
}
