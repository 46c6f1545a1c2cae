package dev.convene.conference.internal;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.MessageId;
import java.util.TreeMap;

/**
 * A message shown before its author signature was checked, and the entry shown for it ({@link Conference#unchecked}).
 *
 * @param message the message as received (its signature under a check on the pool)
 * @param entry   the entry listeners were given
 */
record Unchecked(ChatMessage message, ChatEntry entry) {
    Unchecked {
        java.util.Objects.requireNonNull(message, "message");
        java.util.Objects.requireNonNull(entry, "entry");
        if (!message.id().equals(entry.id())) throw new IllegalArgumentException("entry of another message");
    }

    /** Whether {@code id} names a message shown in {@code c} whose author signature is not checked yet. */
    static boolean shown(Conference c, MessageId id) {
        TreeMap<Long, Unchecked> byAuthor = c.unchecked.get(id.author());
        return byAuthor != null && byAuthor.containsKey(id.sequence());
    }
}
