package dev.convene.conference;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An event this peer published. For a {@link Delivery#DURABLE} event the futures mean what those of a
 * {@link Post} mean (one other participant stored it; every other current participant did; both fail with a
 * {@link MessageRefusedException} if it turns out never valid). An {@link Delivery#EPHEMERAL} event has no
 * acknowledgement: both are complete when it was handed to the online participants.
 *
 * @param event the event as published
 * @param acknowledged completes when another participant confirmed storing it (durable)
 * @param storedByAll completes when every other current participant did (durable)
 * @param <T> the value type
 */
public record PublishedEvent<T>(ConferenceEvent<T> event, CompletableFuture<ConferenceEvent<T>> acknowledged,
                                CompletableFuture<ConferenceEvent<T>> storedByAll) {
    /**
     * Validates.
     *
     * @param event the event
     * @param acknowledged stored by one other participant
     * @param storedByAll stored by every other current participant
     */
    public PublishedEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(acknowledged, "acknowledged");
        Objects.requireNonNull(storedByAll, "storedByAll");
    }
}
