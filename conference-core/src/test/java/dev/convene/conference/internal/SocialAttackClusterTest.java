package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.EventAttackClusterTest.ephemeral;
import static dev.convene.conference.internal.EventAttackClusterTest.typed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.BuiltInEvents;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.MessageId;
import dev.convene.conference.Reaction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile replies, reactions and typing from a participant that writes its own bytes: a reply with a malformed
 * reference or text, a reaction with a control character or over the type's size, a typing signal that is not the
 * byte 1. Each is refused and counted, the author's next message flows, and the peer goes on.
 */
@Timeout(120)
class SocialAttackClusterTest {

    private static byte[] replyValue(String author, long sequence, byte[] text) {
        ByteBuffer b = ByteBuffer.allocate(SocialCodecs.REFERENCE_BYTES + text.length);
        b.put(author.getBytes(StandardCharsets.US_ASCII)).putLong(sequence).put(text);
        return b.array();
    }

    private static byte[] reply(byte[] value) {
        return TypedEvents.plaintext(SocialCodecs.REPLY_NAME, SocialCodecs.REPLY_VERSION, value);
    }

    private static byte[] reaction(byte[] value) {
        return TypedEvents.plaintext(BuiltInEvents.REACTION, value);
    }

    @Test
    void badRepliesReactionsAndTypingAreRefusedAndCountedAndThePeerGoesOn() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Social", alice, List.of(bob), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                MessageId m1 = alice.say(id, "hello").join().entry().id();
                String a = alice.self().value();
                byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);

                long seq = 0;
                // Replies: a reference that is no peer id, a sequence of 0, text that is not UTF-8, blank text.
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, reply(replyValue(a.toUpperCase(), 1, hi))));
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, reply(replyValue(a, 0, hi))));
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, reply(replyValue(a, 1, new byte[] {(byte) 0xC0, (byte) 0x80}))));
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, reply(replyValue(a, 1, new byte[] {' '}))));
                // Reactions: a right-to-left override as the emoji, a flag of 7, and a value over the type's size.
                byte[] rtl = SocialCodecs.encodeReaction(new Reaction(m1, "x", true));
                rtl[rtl.length - 1] = 0x07;
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, reaction(rtl)));
                byte[] flag = SocialCodecs.encodeReaction(new Reaction(m1, "x", true));
                flag[SocialCodecs.REFERENCE_BYTES] = 7;
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, reaction(flag)));
                byte[] big = new byte[BuiltInEvents.REACTION.maxBytes() + 1];
                System.arraycopy(flag, 0, big, 0, flag.length);
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key, reaction(big)));
                // Then an honest reply to a message nobody has, and an honest reaction: both flow.
                MessageId nowhere = new MessageId(bob.self(), 77);
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key,
                        reply(replyValue(bob.self().value(), 77, "later".getBytes(StandardCharsets.UTF_8)))));
                mallory.send(alice, typed(mallory.identity(), id, ++seq, mallory.now(), key,
                        reaction(SocialCodecs.encodeReaction(new Reaction(m1, "👀", true)))));

                await(() -> !alice.reactions(id, m1).isEmpty(), () -> "alice: " + alice.eventStats());
                Optional<ChatEntry> later = alice.history(id).stream().filter(e -> e.text().equals("later")).findFirst();
                assertThat(later).isPresent();
                assertThat(later.get().replyTo()).contains(nowhere);
                assertThat(alice.history(id)).extracting(ChatEntry::text).containsExactlyInAnyOrder("hello", "later");
                assertThat(alice.reactions(id, m1)).containsOnlyKeys("👀");
                assertThat(alice.eventStats().malformed()).isEqualTo(6);
                assertThat(alice.eventStats().oversized()).isEqualTo(1);

                // Typing: not the byte 1, refused; the byte 1, heard.
                long malformed = alice.eventStats().malformed();
                mallory.send(alice, ephemeral(mallory.id(), id, 1, mallory.now(), 0, key, TypedEvents.plaintext(BuiltInEvents.TYPING, new byte[] {2})));
                await(() -> alice.eventStats().malformed() == malformed + 1, () -> "alice: " + alice.eventStats());
                assertThat(alice.typingNow(id)).isEmpty();
                // (a second one within the second would be over the type's rate: 1 a second and sender)
                await(() -> {
                    mallory.send(alice, ephemeral(mallory.id(), id, 2, mallory.now(), 0, key, TypedEvents.plaintext(BuiltInEvents.TYPING, new byte[] {1})));
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return alice.typingNow(id).contains(mallory.id());
                }, () -> "alice: " + alice.eventStats());

                Scenarios.stillChats(alice, id, bob);
                bob.react(id, m1, "👀").join().acknowledged().get(30, TimeUnit.SECONDS);
                await(() -> alice.reactions(id, m1).get("👀").size() == 2, () -> "alice: " + alice.reactions(id, m1));
            }
        }
    }
}
