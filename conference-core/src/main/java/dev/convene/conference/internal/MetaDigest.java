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

    /** The digest of what {@code c} holds: of exactly the records {@link Conference#meta()} would send. */
    static MetaDigest of(Conference c, boolean answer) {
        Meta m = c.meta();
        java.util.IdentityHashMap<Object, byte[]> before = c.digestHashes;
        java.util.IdentityHashMap<Object, byte[]> now = new java.util.IdentityHashMap<>();
        List<Kind> kinds = new ArrayList<>(KINDS);
        kinds.add(kind(List.of(m.context()), Protocol.SIGNED_CONTEXT, before, now));
        kinds.add(kind(m.invitations(), Protocol.INVITATION, before, now));
        kinds.add(kind(m.replies(), Protocol.REPLY, before, now));
        kinds.add(kind(m.end() == null ? List.of() : List.of(m.end()), Protocol.END, before, now));
        kinds.add(kind(m.removals(), Protocol.REMOVAL, before, now));
        kinds.add(kind(m.grants(), Protocol.GRANT, before, now));
        kinds.add(kind(m.roles(), Protocol.ROLE, before, now));
        kinds.add(kind(m.schedules(), Protocol.RESCHEDULE, before, now));
        c.digestHashes = now;
        return new MetaDigest(c.id, answer, kinds);
    }

    /** An empty digest: what a peer that does not know the conference holds of it (it gets the records). */
    static MetaDigest none(ConferenceId conference) {
        List<Kind> kinds = new ArrayList<>(KINDS);
        for (int i = 0; i < KINDS; i++) kinds.add(kind(List.<SignedContext>of(), Protocol.SIGNED_CONTEXT, null, null));
        return new MetaDigest(conference, false, kinds);
    }

    /** {@code before}/{@code now}: record hashes by identity, the last digest's and this one's (null: none kept). */
    private static <T> Kind kind(List<T> records, WireCodec<T> codec, java.util.IdentityHashMap<Object, byte[]> before,
                                 java.util.IdentityHashMap<Object, byte[]> now) {
        MessageDigest sha = sha256();
        List<byte[]> hashes = new ArrayList<>(records.size());
        for (T r : records) {
            byte[] h = before == null ? null : before.get(r);
            if (h == null) h = sha.digest(Protocol.bytes(codec, r));
            if (now != null) now.put(r, h);
            hashes.add(h);
        }
        hashes.sort(Arrays::compareUnsigned);
        for (byte[] h : hashes) sha.update(h);
        return new Kind(records.size(), sha.digest());
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
