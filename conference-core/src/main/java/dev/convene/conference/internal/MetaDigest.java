package dev.convene.conference.internal;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.wire.MessageType;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireFormatException;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a peer holds of a conference's metadata, in a few hundred bytes (PROTOCOL.md, "Metadata by digest"): per kind of
 * record ({@link #KINDS}: the context, invitations, answers, the end, removals, key grants, role and schedule
 * changes) how many it holds and one SHA-256 over the sorted hashes of their encodings, so the order in which a
 * peer learned them does not matter. Anti-entropy sends this instead of the whole metadata (about 1 KiB per
 * invitation); the records follow only where the digests differ. {@code answer}: the receiver may answer with its own
 * digest (so the records also flow the other way); an answer never asks for one.
 */
record MetaDigest(ConferenceId conference, boolean answer, List<Kind> kinds) {
    /** Kinds of record, in this order on the wire. */
    static final int KINDS = 8;
    /** The most records of one kind a digest may claim (far above what {@link Protocol#MAX_STORED_META} holds). */
    static final int MAX_COUNT = 1 << 20;

    /** One kind of record: how many, and the hash over their sorted hashes. */
    record Kind(int count, byte[] hash) {
        Kind {
            if (count < 0 || count > MAX_COUNT) throw new WireFormatException("meta digest count " + count);
            Objects.requireNonNull(hash, "hash");
            if (hash.length != 32) throw new WireFormatException("meta digest hash of " + hash.length + " bytes");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Kind k && k.count == count && Arrays.equals(k.hash, hash);
        }

        @Override
        public int hashCode() {
            return 31 * count + Arrays.hashCode(hash);
        }

        @Override
        public String toString() {
            return count + " records";
        }
    }

    MetaDigest {
        Objects.requireNonNull(conference, "conference");
        kinds = List.copyOf(kinds);
        if (kinds.size() != KINDS) throw new WireFormatException("meta digest of " + kinds.size() + " kinds, not " + KINDS);
    }

    /** This digest, asking for an answer. */
    MetaDigest withAnswer() {
        return new MetaDigest(conference, true, kinds);
    }

    /** Whether {@code other} names the same records, kind by kind (the {@link #answer} flag aside). */
    boolean sameRecords(MetaDigest other) {
        return conference.equals(other.conference) && kinds.equals(other.kinds);
    }

    /** Kind {@code i}: the context. */
    static final int CONTEXT = 0;
    /** Kind {@code i}: the invitations. */
    static final int INVITATIONS = 1;

    /**
     * The kinds whose records differ from {@code other}'s, as bits (bit {@code i}: kind {@code i} in wire order: the
     * context, invitations, answers, the end, removals, grants, roles, schedules); 0 when {@link #sameRecords}.
     */
    int differingKinds(MetaDigest other) {
        if (!conference.equals(other.conference)) return (1 << KINDS) - 1;
        int bits = 0;
        for (int i = 0; i < KINDS; i++) if (!kinds.get(i).equals(other.kinds.get(i))) bits |= 1 << i;
        return bits;
    }

    /**
     * The digest of what {@code c} holds: of exactly the records {@link Conference#meta()} would send, walked from the
     * same fields without building its lists. A kind whose records are the very objects of the last digest, in the
     * same order, keeps its hash ({@link Cache}): records are immutable, and the hash is over their sorted hashes, so
     * the same objects give the same hash. Anti-entropy asks for a digest twice per round and peer (the one sent, the
     * one answered), and metadata rarely changes between rounds.
     */
    static MetaDigest of(Conference c, boolean answer) {
        Cache x = c.digestCache;
        x.walked.clear(); // nothing left from a walk an exception cut short
        x.add(c.context);
        x.kind(CONTEXT, Protocol.SIGNED_CONTEXT);
        x.addAll(c.invitations.values());
        x.kind(INVITATIONS, Protocol.INVITATION);
        for (java.util.TreeMap<Integer, Reply> log : c.replyLog.values()) x.addAll(log.values());
        x.kind(2, Protocol.REPLY);
        if (c.end != null) x.add(c.end);
        x.kind(3, Protocol.END);
        x.addAll(c.removalRecords);
        x.kind(4, Protocol.REMOVAL);
        x.addAll(c.grants.values());
        x.kind(5, Protocol.GRANT);
        for (java.util.TreeMap<Integer, RoleChange> log : c.roleLog.values()) x.addAll(log.values());
        x.kind(6, Protocol.ROLE);
        x.addAll(c.scheduleRecords.values());
        x.kind(7, Protocol.RESCHEDULE);
        return new MetaDigest(c.id, answer, x.kinds());
    }

    /** An empty digest: what a peer that does not know the conference holds of it (it gets the records). */
    static MetaDigest none(ConferenceId conference) {
        List<Kind> kinds = new ArrayList<>(KINDS);
        for (int i = 0; i < KINDS; i++) kinds.add(hashOf(List.of()));
        return new MetaDigest(conference, false, kinds);
    }

    /** The kind of {@code hashes} (one per record, any order; sorted here). */
    private static Kind hashOf(List<byte[]> hashes) {
        hashes = new ArrayList<>(hashes);
        hashes.sort(Arrays::compareUnsigned);
        MessageDigest sha = sha256();
        for (byte[] h : hashes) sha.update(h);
        return new Kind(hashes.size(), sha.digest());
    }

    /**
     * One conference's digest as last computed, per kind: the records hashed, in the order {@link #of} walked them,
     * each one's SHA-256, and the kind's hash. A kind is hashed again only when the records walked differ from the
     * last ones in count or in any object (by identity), and then only its new records are encoded. Records are
     * immutable (their byte arrays are never written after decoding or signing), so the same objects hash the same.
     * Engine thread, like the conference.
     */
    static final class Cache {
        private final Object[][] records = new Object[KINDS][];
        private final byte[][][] hashes = new byte[KINDS][][];
        private final Kind[] kinds = new Kind[KINDS];
        private List<Kind> all;
        /** The records of the kind being walked. */
        private final ArrayList<Object> walked = new ArrayList<>();

        void add(Object record) {
            walked.add(record);
        }

        void addAll(java.util.Collection<?> rs) {
            for (Object r : rs) walked.add(r);
        }

        /** Ends the walk of kind {@code k}: its hash kept if the records are the same objects, recomputed otherwise. */
        <T> void kind(int k, WireCodec<T> codec) {
            Object[] last = records[k];
            if (last != null && sameObjects(last, walked)) {
                walked.clear();
                return;
            }
            java.util.IdentityHashMap<Object, byte[]> known = new java.util.IdentityHashMap<>();
            if (last != null) for (int i = 0; i < last.length; i++) known.put(last[i], hashes[k][i]);
            MessageDigest sha = sha256();
            Object[] now = walked.toArray();
            byte[][] nowHashes = new byte[now.length][];
            for (int i = 0; i < now.length; i++) {
                byte[] h = known.get(now[i]);
                @SuppressWarnings("unchecked") T r = (T) now[i];
                nowHashes[i] = h != null ? h : sha.digest(Protocol.bytes(codec, r));
            }
            walked.clear();
            kinds[k] = hashOf(Arrays.asList(nowHashes));
            records[k] = now;
            hashes[k] = nowHashes;
            all = null;
        }

        /** The kinds, in wire order, once every one was walked. */
        List<Kind> kinds() {
            if (all == null) all = List.of(kinds);
            return all;
        }

        private static boolean sameObjects(Object[] last, List<Object> now) {
            if (last.length != now.size()) return false;
            for (int i = 0; i < last.length; i++) if (last[i] != now.get(i)) return false;
            return true;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }

    /** The conference id, a flag byte (1: answer with your digest, 0: do not), then per kind a count and its 32-byte hash. */
    static final WireCodec<MetaDigest> CODEC = new WireCodec<>() {
        public void write(WireWriter out, MetaDigest d) {
            out.write(d.conference(), Protocol.CONFERENCE_ID).writeByte(d.answer() ? 1 : 0);
            for (Kind k : d.kinds()) out.writeVarInt(k.count()).writeBytes(k.hash());
        }

        public MetaDigest read(WireReader in) {
            ConferenceId id = in.read(Protocol.CONFERENCE_ID);
            int flag = in.readByte();
            if (flag != 0 && flag != 1) throw new WireFormatException("meta digest flag " + flag);
            List<Kind> kinds = new ArrayList<>(KINDS);
            for (int i = 0; i < KINDS; i++) kinds.add(new Kind(in.readVarInt(0, MAX_COUNT), in.readBytesExactly(32)));
            return new MetaDigest(id, flag == 1, kinds);
        }
    };

    static final MessageType<MetaDigest> TYPE = new MessageType<>(120, MetaDigest.class, CODEC);
}
