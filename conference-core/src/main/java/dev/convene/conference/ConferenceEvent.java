package dev.convene.conference;

import dev.convene.overlay.PeerId;
import java.util.Comparator;
import java.util.Objects;

/**
 * An application event as a participant sees it: decrypted, decoded and from a participant.
 *
 * <p>A durable event's id is a message id in its author's sequence (chat and durable events share it), and
 * durable events are ordered with chat by {@link #CANONICAL_ORDER}. An ephemeral event's id counts its author's
 * ephemeral events since that peer started; it is not in any history.
 *
 * @param conference the conference
 * @param id author and sequence
 * @param timestamp the author's hybrid logical clock when it published the event
 * @param type the type, as registered here
 * @param value the decoded value
 * @param <T> the value type
 */
public record ConferenceEvent<T>(ConferenceId conference, MessageId id, HlcTimestamp timestamp, EventType<T> type, T value) {
    /** The canonical order, the same as that of chat ({@link ChatEntry#CANONICAL_ORDER}). */
    public static final Comparator<ConferenceEvent<?>> CANONICAL_ORDER = Comparator.<ConferenceEvent<?>, HlcTimestamp>comparing(ConferenceEvent::timestamp)
            .thenComparing(e -> e.id().author())
            .thenComparingLong(e -> e.id().sequence());

    /**
     * Checks the components (none null).
     *
     * @param conference the conference
     * @param id author and sequence
     * @param timestamp the author's clock
     * @param type the type
     * @param value the value
     */
    public ConferenceEvent {
        Objects.requireNonNull(conference, "conference");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /**
     * The author.
     *
     * @return the peer that published the event
     */
    public PeerId author() {
        return id.author();
    }
}
