package dev.convene.overlay;

import java.util.List;
import java.util.Optional;

/**
 * The verified advertisements this peer knows (JXTA's peer directory). A peer is <em>online</em> while it
 * is a member of the current view; peers seen earlier stay known (with their keys) after they leave.
 *
 * <p>Thread-safe; reads see the state as of the last processed event.
 */
public interface Directory {
    /** Online peers other than this one, sorted by name then id. */
    List<PeerAdvertisement> online();

    /** Every peer known, online or not, this peer included, sorted by name then id. */
    List<PeerAdvertisement> known();

    /** The advertisement of a known peer. */
    Optional<PeerAdvertisement> get(PeerId id);

    /** True while {@code id} is in the current view (this peer is always online to itself). */
    boolean isOnline(PeerId id);

    /**
     * Finds a peer by exact id, display name (case-insensitive) or unique id prefix.
     *
     * @throws PeerLookupException if nothing or more than one peer matches, listing the candidates
     */
    PeerAdvertisement resolve(String nameIdOrPrefix);
}
