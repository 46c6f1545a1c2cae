package dev.convene.conference.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.AddressCache;
import dev.convene.overlay.HostPort;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rows nothing waits for, kept by key: replacement, the bound on keys, what may be taken after how many items. */
class PendingRowsTest {
    private final ConferenceId c = Seams.aliceWithBob(ContentCrypto.newKey()).id;

    private static HostPort at(int port) {
        return new HostPort("127.0.0.1", port);
    }

    @Test
    void aRowIsTakenOnlyOnceEveryItemQueuedBeforeItWasOfferedIsTaken() {
        PendingRows p = new PendingRows(16);
        p.record(c, "w/a", new byte[] {1}, 3);
        p.record(c, "w/b", new byte[] {1}, 5);
        p.addresses(List.of(at(7800)), 5);

        PendingRows.Taken first = p.take(4);
        assertThat(first.records().get(c)).containsOnlyKeys("w/a");
        assertThat(first.addresses()).isNull();
        assertThat(p.size()).isEqualTo(2);

        p.record(c, "w/b", new byte[] {2}, 9); // replaced: the newer value waits for the items queued before it
        assertThat(p.take(5).records()).isEmpty();
        PendingRows.Taken later = p.take(9);
        assertThat(later.records().get(c).get("w/b")).containsExactly(2);
        assertThat(p.isEmpty()).isTrue();
        assertThat(p.take(100).isEmpty()).isTrue();
    }

    @Test
    void aFullSetRefusesNewKeysAndReplacesPendingOnes() {
        PendingRows p = new PendingRows(2);
        assertThat(p.record(c, "w/a", new byte[] {1}, 0)).isTrue();
        assertThat(p.addresses(List.of(at(7800)), 0)).isTrue();
        assertThat(p.record(c, "w/b", new byte[] {1}, 0)).isFalse();
        assertThat(p.peer(new dev.convene.overlay.PeerAdvertisement(Fixtures.ALICE.id(), "alice", Fixtures.ALICE.signingKey(),
                Fixtures.ALICE.agreementKey(), "memory", java.util.Set.of(), Fixtures.START), 0)).isFalse();
        assertThat(p.record(c, "w/a", new byte[] {2}, 1)).isTrue();
        assertThat(p.addresses(List.of(at(7801)), 1)).isTrue();
        assertThat(p.addresses(List.of(), 1)).as("an empty view ranks nothing").isTrue();
        assertThat(p.size()).isEqualTo(2);
        PendingRows.Taken t = p.take(1);
        assertThat(t.records().get(c).get("w/a")).containsExactly(2);
        assertThat(t.addresses()).containsExactly(at(7801), at(7800));
    }

    @Test
    void mergedAddressesPutTheNewerViewFirstThenTheOlderOnesOthersAndKeepAtMostWhatTheCacheKeeps() {
        assertThat(PendingRows.merge(List.of(at(2), at(3)), List.of(at(1), at(2)))).containsExactly(at(2), at(3), at(1));
        List<HostPort> many = new ArrayList<>();
        for (int i = 0; i < AddressCache.MAX + 5; i++) many.add(at(10_000 + i));
        List<HostPort> merged = PendingRows.merge(List.of(at(1), at(1)), many);
        assertThat(merged).hasSize(AddressCache.MAX).startsWith(at(1), at(10_000)).doesNotHaveDuplicates();
    }
}
