package dev.convene.conference;

import java.util.concurrent.CompletableFuture;

/**
 * A chat message this peer posted: stored locally and sent to the online participants.
 *
 * @param entry the message as stored (pending until acknowledged)
 * @param acknowledged completes when at least one other participant confirmed storing it; while nobody
 *     else is online it stays incomplete and the message is pending, sent when a participant appears
 */
public record Post(ChatEntry entry, CompletableFuture<ChatEntry> acknowledged) {
}
