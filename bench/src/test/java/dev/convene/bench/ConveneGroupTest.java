package dev.convene.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferencePeer;
import dev.convene.overlay.NetworkMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ConveneGroupTest {
    /**
     * A group whose directories never complete (one peer in a cluster of its own, on the memory network) is described
     * peer by peer: who lacks how many, how large their JGroups views are, who is missing most often (what
     * {@link ConveneGroup#awaitDirectories} says when it times out).
     */
    @Test
    void directoriesThatNeverCompleteAreReportedPeerByPeer() throws Exception {
        try (Workspace ws = new Workspace();
             ConveneGroup two = ConveneGroup.start(ws, "pair", 2, NetworkMode.MEMORY, false);
             ConveneGroup alone = ConveneGroup.start(ws, "alone", 1, NetworkMode.MEMORY, false)) {
            List<ConferencePeer> all = new ArrayList<>(two.peers());
            all.addAll(alone.peers());
            assertThat(ConveneGroup.incomplete(two.peers())).isEqualTo("every directory is complete now");

            String why = ConveneGroup.incomplete(all);

            assertThat(why).isEqualTo("3 of 3 peers lack someone: alone0 lacks 2 (view of 1), pair0 lacks 1 (view of 2),"
                    + " pair1 lacks 1 (view of 2); missing most often: alone0 from 2, pair0 from 1, pair1 from 1");
        }
    }
}
