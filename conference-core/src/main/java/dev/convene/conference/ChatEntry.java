package dev.convene.conference;

import dev.convene.overlay.PeerId;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A chat message as a participant sees it, decrypted and verified.
 *
 * <p>The canonical order of a conference's history, the same at every participant once synced, is by
 * ({@link #timestamp()}, author, sequence): {@link #CANONICAL_ORDER}.
 *
 * @param conference the conference
 * @param id author and sequence
 * @param timestamp the author's hybrid logical clock when it sent the message
 * @param authorName the author's display name as known here (not trusted for identity)
 * @param text the text
 * @param pending true while no other participant has confirmed storing this (own messages only)
 * @param replyTo the message this one answers, if it is a reply ({@link ConferencePeer#reply}); the id is
 *                well-formed but the message it names may be unknown here (not arrived yet, or never shown)
 * @param edited true if its author edited it ({@link ConferencePeer#edit}): {@code text} is the latest text
 * @param deleted true if its author deleted it ({@link ConferencePeer#delete}): {@code text} is empty, and the
 *                message keeps its place in the order (a tombstone)
 * @param mentions the participants its author mentioned ({@link ConferencePeer#say(ConferenceId, String,
 *                 java.util.Collection)}), by id as the author resolved them when it sent the message; empty if none
 */
public record ChatEntry(ConferenceId conference, MessageId id, HlcTimestamp timestamp, String authorName, String text,
                        boolean pending, Optional<MessageId> replyTo, boolean edited, boolean deleted, List<PeerId> mentions) {
    /** The canonical history order. */
    public static final Comparator<ChatEntry> CANONICAL_ORDER = Comparator.comparing(ChatEntry::timestamp)
            .thenComparing(e -> e.id().author())
            .thenComparingLong(e -> e.id().sequence());

    /**
     * Checks the components (none null).
     *
     * @param conference the conference
     * @param id author and sequence
     * @param timestamp the author's hybrid logical clock when it sent the message
     * @param authorName the author's display name as known here (not trusted for identity)
     * @param text the text
     * @param pending true while no other participant has confirmed storing this (own messages only)
     * @param replyTo the message this one answers, if it is a reply
     * @param edited true if its author edited it
     * @param deleted true if its author deleted it (then {@code text} is empty)
     * @param mentions the participants its author mentioned, by id (copied)
     */
    public ChatEntry {
        Objects.requireNonNull(conference, "conference");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(authorName, "authorName");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(replyTo, "replyTo");
        if (deleted && !text.isEmpty()) throw new IllegalArgumentException("a deleted entry has no text");
        mentions = List.copyOf(mentions);
    }

    /**
     * A message neither edited nor deleted.
     *
     * @param conference the conference
     * @param id author and sequence
     * @param timestamp the author's hybrid logical clock when it sent the message
     * @param authorName the author's display name as known here (not trusted for identity)
     * @param text the text
     * @param pending true while no other participant has confirmed storing this (own messages only)
     * @param replyTo the message this one answers, if it is a reply
     */
    public ChatEntry(ConferenceId conference, MessageId id, HlcTimestamp timestamp, String authorName, String text,
                     boolean pending, Optional<MessageId> replyTo) {
        this(conference, id, timestamp, authorName, text, pending, replyTo, false, false, List.of());
    }

    /**
     * A message that is not a reply.
     *
     * @param conference the conference
     * @param id author and sequence
     * @param timestamp the author's hybrid logical clock when it sent the message
     * @param authorName the author's display name as known here (not trusted for identity)
     * @param text the text
     * @param pending true while no other participant has confirmed storing this (own messages only)
     */
    public ChatEntry(ConferenceId conference, MessageId id, HlcTimestamp timestamp, String authorName, String text, boolean pending) {
        this(conference, id, timestamp, authorName, text, pending, Optional.empty());
    }

    /**
     * This entry with another pending flag (the rest unchanged).
     *
     * @param pending true while no other participant has confirmed storing this
     * @return the entry
     */
    public ChatEntry withPending(boolean pending) {
        return new ChatEntry(conference, id, timestamp, authorName, text, pending, replyTo, edited, deleted, mentions);
    }

    /**
     * This entry with its author's latest text, marked edited (the rest unchanged).
     *
     * @param latest the latest text
     * @return the entry
     */
    public ChatEntry withEdit(String latest) {
        return new ChatEntry(conference, id, timestamp, authorName, latest, pending, replyTo, true, false, mentions);
    }

    /**
     * This entry as deleted: no text, marked deleted, in the same place (the rest unchanged).
     *
     * @return the entry
     */
    public ChatEntry asDeleted() {
        return new ChatEntry(conference, id, timestamp, authorName, "", pending, replyTo, edited, true, List.of());
    }

    /**
     * This entry with the participants its author mentioned (the rest unchanged).
     *
     * @param mentions the participants mentioned, by id
     * @return the entry
     */
    public ChatEntry withMentions(List<PeerId> mentions) {
        return new ChatEntry(conference, id, timestamp, authorName, text, pending, replyTo, edited, deleted, mentions);
    }

    /**
     * The author.
     *
     * @return the author
     */
    public PeerId author() {
        return id.author();
    }

    /**
     * When the author sent it, by its clock.
     *
     * @return when the author sent it, by its clock
     */
    public Instant sentAt() {
        return timestamp.instant();
    }
}
