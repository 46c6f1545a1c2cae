package dev.convene.conference.internal;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.AddressCache;
import dev.convene.overlay.HostPort;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The rows nothing waits for ({@link ChatWriter}: others' receipts and proofs, equivocations, peers seen online, the
 * discovery cache's addresses), kept by key until the persistence thread writes them with its next batch: a newer
 * value of a key replaces the older one (a receipt of author X replaces X's older receipt), so a burst costs one
 * row per key and no queue item, wake-up or transaction of its own.
 *
 * <p>Each value remembers how many items had been queued before it was offered ({@code after}); {@link #take}
 * returns only values whose items have all been taken, so a row is never written before what was queued ahead of it
 * (a receipt binds once the messages it numbers are held: their rows were queued first).
 *
 * <p>Bounded by distinct keys ({@code maxKeys}; the addresses are one key): a new key beyond is refused (false),
 * a key already pending is always replaced. Not thread-safe: {@link ChatWriter} guards it.
 */
final class PendingRows {
    /** A pending value and the count of items queued before it was offered. */
    private record Pending<V>(V value, long after) {
    }

    /** A metadata row's key: its conference and its key there. */
    private record RecordKey(ConferenceId conference, String key) {
    }

    /** What {@link #take} hands to the persistence thread: metadata rows per conference, peers in the order offered, addresses or null. */
    record Taken(Map<ConferenceId, Map<String, byte[]>> records, List<PeerAdvertisement> peers, List<HostPort> addresses) {
        static final Taken NONE = new Taken(Map.of(), List.of(), null);

        boolean isEmpty() {
            return records.isEmpty() && peers.isEmpty() && addresses == null;
        }
    }

    private final int maxKeys;
    private final Map<RecordKey, Pending<byte[]>> records = new LinkedHashMap<>();
    private final Map<PeerId, Pending<PeerAdvertisement>> peers = new LinkedHashMap<>();
    private Pending<List<HostPort>> addresses;

    PendingRows(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    /** Distinct keys pending. */
    int size() {
        return records.size() + peers.size() + (addresses == null ? 0 : 1);
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** Keeps {@code bytes} as the newest value of {@code key} in {@code conference}; false if refused (a new key, full). */
    boolean record(ConferenceId conference, String key, byte[] bytes, long after) {
        RecordKey k = new RecordKey(conference, key);
        if (!records.containsKey(k) && full()) return false;
        records.put(k, new Pending<>(bytes, after));
        return true;
    }

    /** Keeps {@code ad} as its peer's newest advertisement, written after the peers offered before it; false if refused. */
    boolean peer(PeerAdvertisement ad, long after) {
        Pending<PeerAdvertisement> had = peers.remove(ad.id()); // re-inserted last: the rows' seen_at follow the order offered
        if (had == null && full()) return false;
        peers.put(ad.id(), new Pending<>(ad, after));
        return true;
    }

    /**
     * Merges {@code seen} ahead of the pending addresses, as {@link SqliteStore#rememberAddresses} called once per
     * list in order would rank them ({@link #merge}); false if refused (none pending, full).
     */
    boolean addresses(List<HostPort> seen, long after) {
        if (seen.isEmpty()) return true; // ranks nothing (SqliteStore.rememberAddresses returns at once)
        if (addresses == null && full()) return false;
        addresses = new Pending<>(addresses == null ? merge(seen, List.of()) : merge(seen, addresses.value()), after);
        return true;
    }

    private boolean full() {
        return size() >= maxKeys;
    }

    /**
     * One list that, remembered once, ranks the addresses as remembering {@code older} and then {@code newer} does:
     * {@code newer} first in its order, then the addresses of {@code older} not in it, in theirs; at most
     * {@link AddressCache#MAX}, as the store keeps no more (one beyond has that many ranked above it either way).
     */
    static List<HostPort> merge(List<HostPort> newer, List<HostPort> older) {
        LinkedHashSet<HostPort> out = new LinkedHashSet<>();
        for (HostPort a : newer) if (out.size() < AddressCache.MAX) out.add(a);
        for (HostPort a : older) if (out.size() < AddressCache.MAX) out.add(a);
        return List.copyOf(out);
    }

    /** Forgets a pending metadata row that a row written with something waiting for it supersedes (offered later). */
    void supersedeRecord(ConferenceId conference, String key) {
        records.remove(new RecordKey(conference, key));
    }

    /** Forgets a pending advertisement that one written with something waiting for it supersedes (offered later). */
    void supersedePeer(PeerId id) {
        peers.remove(id);
    }

    /** Removes and returns every value offered after no more than {@code taken} queued items. */
    Taken take(long taken) {
        if (isEmpty()) return Taken.NONE;
        Map<ConferenceId, Map<String, byte[]>> outRecords = new LinkedHashMap<>();
        for (Iterator<Map.Entry<RecordKey, Pending<byte[]>>> i = records.entrySet().iterator(); i.hasNext(); ) {
            Map.Entry<RecordKey, Pending<byte[]>> e = i.next();
            if (e.getValue().after() > taken) continue;
            outRecords.computeIfAbsent(e.getKey().conference(), k -> new LinkedHashMap<>()).put(e.getKey().key(), e.getValue().value());
            i.remove();
        }
        List<PeerAdvertisement> outPeers = new ArrayList<>();
        for (Iterator<Pending<PeerAdvertisement>> i = peers.values().iterator(); i.hasNext(); ) {
            Pending<PeerAdvertisement> p = i.next();
            if (p.after() > taken) continue;
            outPeers.add(p.value());
            i.remove();
        }
        List<HostPort> outAddresses = null;
        if (addresses != null && addresses.after() <= taken) {
            outAddresses = addresses.value();
            addresses = null;
        }
        return new Taken(outRecords, outPeers, outAddresses);
    }

    /** Forgets everything pending (a crash). */
    void clear() {
        records.clear();
        peers.clear();
        addresses = null;
    }
}
