package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceEvent;
import dev.convene.conference.Delivery;
import dev.convene.conference.EventType;
import dev.convene.conference.TestEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Durable events in the chat log driven directly (as at a restore): they take their author's sequence, stay out of
 * the chat history, an unknown type is settled unshown but held, and a rebuild takes events out and puts them back
 * as it does chat.
 */
class TypedEventsLogTest {
    private final byte[] key = ContentCrypto.newKey();
    private final Conference c = Seams.aliceWithBob(key);
    private final Seams bob = new Seams(BOB);
    private static final EventType<String> OTHER = EventType.of("org.elsewhere.thing", 3, TestEvents.VOTE_CODEC, Delivery.DURABLE);

    private void hold(ChatMessage m) {
        c.chat.computeIfAbsent(m.author(), a -> new java.util.TreeMap<>()).put(m.sequence(), m);
    }

    private void deliverReady() {
        c.restoring = true;
        bob.chat.deliverReady(c);
        c.restoring = false;
    }

    private ChatMessage event(long seq, EventType<String> type, String value) {
        return EventAttackClusterTest.typed(ALICE, c.id, seq, Seams.at(seq), key,
                TypedEvents.plaintext(type, value.getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> shown() {
        return c.history.values().stream().map(ChatEntry::text).toList();
    }

    private List<String> votes() {
        var perType = c.events.get(TestEvents.POLL.key());
        return perType == null ? List.of() : perType.values().stream().map(e -> (String) e.value()).toList();
    }

    /**
     * As chat (ChatLogTest): a banned author's durable event held before the ban and delivered during it is kept
     * (its sequence is filled, events() shows it after an unban) but not told to the type's listeners.
     */
    @Test
    void aBannedAuthorsHeldEventDeliveredDuringTheBanIsNotToldToListeners() {
        bob.chat.typed.register(TestEvents.POLL);
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        bob.chat.typed.onEvent(TestEvents.POLL, e -> heard.add(e.value()));
        hold(event(1, TestEvents.POLL, "banned yes"));
        bob.s.banned.add(ALICE.id());
        bob.chat.deliverReady(c);
        assertThat(c.contiguous).containsEntry(ALICE.id(), 1L);
        assertThat(votes()).containsExactly("banned yes");
        assertThat(heard).isEmpty();

        bob.s.banned.clear();
        hold(event(2, TestEvents.POLL, "yes"));
        bob.chat.deliverReady(c);
        assertThat(votes()).containsExactly("banned yes", "yes");
        assertThat(heard).containsExactly("yes");
    }

    @Test
    void eventsTakeTheirAuthorsSequenceStayOutOfTheHistoryAndComeBackAfterARebuild() {
        bob.chat.typed.register(TestEvents.POLL);
        hold(Fixtures.chat(ALICE, c.id, 1, Seams.at(1), key, "text 1"));
        hold(event(2, TestEvents.POLL, "yes"));
        hold(event(3, OTHER, "unknown here"));
        hold(Fixtures.chat(ALICE, c.id, 4, Seams.at(4), key, "text 4"));
        deliverReady();
        assertThat(shown()).containsExactly("text 1", "text 4");
        assertThat(votes()).containsExactly("yes");
        assertThat(c.contiguous).containsEntry(ALICE.id(), 4L);
        assertThat(c.chat.get(ALICE.id())).containsKey(3L); // held (and served to others), not delivered
        assertThat(bob.chat.typed.stats().unknownType()).isEqualTo(1);
        assertThat(bob.chat.typed.stats().delivered()).isZero(); // restored: listeners are not told
        assertThat(c.events.get(TestEvents.POLL.key()).values()).extracting(ConferenceEvent::id)
                .containsExactly(new dev.convene.conference.MessageId(ALICE.id(), 2));

        // Epoch 0's key lost a conflict: events read under it are taken out with the chat.
        c.keys.put(0, ContentCrypto.newKey());
        bob.chat.rebuild(c, Set.of(0));
        assertThat(shown()).isEmpty();
        assertThat(votes()).isEmpty();
        assertThat(c.eventIds).isEmpty();
        assertThat(bob.heard).contains("event retracted 2: unreadable"); // told, as chat is

        // The key is back: both come back, once, and the unknown type is not counted again.
        c.keys.put(0, key);
        bob.chat.rebuild(c, Set.of(0));
        bob.chat.rebuild(c, Set.of(0));
        assertThat(shown()).containsExactly("text 1", "text 4");
        assertThat(votes()).containsExactly("yes");
        assertThat(bob.chat.typed.stats().unknownType()).isEqualTo(1);
    }

    @Test
    void anEventWithAMalformedHeaderOrAnUndecodableValueIsSettledAndWhatFollowsFlows() {
        bob.chat.typed.register(TestEvents.POLL);
        hold(EventAttackClusterTest.typed(ALICE, c.id, 1, Seams.at(1), key, new byte[]{(byte) 0xFF, 3, 'a'}));
        hold(event(2, TestEvents.POLL, "!refused by the codec"));
        hold(event(3, TestEvents.POLL, "x".repeat(TestEvents.POLL.maxBytes() + 1)));
        hold(event(4, TestEvents.POLL, "no"));
        deliverReady();
        assertThat(votes()).containsExactly("no");
        assertThat(c.contiguous).containsEntry(ALICE.id(), 4L);
        assertThat(bob.chat.typed.stats().malformed()).isEqualTo(2);
        assertThat(bob.chat.typed.stats().oversized()).isEqualTo(1);
        assertThat(shown()).isEmpty();
    }
}
