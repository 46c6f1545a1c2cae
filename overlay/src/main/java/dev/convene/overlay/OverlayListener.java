package dev.convene.overlay;

/**
 * Presence events of the overlay. Every method has an empty default, so implement only what you need.
 *
 * <p>Threading: all callbacks of one overlay run, in order, on its single event thread
 * ({@code convene-<name>-events}), never on a JGroups thread. They must not block for long: that
 * delays every later event and message of this peer. In particular, never wait here for anything that
 * this overlay's event thread itself must deliver (a reply, a presence event): it would wait forever.
 * A {@code ConferencePeer} (conference-core) called from here runs the operation at once and returns a
 * completed future, and refuses a blocking wait on one of its incomplete futures with an
 * {@code EventThreadException}; chain a callback or hand the work to another thread instead.
 */
public interface OverlayListener {
    /**
     * A peer's advertisement was verified and it is now online (first time, or again after leaving).
     *
     * @param peer its verified advertisement
     */
    default void peerJoined(PeerAdvertisement peer) {
    }

    /**
     * A peer left the group: it said goodbye, crashed and was removed, or was cut off.
     *
     * @param peer its last advertisement
     */
    default void peerLeft(PeerAdvertisement peer) {
    }

    /**
     * Failure detection suspects a peer; a {@link #peerLeft} follows if the suspicion is confirmed.
     *
     * @param peer its advertisement
     */
    default void peerSuspected(PeerAdvertisement peer) {
    }

    /**
     * The group view changed; {@code members} counts every member, this peer included.
     *
     * @param members the number of members
     */
    default void viewChanged(int members) {
    }

    /**
     * A verified advertisement carries a display name that looks like that of another known peer (the same
     * Unicode TR39 confusable skeleton, so case and look-alike letters from other scripts do not matter), under
     * a different key: someone chose a name already in use, a peer came back with a new identity (a lost
     * home directory), or someone is posing as it. Names are not identity; show both
     * {@link PeerAdvertisement#fingerprint() fingerprints} so that people can compare them out of band.
     * {@link Directory#nameConflicts()} lists every such name at any time.
     *
     * <p>Called once for each new identity under a name while this overlay runs, against the first identity
     * known under it, before the newcomer's {@link #peerJoined}.
     *
     * @param newcomer the advertisement just verified
     * @param known the peer that had the name already, online or not (this peer itself if the newcomer took
     *     this peer's name)
     */
    default void peerNameConflict(PeerAdvertisement newcomer, PeerAdvertisement known) {
    }
}
