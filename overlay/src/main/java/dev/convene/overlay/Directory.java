package dev.convene.overlay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The verified advertisements this peer knows (JXTA's peer directory). A peer is <em>online</em> while it
 * is a member of the current view; peers seen earlier stay known (with their keys) after they leave.
 *
 * <p>Thread-safe; reads see the state as of the last processed event.
 */
public interface Directory {
    /**
     * Online peers other than this one, sorted by name then id.
     *
     * @return online peers other than this one, sorted by name then id
     */
    List<PeerAdvertisement> online();

    /**
     * Every peer known, online or not, this peer included, sorted by name then id.
     *
     * @return every peer known, online or not, this peer included, sorted by name then id
     */
    List<PeerAdvertisement> known();

    /**
     * The advertisement of a known peer.
     *
     * @param id the peer
     * @return the advertisement of a known peer
     */
    Optional<PeerAdvertisement> get(PeerId id);

    /**
     * True while {@code id} is in the current view (this peer is always online to itself).
     *
     * @param id the peer
     * @return true while {@code id} is in the current view (this peer is always online to itself)
     */
    boolean isOnline(PeerId id);

    /**
     * Finds a peer by exact id, display name (case-insensitive) or unique id prefix.
     *
     * @param nameIdOrPrefix what the user typed
     * @return the one matching peer
     * @throws PeerLookupException if nothing or more than one peer matches, listing the candidates
     */
    PeerAdvertisement resolve(String nameIdOrPrefix);

    /**
     * Display names that more than one known peer uses (compared ignoring case, as {@link #resolve} does),
     * each with those peers' advertisements, earliest issued first; this peer's own name counts too. Two
     * keys under one name mean a name chosen twice, a peer that came back with a new identity, or an
     * impostor: names are never identity, so compare {@link PeerAdvertisement#fingerprint() fingerprints}
     * out of band. Sorted by name, ignoring case.
     *
     * @return the shared names, each with its peers
     */
    default Map<String, List<PeerAdvertisement>> nameConflicts() {
        Map<String, List<PeerAdvertisement>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (PeerAdvertisement a : known()) byName.computeIfAbsent(a.name(), n -> new ArrayList<>()).add(a);
        Map<String, List<PeerAdvertisement>> conflicts = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.forEach((name, ads) -> {
            if (ads.size() < 2) return;
            ads.sort(Comparator.comparing(PeerAdvertisement::issuedAt).thenComparing(PeerAdvertisement::id));
            conflicts.put(ads.get(0).name(), List.copyOf(ads));
        });
        return Collections.unmodifiableMap(conflicts);
    }
}
