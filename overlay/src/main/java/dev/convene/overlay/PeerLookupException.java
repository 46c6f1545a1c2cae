package dev.convene.overlay;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A peer name, id or prefix that names no known peer, or more than one. Carries the candidates so a
 * caller can show them.
 */
public final class PeerLookupException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<PeerAdvertisement> candidates;

    /**
     * A failed lookup.
     *
     * @param query what was looked up
     * @param candidates the matching peers: none, or several
     */
    public PeerLookupException(String query, List<PeerAdvertisement> candidates) {
        super(message(query, candidates));
        this.candidates = List.copyOf(candidates);
    }

    private static String message(String query, List<PeerAdvertisement> candidates) {
        if (candidates.isEmpty()) {
            return "no known peer matches '" + query + "'; run 'peers' to list the peers you can name";
        }
        return "'" + query + "' matches " + candidates.size() + " peers: "
                + candidates.stream().map(PeerAdvertisement::label).collect(Collectors.joining(", "))
                + "; use more of the id";
    }

    /**
     * The matching peers: empty when none matched.
     *
     * @return the matching peers: empty when none matched
     */
    public List<PeerAdvertisement> candidates() {
        return candidates;
    }
}
