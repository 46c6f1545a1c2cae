package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.EventAttackClusterTest.typed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.BuiltInEvents;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceEvent;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MessageId;
import dev.convene.conference.Reaction;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The receive-side rate of durable events: an author that ignores its type's rate (15 reactions with timestamps
 * in one second, the type allows 10) gets 10 delivered and 5 counted, the same at the peer it sent them to and at
 * the peer they were relayed to; a reaction a second later is delivered again.
 */
@Timeout(120)
class DurableRateClusterTest {
    private static final List<String> EMOJI = List.of("😀", "😁", "😂", "🤣", "😃", "😄", "😅", "😆", "😉", "😊", "😋", "😎", "😍", "😘", "🥰");

    private static long from(ConferencePeer p, ConferenceId id, HostilePeer author) {
        return p.events(id, BuiltInEvents.REACTION).stream().map(ConferenceEvent::author).filter(a -> a.equals(author.id())).count();
    }

    @Test
    void anAuthorOverItsTypesRateGetsTheSameEventsDeliveredEverywhere() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Rate", alice, List.of(bob), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                MessageId m1 = alice.say(id, "react to me").join().entry().id();
                HlcTimestamp at = mallory.now();
                long seq = 0;
                for (String e : EMOJI) {
                    mallory.send(alice, typed(mallory.identity(), id, ++seq, at, key,
                            TypedEvents.plaintext(BuiltInEvents.REACTION, SocialCodecs.encodeReaction(new Reaction(m1, e, true)))));
                }
                for (ConferencePeer p : List.of(alice, bob)) {
                    await(() -> p.eventStats().durableRateLimited() == 5, () -> p.name() + ": " + p.eventStats());
                    assertThat(from(p, id, mallory)).as(p.name()).isEqualTo(10);
                    assertThat(p.reactions(id, m1)).as(p.name()).containsOnlyKeys(EMOJI.subList(0, 10));
                }
                HlcTimestamp later = new HlcTimestamp(at.wallMillis() + 1000, 0);
                mallory.send(alice, typed(mallory.identity(), id, ++seq, later, key,
                        TypedEvents.plaintext(BuiltInEvents.REACTION, SocialCodecs.encodeReaction(new Reaction(m1, "👍", true)))));
                for (ConferencePeer p : List.of(alice, bob)) {
                    await(() -> from(p, id, mallory) == 11, () -> p.name() + ": " + p.eventStats());
                    assertThat(p.eventStats().durableRateLimited()).isEqualTo(5);
                }
                Scenarios.stillChats(alice, id, bob);
            }
        }
    }
}
