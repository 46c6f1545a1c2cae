package dev.convene.overlay.internal;

import dev.convene.overlay.Directory;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.PeerLookupException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jgroups.Address;

/**
 * The directory: verified advertisements keyed by peer, each with the transport address it is bound to
 * while online. Mutated only on the overlay's event thread; read from any thread.
 */
public final class DirectoryImpl implements Directory {
    /** A known peer: its advertisement, and its address while it is in the view (else null). */
    record Entry(PeerAdvertisement ad, Address address) {
        boolean online() {
            return address != null;
        }
    }

    private static final Comparator<PeerAdvertisement> ORDER =
            Comparator.comparing((PeerAdvertisement a) -> a.name().toLowerCase(Locale.ROOT)).thenComparing(PeerAdvertisement::id);

    private final PeerId self;
    private volatile PeerAdvertisement selfAd;
    private final Map<PeerId, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Address, PeerId> byAddress = new ConcurrentHashMap<>();

    public DirectoryImpl(PeerId self) {
        this.self = self;
    }

    void setSelf(PeerAdvertisement ad) {
        this.selfAd = ad;
    }

    /** Remembers a peer seen in an earlier run (or known from a contact card), offline until it advertises. */
    public void addKnown(PeerAdvertisement ad) {
        entries.putIfAbsent(ad.id(), new Entry(ad, null));
    }

    /** The peer an address is bound to, or null. */
    PeerId peerAt(Address address) {
        return byAddress.get(address);
    }

    /** The address of an online peer, or null. */
    Address addressOf(PeerId id) {
        Entry e = entries.get(id);
        return e == null ? null : e.address();
    }

    /**
     * Records a verified advertisement received from {@code from}.
     *
     * @return true if the peer was not online before (a join)
     */
    boolean put(PeerAdvertisement ad, Address from) {
        Entry old = entries.get(ad.id());
        if (old != null && old.address() != null && !old.address().equals(from)) {
            byAddress.remove(old.address()); // restarted with a new transport address
        }
        // Keep the newest advertisement if an older one arrives late.
        PeerAdvertisement keep = old != null && old.ad().issuedAt().isAfter(ad.issuedAt()) ? old.ad() : ad;
        entries.put(ad.id(), new Entry(keep, from));
        byAddress.put(from, ad.id());
        return old == null || !old.online();
    }

    /**
     * Marks the peer at {@code address} offline.
     *
     * @return its advertisement if it was online at that address
     */
    Optional<PeerAdvertisement> remove(Address address) {
        PeerId id = byAddress.remove(address);
        if (id == null) return Optional.empty();
        Entry e = entries.get(id);
        if (e == null || !address.equals(e.address())) return Optional.empty();
        entries.put(id, new Entry(e.ad(), null));
        return Optional.of(e.ad());
    }

    @Override
    public List<PeerAdvertisement> online() {
        return entries.values().stream().filter(Entry::online).map(Entry::ad).filter(a -> !a.id().equals(self)).sorted(ORDER).toList();
    }

    @Override
    public List<PeerAdvertisement> known() {
        java.util.ArrayList<PeerAdvertisement> all = new java.util.ArrayList<>(entries.values().stream().map(Entry::ad).toList());
        PeerAdvertisement me = selfAd;
        if (me != null && !entries.containsKey(self)) all.add(me);
        all.sort(ORDER);
        return List.copyOf(all);
    }

    @Override
    public Optional<PeerAdvertisement> get(PeerId id) {
        if (id.equals(self) && selfAd != null) return Optional.of(selfAd);
        return Optional.ofNullable(entries.get(id)).map(Entry::ad);
    }

    @Override
    public boolean isOnline(PeerId id) {
        if (id.equals(self)) return true;
        Entry e = entries.get(id);
        return e != null && e.online();
    }

    /** As the interface says, but names are compared by their confusable skeleton (Unicode TR39), not only by case. */
    @Override
    public Map<String, List<PeerAdvertisement>> nameConflicts() {
        Map<String, List<PeerAdvertisement>> bySkeleton = new java.util.HashMap<>();
        for (PeerAdvertisement a : known()) bySkeleton.computeIfAbsent(NameConflicts.skeleton(a.name()), n -> new java.util.ArrayList<>()).add(a);
        Map<String, List<PeerAdvertisement>> conflicts = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        bySkeleton.values().forEach(ads -> {
            if (ads.size() < 2) return;
            ads.sort(Comparator.comparing(PeerAdvertisement::issuedAt).thenComparing(PeerAdvertisement::id));
            conflicts.merge(ads.get(0).name(), List.copyOf(ads), (x, y) -> {
                List<PeerAdvertisement> both = new java.util.ArrayList<>(x);
                both.addAll(y);
                return List.copyOf(both);
            });
        });
        return java.util.Collections.unmodifiableMap(conflicts);
    }

    @Override
    public PeerAdvertisement resolve(String query) {
        String q = query.strip();
        List<PeerAdvertisement> all = known();
        for (PeerAdvertisement a : all) {
            if (a.id().value().equalsIgnoreCase(q)) return a;
        }
        List<PeerAdvertisement> byName = all.stream().filter(a -> a.name().equalsIgnoreCase(q)).toList();
        // Prefer online peers when a name is shared by an old, offline identity.
        List<PeerAdvertisement> onlineByName = byName.stream().filter(a -> isOnline(a.id())).toList();
        if (byName.size() == 1) return byName.get(0);
        if (byName.size() > 1 && onlineByName.size() == 1) return onlineByName.get(0);
        if (byName.size() > 1) throw new PeerLookupException(q, byName);
        if (PeerId.isIdPrefix(q)) {
            String p = q.toLowerCase(Locale.ROOT);
            List<PeerAdvertisement> byPrefix = all.stream().filter(a -> a.id().value().startsWith(p)).toList();
            if (byPrefix.size() == 1) return byPrefix.get(0);
            if (byPrefix.size() > 1) throw new PeerLookupException(q, byPrefix);
        }
        throw new PeerLookupException(q, List.of());
    }
}
