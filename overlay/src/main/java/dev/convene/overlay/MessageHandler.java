package dev.convene.overlay;

/**
 * Receives one message type. Runs on the overlay's event thread, in order per sender (and in a single
 * order overall for this peer). Throw {@link RejectedMessageException} to refuse a well-formed message
 * (counted as {@link DropReason#REJECTED}); any other exception is counted as
 * {@link DropReason#HANDLER_FAILED} and logged, and the peer goes on.
 *
 * <p>Threading: the same rules as {@link OverlayListener}: do not block, and never wait here for anything this
 * overlay's event thread itself must deliver (a reply, a presence event); it would wait forever.
 *
 * @param <T> the message type
 */
@FunctionalInterface
public interface MessageHandler<T> {
    /**
     * Handles one message.
     *
     * @param from the verified signer of the frame
     * @param message the decoded message
     */
    void onMessage(PeerId from, T message);
}
