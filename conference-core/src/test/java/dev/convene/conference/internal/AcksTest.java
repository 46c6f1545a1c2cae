package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.MessageId;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Acknowledgements driven directly: coalesced when sent, settling own pending messages when received. */
class AcksTest {
    private final Conference c = Seams.aliceWithBob(ContentCrypto.newKey());

    @Test
    void aBurstOfAcksSchedulesOneFlushAndNoneGoesToItself() {
        Seams bob = new Seams(BOB);
        bob.s.conferences.put(c.id, c);
        bob.acks.ack(c, BOB.id());
        assertThat(bob.scheduled).isEmpty();
        bob.acks.ack(c, ALICE.id());
        bob.acks.ack(c, ALICE.id());
        bob.acks.ack(c, MALLORY.id());
        assertThat(bob.scheduled).hasSize(1);
    }

    private CompletableFuture<ChatEntry> pending(Conference c, long sequence) {
        ChatEntry e = new ChatEntry(c.id, new MessageId(ALICE.id(), sequence), Seams.at(sequence), "alice", "text " + sequence, true);
        c.history.put(e, e);
        c.entries.put(e.id(), e);
        CompletableFuture<ChatEntry> f = new CompletableFuture<>();
        c.awaitingAck.put(sequence, f);
        return f;
    }

    @Test
    void anAckSettlesEveryOwnMessageUpToItsSequence() {
        Seams alice = new Seams(ALICE);
        alice.s.conferences.put(c.id, c);
        CompletableFuture<ChatEntry> one = pending(c, 1);
        CompletableFuture<ChatEntry> two = pending(c, 2);
        CompletableFuture<ChatEntry> three = pending(c, 3);

        alice.acks.onAck(BOB.id(), new ChatAck(c.id, ALICE.id(), 2));

        assertThat(one.join().pending()).isFalse();
        assertThat(two.join().pending()).isFalse();
        assertThat(three).isNotDone();
        assertThat(c.awaitingAck).containsOnlyKeys(3L);
        assertThat(c.entries.get(new MessageId(ALICE.id(), 2)).pending()).isFalse();
        assertThat(c.history.values()).filteredOn(ChatEntry::pending).hasSize(1);
        assertThat(alice.heard).containsExactly("delivered 1", "delivered 2");
    }

    @Test
    void anAckFromANonParticipantOrForAnotherAuthorIsIgnored() {
        Seams alice = new Seams(ALICE);
        alice.s.conferences.put(c.id, c);
        CompletableFuture<ChatEntry> one = pending(c, 1);
        alice.acks.onAck(MALLORY.id(), new ChatAck(c.id, ALICE.id(), 1));
        alice.acks.onAck(BOB.id(), new ChatAck(c.id, BOB.id(), 1));
        assertThat(one).isNotDone();
        assertThat(alice.heard).isEmpty();
    }
}
