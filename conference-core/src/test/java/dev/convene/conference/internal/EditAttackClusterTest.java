package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.EventAttackClusterTest.typed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MessageId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Edits and deletes from a participant that writes its own bytes: of another author's message, of a message after
 * its own, malformed. Each is refused and counted at the peer it was sent to and at the peer it was relayed to,
 * the victim's message stays as it was everywhere, the author's next messages flow, and its own edit applies.
 */
@Timeout(120)
class EditAttackClusterTest {

    @Test
    void editsAndDeletesOfAnotherAuthorsMessageAreRefusedEverywhere() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Edits", alice, List.of(bob), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                MessageId m1 = alice.say(id, "hello").join().entry().id();
                HlcTimestamp at = alice.history(id).get(0).timestamp();

                long seq = 0;
                // Its own message first, then: an edit and a delete of alice's, an edit of a message after itself,
                // a delete that does not erase the message it names, and one with no sequence at all.
                MessageId own = new MessageId(mallory.id(), ++seq);
                mallory.send(alice, typed(mallory.identity(), id, seq, mallory.now(), key, "mallory was here".getBytes(StandardCharsets.UTF_8)));
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, Edits.editPlaintext(m1, "pwned")));
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key,
                        Edits.deletePlaintext(m1, at, List.of(m1.sequence()))));
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key,
                        Edits.editPlaintext(new MessageId(mallory.id(), seq + 5), "from the future")));
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key,
                        Edits.deletePlaintext(own, at, List.of(seq - 1))));
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key,
                        Edits.deletePlaintext(own, at, List.of())));
                // Then its honest edit of its own message: applied.
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, Edits.editPlaintext(own, "mallory was here, edited")));

                // Alice took them in and relays them to bob (bob gets them from her only): refused at both.
                for (ConferencePeer p : List.of(alice, bob)) {
                    await(() -> p.history(id).stream().anyMatch(e -> e.text().equals("mallory was here, edited")),
                            () -> p.name() + ": " + p.history(id) + " " + p.editStats());
                    assertThat(p.editStats().refused()).as(p.name()).isEqualTo(5);
                    assertThat(p.editStats().edits()).as(p.name()).isEqualTo(1);
                    assertThat(p.editStats().deletes()).as(p.name()).isZero();
                    ChatEntry hello = p.history(id).stream().filter(e -> e.id().equals(m1)).findFirst().orElseThrow();
                    assertThat(hello.text()).isEqualTo("hello");
                    assertThat(hello.edited() || hello.deleted()).isFalse();
                    assertThat(p.history(id)).extracting(ChatEntry::text).containsExactlyInAnyOrder("hello", "mallory was here, edited");
                }
                Scenarios.stillChats(alice, id, bob);
            }
        }
    }

    private static byte[] mention(int count, byte[] ids, byte[] inner) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + ids.length + inner.length);
        b.put((byte) count).put(ids).put(inner);
        return TypedEvents.plaintext(Mentions.NAME, Mentions.VERSION, b.array());
    }

    @Test
    void malformedMentionsAreSettledUnshownAndCountedAndTheAuthorsNextMessageFlows() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Mentions", alice, List.of(bob), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                byte[] a = alice.self().value().getBytes(StandardCharsets.US_ASCII);
                byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
                long seq = 0;
                // A count of 0, a count larger than the ids, an id that is not one, one id twice, a mention inside a mention.
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, mention(0, new byte[0], hi)));
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, mention(2, a, hi)));
                byte[] upper = alice.self().value().toUpperCase().getBytes(StandardCharsets.US_ASCII);
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, mention(1, upper, hi)));
                byte[] twice = new byte[2 * a.length];
                System.arraycopy(a, 0, twice, 0, a.length);
                System.arraycopy(a, 0, twice, a.length, a.length);
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, mention(2, twice, hi)));
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, mention(1, a, mention(1, a, hi))));
                // Then a well-formed one: shown, mentioning alice.
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, mention(1, a, "@alice look".getBytes(StandardCharsets.UTF_8))));

                await(() -> alice.history(id).stream().anyMatch(e -> e.text().equals("@alice look")), () -> "alice: " + alice.history(id));
                assertThat(alice.history(id)).extracting(ChatEntry::text).containsExactly("@alice look");
                assertThat(alice.history(id).get(0).mentions()).containsExactly(alice.self());
                assertThat(alice.eventStats().malformed()).isEqualTo(5);
                Scenarios.stillChats(alice, id, bob);
            }
        }
    }
}
