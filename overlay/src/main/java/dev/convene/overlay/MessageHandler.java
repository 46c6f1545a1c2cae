package dev.convene.overlay;

/**
 * Receives one message type. Runs on the overlay's event thread, in order per sender (and in a single
 * order overall for this peer). Throw {@link RejectedMessageException} to refuse a well-formed message
 * (counted as {@link DropReason#REJECTED}); any other exception is counted as
 * {@link DropReason#HANDLER_FAILED} and logged, and the peer goes on.
 *
 * @param <T> the message type
 */
@FunctionalInterface
public interface MessageHandler<T> {
    /**
     * @param from the verified signer of the frame
     * @param message the decoded message
     */
    void onMessage(PeerId from, T message);
}
