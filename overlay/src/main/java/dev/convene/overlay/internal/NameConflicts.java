package dev.convene.overlay.internal;

import com.ibm.icu.text.SpoofChecker;
import dev.convene.overlay.Directory;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which identities use names that look the same. Names are compared by their Unicode TR39 confusable
 * skeleton (ICU4J's {@link SpoofChecker}), taken before and after lower-casing, so {@code bob}, {@code BOB} and
 * {@code Ьоb} (Cyrillic) are one name. Bookkeeping is linear: one list of identities per skeleton, and a
 * newcomer under a skeleton is reported once, against the first identity known under it (not against each:
 * k identities under one name make k - 1 reports and no pair set). Event thread only.
 */
final class NameConflicts {
    private static final SpoofChecker CHECKER = new SpoofChecker.Builder().build();

    private final Map<String, java.util.LinkedHashSet<PeerId>> bySkeleton = new HashMap<>();

    /** The confusable skeleton of a display name. */
    static String skeleton(String name) {
        // Skeleton, lower case, skeleton again: look-alikes across case too (capital I and small l, Cyrillic and Latin).
        return CHECKER.getSkeleton(CHECKER.getSkeleton(name).toLowerCase(Locale.ROOT));
    }

    /** Remembers an identity without reporting anything (this peer, peers known from earlier runs). */
    void register(PeerAdvertisement ad) {
        register(ad.id(), ad.name());
    }

    /** As {@link #register(PeerAdvertisement)}, by identity and name (this peer's, before its channel connects). */
    void register(PeerId id, String name) {
        bySkeleton.computeIfAbsent(skeleton(name), k -> new java.util.LinkedHashSet<>(2)).add(id);
    }

    /**
     * Records a verified advertisement. Returns the known peer it is confusable with if its identity is new
     * under its skeleton and another identity was there first, else nothing.
     */
    List<PeerAdvertisement> add(PeerAdvertisement ad, Directory directory) {
        java.util.LinkedHashSet<PeerId> ids = bySkeleton.computeIfAbsent(skeleton(ad.name()), k -> new java.util.LinkedHashSet<>(2));
        if (!ids.add(ad.id())) return List.of();
        for (PeerId first : ids) {
            if (first.equals(ad.id())) continue;
            return directory.get(first).map(List::of).orElse(List.of());
        }
        return List.of();
    }
}
