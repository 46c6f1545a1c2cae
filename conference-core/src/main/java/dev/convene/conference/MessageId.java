package dev.convene.conference;

import dev.convene.overlay.PeerId;
import java.util.Objects;

/**
 * A chat message's stable id: its author and the author's sequence number in that conference (1, 2, …,
 * without gaps).
 *
 * @param author the author
 * @param sequence 1 or more
 */
public record MessageId(PeerId author, long sequence) {
    /**
     * Checks the components.
     *
     * @param author the author
     * @param sequence 1 or more
     * @throws IllegalArgumentException if the sequence is below 1
     */
    public MessageId {
        Objects.requireNonNull(author, "author");
        if (sequence < 1) throw new IllegalArgumentException("sequence: " + sequence + " (expected: >= 1)");
    }

    @Override
    public String toString() {
        return author.shortId() + ":" + sequence;
    }
}
