package dev.convene.conference;

/**
 * Counters of edits and deletes since start ({@link ConferencePeer#edit}, {@link ConferencePeer#delete}), own and
 * received, including those restored from the store at start.
 *
 * @param edits edits applied
 * @param deletes deletes applied
 * @param refused edits and deletes refused: naming a message of another author, or malformed
 * @param ignored edits and deletes that changed nothing: of a message not shown here, deleted already, edited the
 *                most times allowed, or (a delete) reaching beyond its author's last messages
 */
public record EditStats(long edits, long deletes, long refused, long ignored) {
}
