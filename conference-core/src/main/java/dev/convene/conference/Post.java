package dev.convene.conference;

import java.util.concurrent.CompletableFuture;

/**
 * A chat message this peer posted: stored locally and sent to the online participants.
 *
 * @param entry the message as stored (pending until acknowledged)
 * @param acknowledged completes when at least one other participant confirmed storing it; while nobody
 *     else is online it stays incomplete and the message is pending, sent when a participant appears
 * @param storedByAll completes when every other current participant confirmed storing it: checked at each
 *     acknowledgement that arrives, against the participants at that moment (one that left or was removed in
 *     between no longer counts; one that joined since must confirm too, which it does once it has fetched the
 *     message). It completes at the latest with the acknowledgement that makes it true, never on a membership
 *     change alone; it fails when the message is refused, as {@code acknowledged} does; it is not kept across a
 *     restart of this peer. A conference with no other participant never completes it.
 */
public record Post(ChatEntry entry, CompletableFuture<ChatEntry> acknowledged, CompletableFuture<ChatEntry> storedByAll) {
    /**
     * Validates.
     *
     * @param entry the message
     * @param acknowledged stored by one other participant
     * @param storedByAll stored by every other current participant
     */
    public Post {
        java.util.Objects.requireNonNull(entry, "entry");
        java.util.Objects.requireNonNull(acknowledged, "acknowledged");
        java.util.Objects.requireNonNull(storedByAll, "storedByAll");
    }
}
