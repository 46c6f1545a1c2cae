package dev.convene.overlay.wire;

/**
 * A message type whose frames carry bulk data (the frames of a byte stream): they may wait behind other frames.
 * The overlay keeps them in a lane of their own, each way, FIFO within it: when it sends, a frame of another type
 * queued for the same peer leaves first; when it receives, a bulk frame from a peer and that peer's other frames take
 * turns on the event thread instead of the others waiting behind the bulk backlog. So order is kept among one
 * peer's bulk frames and among its other frames, not between the two; a protocol that needs an order between them
 * must mark all of its frames bulk.
 */
public interface BulkMessage {
}
