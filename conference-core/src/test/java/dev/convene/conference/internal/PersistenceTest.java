package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceState;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durability driven directly with a real store: saved when changed, restored as it was, set aside when unreadable. */
class PersistenceTest {
    @TempDir
    Path home;
    private final byte[] key = ContentCrypto.newKey();

    private record Peer(Seams seams, Persistence persistence, ConferenceStore store) {
    }

    private Peer bob() {
        ConferenceStore store = SqliteStore.open(home, BOB.id().value());
        Seams seams = new Seams(BOB, store);
        return new Peer(seams, new Persistence(seams.s, seams.keys, seams.chat), store);
    }

    @Test
    void aConferenceIsSavedOnlyWhenItChangedAndComesBackWithItsKeysAndChat() {
        Peer first = bob();
        Conference c = Seams.aliceWithBob(key);
        first.persistence.persist(c);
        long written = first.store.metaBytesWritten();
        assertThat(written).isPositive();
        first.persistence.persist(c);
        assertThat(first.store.metaBytesWritten()).isEqualTo(written);
        first.store.saveChat(Fixtures.chat(ALICE, c.id, 1, Seams.at(1), key, "kept"), "alice");
        first.store.close();

        Peer again = bob();
        again.persistence.restore();
        Conference back = again.seams.s.conferences.get(c.id);
        assertThat(back).isNotNull();
        assertThat(again.seams.s.readable).containsKey(c.id);
        assertThat(again.seams.s.views.get(c.id).state()).isEqualTo(ConferenceState.LIVE);
        assertThat(back.keys.get(0)).isEqualTo(key);
        assertThat(back.participants()).contains(BOB.id());
        assertThat(back.history.values()).extracting(ChatEntry::text, ChatEntry::authorName).containsExactly(
                org.assertj.core.groups.Tuple.tuple("kept", "alice"));
        assertThat(again.seams.heard).isEmpty(); // restored silently
        again.store.close();
    }

    @Test
    void aStoredConferenceThatCannotBeReadIsSetAsideAndCounted() {
        Peer first = bob();
        Conference c = Seams.aliceWithBob(key);
        first.store.saveConference(c.id, new ConferenceStore.SavedConference(c.id, new byte[] {1, 2, 3}, Map.of(), 0, 0), Map.of());
        first.store.close();

        Peer again = bob();
        again.persistence.restore();
        assertThat(again.seams.s.conferences).isEmpty();
        assertThat(again.seams.s.counters.snapshot().conferenceFailures()).isEqualTo(1);
        assertThat(again.store.quarantined()).isEqualTo(1);
        again.store.close();
    }
}
