package dev.convene.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferencePeer;
import dev.convene.overlay.Identity;
import dev.convene.overlay.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A name looked up for an event told while the peer stops (a participant leaving as this peer quits) is its short
 * id, not an exception: the CLI printed a warning with a stack trace on stderr for it when two peers quit together.
 */
@Timeout(60)
class PeerViewTest {
    @Test
    void aNameLookedUpOnAClosedPeerIsTheShortId() {
        try (TestCluster cluster = TestCluster.memory()) {
            ConferencePeer alice = ConferencePeer.builder(cluster.config("alice", null).build(), Identity.generate()).start();
            var bob = Identity.generate().id();
            assertThat(PeerView.name(alice, bob)).isEqualTo(bob.shortId());
            alice.close();
            assertThat(PeerView.name(alice, bob)).isEqualTo(bob.shortId());
            assertThat(PeerView.name(alice, alice.self())).isEqualTo("alice");
        }
    }
}
