package dev.convene.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The event records validate what they hold. */
class EventTypeTest {

    @ParameterizedTest
    @ValueSource(strings = {"com.example.poll.vote", "a.b", "x1.y_2.z-3"})
    void namespacedNamesAreAccepted(String name) {
        assertThat(EventType.of(name, 1, TestEvents.VOTE_CODEC, Delivery.DURABLE).key()).isEqualTo(name + "/1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "poll", "Com.example", "com..example", ".com.example", "com.example.", "com.1example",
            "com.exa mple", "com/example", "a.b.c.d.e.f.g.h.i", "com.ex\u00e4mple"})
    void otherNamesAreRefused(String name) {
        assertThatThrownBy(() -> EventType.of(name, 1, TestEvents.VOTE_CODEC, Delivery.DURABLE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void limitsAreBounded() {
        EventType<String> t = TestEvents.POLL;
        assertThat(t.maxBytes()).isEqualTo(4096);
        assertThat(t.perSecond()).isEqualTo(20);
        assertThat(t.withLimits(EventType.MAX_BYTES, 1000).maxBytes()).isEqualTo(EventType.MAX_BYTES);
        assertThatThrownBy(() -> t.withLimits(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.withLimits(EventType.MAX_BYTES + 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.withLimits(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.withLimits(1, 1001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventType.of("a.b", 0, TestEvents.VOTE_CODEC, Delivery.DURABLE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventType.of("a.b", 65536, TestEvents.VOTE_CODEC, Delivery.DURABLE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventType.of("a.b", 1, null, Delivery.DURABLE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> EventType.of("a.b", 1, TestEvents.VOTE_CODEC, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theLargestValueWithTheLongestNameFitsInAChatBody() {
        // header: marker, name length, name, version; the chat body holds 16 KiB of plaintext
        assertThat(4 + EventType.MAX_NAME_LENGTH + EventType.MAX_BYTES).isLessThanOrEqualTo(16 * 1024);
    }

    @Test
    void eventsAndTheirErrorsCarryTheirData() {
        ConferenceEvent<String> e = new ConferenceEvent<>(ConferenceId.random(), new MessageId(Identity.generate().id(), 3),
                new HlcTimestamp(5, 0), TestEvents.POLL, "yes");
        assertThat(e.author()).isEqualTo(e.id().author());
        assertThatThrownBy(() -> new ConferenceEvent<>(e.conference(), e.id(), e.timestamp(), TestEvents.POLL, null))
                .isInstanceOf(NullPointerException.class);
        EventLimitException x = new EventLimitException("a.b/1", EventLimitException.Limit.SIZE, 8, 9);
        assertThat(x).isInstanceOf(ConferenceException.class);
        assertThat(x.type()).isEqualTo("a.b/1");
        assertThat(x.limit()).isEqualTo(EventLimitException.Limit.SIZE);
        assertThat(x.allowed()).isEqualTo(8);
        assertThat(x.actual()).isEqualTo(9);
        assertThatThrownBy(() -> ConferencePeer.builder(dev.convene.overlay.OverlayConfig.builder("x").build(), Identity.generate()).eventType(TestEvents.POLL).eventType(TestEvents.POLL.withLimits(1, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
