package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.TestEvents.CURSOR;
import static dev.convene.conference.TestEvents.POLL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceEvent;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.TestEvents;
import dev.convene.conference.TestEvents.Cursor;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile typed events: a durable event by a peer that is not a participant, one whose header is malformed,
 * ephemeral events from an outsider and from a removed participant. Each is refused and counted; the peer goes on.
 */
@Timeout(120)
class EventAttackClusterTest {

    /** A chat message whose plaintext is {@code plain}, signed by its author as an honest peer's. */
    static ChatMessage typed(Identity author, ConferenceId id, long seq, HlcTimestamp ts, byte[] key, byte[] plain) {
        ChatMessage draft = new ChatMessage(id, author.id(), seq, ts, 0, new byte[0], new byte[0]);
        byte[] body = ContentCrypto.encrypt(key, plain, draft.aad());
        ChatMessage unsigned = new ChatMessage(id, author.id(), seq, ts, 0, body, new byte[0]);
        return new ChatMessage(id, author.id(), seq, ts, 0, body, author.sign(Protocol.bytes(Protocol.CHAT_BODY, unsigned)));
    }

    static EphemeralFrame ephemeral(PeerId sender, ConferenceId id, long seq, HlcTimestamp ts, int epoch, byte[] key, byte[] plain) {
        EphemeralFrame draft = new EphemeralFrame(id, seq, ts, epoch, new byte[0]);
        return new EphemeralFrame(id, seq, ts, epoch, ContentCrypto.encrypt(key, plain, draft.aad(sender)));
    }

    static byte[] vote(String v) {
        return TypedEvents.plaintext(POLL, v.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] cursor(int x, int y) {
        return TypedEvents.plaintext(CURSOR, TestEvents.CURSOR_CODEC.encode(new Cursor(x, y)));
    }

    @Test
    void badEventsAreRefusedAndCountedAndThePeerGoesOn() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice", b -> b.eventType(POLL).eventType(CURSOR));
            ConferencePeer bob = cl.start("bob", b -> b.eventType(POLL).eventType(CURSOR));
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory");
                 HostilePeer eve = HostilePeer.besides(alice, "eve")) {
                cl.awaitDirectories(alice, bob);
                eve.awaitSeenBy(List.of(alice, bob));
                ConferenceId id = Scenarios.live("Votes", alice, List.of(bob), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                List<String> votes = new CopyOnWriteArrayList<>();
                List<String> cursors = new CopyOnWriteArrayList<>();
                alice.onEvent(POLL, e -> votes.add(e.author().shortId() + " " + e.value()));
                alice.onEvent(CURSOR, e -> cursors.add(e.author().shortId() + " " + e.value()));

                // A durable event by a peer that is not a participant (it got the key somehow): refused before delivery.
                long rejected = HostilePeer.rejected(alice);
                eve.send(alice, typed(eve.identity(), id, 1, eve.now(), key, vote("eve votes")));
                Scenarios.awaitRejected(alice, rejected + 1);

                // A participant's event whose header is malformed: counted, settled, its next message flows.
                byte[] badHeader = {(byte) 0xFF, (byte) 200, 'x'};
                mallory.send(alice, typed(mallory.identity(), id, 1, mallory.now(), key, badHeader));
                mallory.send(alice, typed(mallory.identity(), id, 2, mallory.now(), key, vote("mallory votes")));
                await(() -> votes.contains(mallory.id().shortId() + " mallory votes"), () -> "alice: " + votes);
                assertThat(alice.eventStats().malformed()).isEqualTo(1);
                assertThat(votes).containsExactly(mallory.id().shortId() + " mallory votes");
                assertThat(alice.history(id)).isEmpty();

                // Ephemeral: from a participant it is delivered; from an outsider, refused.
                mallory.send(alice, ephemeral(mallory.id(), id, 1, mallory.now(), 0, key, cursor(1, 1)));
                await(() -> cursors.size() == 1, () -> "alice cursors: " + cursors);
                eve.send(alice, ephemeral(eve.id(), id, 1, eve.now(), 0, key, cursor(6, 6)));
                await(() -> alice.eventStats().ephemeralRefused() == 1, () -> "alice: " + alice.eventStats());
                // One sealed for another sender does not open: the sender is bound by the associated data.
                eve.send(alice, ephemeral(mallory.id(), id, 2, eve.now(), 0, key, cursor(7, 7)));
                await(() -> alice.eventStats().ephemeralRefused() == 2, () -> "alice: " + alice.eventStats());

                // A removed participant still holds the old key; its ephemeral events are refused all the same.
                alice.remove(id, mallory.id()).join();
                await(() -> !alice.conference(id).orElseThrow().participants().contains(mallory.id()), () -> "mallory still in");
                mallory.send(alice, ephemeral(mallory.id(), id, 3, mallory.now(), 0, key, cursor(8, 8)));
                await(() -> alice.eventStats().ephemeralRefused() == 3, () -> "alice: " + alice.eventStats());
                assertThat(cursors).containsExactly(mallory.id().shortId() + " " + new Cursor(1, 1));
                assertThat(alice.events(id, POLL)).extracting(ConferenceEvent::value).containsExactly("mallory votes");

                Scenarios.stillChats(alice, id, bob);
                bob.publish(id, POLL, "bob votes").join().acknowledged().get(30, java.util.concurrent.TimeUnit.SECONDS);
                await(() -> votes.contains(bob.self().shortId() + " bob votes"), () -> "alice: " + votes);
            }
        }
    }
}
