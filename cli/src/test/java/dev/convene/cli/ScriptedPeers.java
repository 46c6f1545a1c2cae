package dev.convene.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The scripted peers of one cluster test, on a cluster of their own, closed after each test: a field
 * {@code @RegisterExtension final ScriptedPeers peers = new ScriptedPeers();} instead of the list, the cluster name,
 * the start method and the {@code @AfterEach} every such test repeated.
 */
final class ScriptedPeers implements AfterEachCallback, Iterable<ScriptedPeer> {
    private final String cluster = CliRun.freshCluster();
    private final List<ScriptedPeer> peers = new ArrayList<>();

    /** A peer named {@code name} with its home in {@code dir/name}, on this test's cluster. */
    ScriptedPeer start(Path dir, String name) {
        return start(dir, name, name);
    }

    /** A peer named {@code name} with its home in {@code dir/homeName} (two peers of one name need two homes). */
    ScriptedPeer start(Path dir, String name, String homeName) {
        ScriptedPeer p = ScriptedPeer.start(dir, cluster, name, homeName);
        peers.add(p);
        return p;
    }

    /** alice and bob (both started here, and no one else) in the live conference "Planning"; returns its id. */
    String planning(ScriptedPeer alice, ScriptedPeer bob) {
        for (ScriptedPeer p : peers) p.call("wait peers 1 --timeout 30s");
        String conf = alice.call("create Planning --invite bob").path("id").asText();
        bob.call("wait invitation Planning --timeout 30s");
        bob.call("accept " + conf);
        alice.call("wait reply " + conf + " bob --timeout 30s");
        return conf;
    }

    @Override
    public Iterator<ScriptedPeer> iterator() {
        return peers.iterator();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        peers.forEach(ScriptedPeer::close);
        peers.clear();
    }
}
