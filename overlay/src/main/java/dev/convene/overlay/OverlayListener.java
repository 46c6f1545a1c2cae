package dev.convene.overlay;

/**
 * Presence events of the overlay. Every method has an empty default, so implement only what you need.
 *
 * <p>Threading: all callbacks of one overlay run, in order, on its single event thread
 * ({@code convene-<name>-events}), never on a JGroups thread. They must not block for long: that
 * delays every later event and message of this peer.
 */
public interface OverlayListener {
    /** A peer's advertisement was verified and it is now online (first time, or again after leaving). */
    default void peerJoined(PeerAdvertisement peer) {
    }

    /** A peer left the group: it said goodbye, crashed and was removed, or was cut off. */
    default void peerLeft(PeerAdvertisement peer) {
    }

    /** Failure detection suspects a peer; a {@link #peerLeft} follows if the suspicion is confirmed. */
    default void peerSuspected(PeerAdvertisement peer) {
    }

    /** The group view changed; {@code members} counts every member, this peer included. */
    default void viewChanged(int members) {
    }
}
