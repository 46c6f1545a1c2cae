package dev.convene.conference.internal;

import dev.convene.overlay.wire.WireBytes;
import dev.convene.overlay.wire.WireCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A conference's metadata as the store keeps it: a head (the signed context and the end notice) and one row per
 * invitation, reply revision, removal, key grant and role change, keyed by what identifies it ({@code i/<invitee>},
 * {@code r/<author>/<revision>} (every revision: membership is a history), {@code x/<peer>/<epoch>/<signer>},
 * {@code g/<recipient>/<epoch>}, {@code o/<peer>/<revision>}, {@code s/<signer>/<revision>} for schedule changes). A change writes the head if it changed and the rows that
 * changed, never the whole metadata (a reply in a 256-invitee conference writes one reply, not 256 invitations).
 * Records are immutable, so a row changed exactly when its map holds another object than the one saved.
 */
final class MetaRecords {
    private MetaRecords() {
    }

    /** The head as stored: context and end only. */
    static byte[] head(Conference c) {
        return WireBytes.encode(Protocol.STORED_META, new Meta(c.context, List.of(), List.of(), c.end), Protocol.MAX_STORED_META);
    }

    /** The records of a conference by row key. */
    static Map<String, Object> current(Conference c) {
        Map<String, Object> out = new LinkedHashMap<>();
        c.invitations.forEach((p, i) -> out.put("i/" + p.value(), i));
        c.replyLog.forEach((p, log) -> log.forEach((rev, r) -> out.put("r/" + p.value() + "/" + rev, r)));
        c.replies.forEach((p, r) -> out.putIfAbsent("r/" + p.value() + "/" + r.revision(), r));
        // Every removal record, the ones that lost a conflict too: every peer resolves the same set the same way.
        c.removalRecords.forEach(r -> out.put("x/" + r.peer().value() + "/" + r.newEpoch() + "/" + (r.signer() == null ? "-" : r.signer().value()), r));
        c.grants.forEach((k, g) -> out.put("g/" + k, g));
        c.roleLog.forEach((p, log) -> log.forEach((rev, r) -> out.put("o/" + p.value() + "/" + rev, r)));
        c.scheduleRecords.forEach((k, r) -> out.put("s/" + k, r));
        return out;
    }

    /** The rows whose record is not the one last saved, encoded. */
    static Map<String, byte[]> changed(Conference c) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        current(c).forEach((k, v) -> {
            if (c.savedRecords.get(k) != v) out.put(k, encode(v));
        });
        return out;
    }

    /** Remembers every current record as saved. */
    static void markSaved(Conference c) {
        c.savedRecords.clear();
        c.savedRecords.putAll(current(c));
    }

    private static byte[] encode(Object record) {
        if (record instanceof Invitation i) return WireBytes.encode(Protocol.INVITATION, i, Protocol.MAX_SIGNED);
        if (record instanceof Reply r) return WireBytes.encode(Protocol.REPLY, r, Protocol.MAX_SIGNED);
        if (record instanceof Removal r) return WireBytes.encode(Protocol.REMOVAL, r, Protocol.MAX_SIGNED);
        if (record instanceof KeyGrant g) return WireBytes.encode(Protocol.GRANT, g, Protocol.MAX_SIGNED);
        if (record instanceof RoleChange r) return WireBytes.encode(Protocol.ROLE, r, Protocol.MAX_SIGNED);
        if (record instanceof Reschedule r) return WireBytes.encode(Protocol.RESCHEDULE, r, Protocol.MAX_SIGNED);
        throw new IllegalArgumentException("not a metadata record: " + record.getClass());
    }

    /** The stored head and rows as one {@link Meta}; a row that does not decode fails the whole conference. */
    static Meta assemble(Meta head, Map<String, byte[]> rows) {
        List<Invitation> inv = new ArrayList<>(head.invitations());
        List<Reply> rep = new ArrayList<>(head.replies());
        List<Removal> rem = new ArrayList<>(head.removals());
        List<KeyGrant> grants = new ArrayList<>(head.grants());
        List<RoleChange> roles = new ArrayList<>(head.roles());
        List<Reschedule> schedules = new ArrayList<>(head.schedules());
        rows.forEach((k, bytes) -> {
            switch (k.substring(0, Math.min(2, k.length()))) {
                case "i/" -> inv.add(decode(Protocol.INVITATION, bytes));
                case "r/" -> rep.add(decode(Protocol.REPLY, bytes));
                case "x/" -> rem.add(decode(Protocol.REMOVAL, bytes));
                case "g/" -> grants.add(decode(Protocol.GRANT, bytes));
                case "o/" -> roles.add(decode(Protocol.ROLE, bytes));
                case "s/" -> schedules.add(decode(Protocol.RESCHEDULE, bytes));
                case "q/" -> { } // an equivocation's second message: read by equivocations()
                case "w/", "u/" -> { } // a receipt, a proof: read by Receipts.restore
                default -> throw new IllegalStateException("unknown metadata row " + k);
            }
        });
        return new Meta(head.context(), inv, rep, head.end(), rem, grants, roles, schedules);
    }

    /** The row key of an equivocation's second message. */
    static String equivocationRow(ChatMessage second) {
        return "q/" + second.author().value() + "/" + second.sequence();
    }

    /** The equivocations' second messages among the stored rows. */
    static List<ChatMessage> equivocations(Map<String, byte[]> rows) {
        List<ChatMessage> out = new ArrayList<>();
        rows.forEach((k, bytes) -> {
            if (k.startsWith("q/")) out.add(decode(Protocol.STORED_CHAT, bytes)); // written before batch paths: none
        });
        return out;
    }

    private static <T> T decode(WireCodec<T> codec, byte[] bytes) {
        return WireBytes.decode(codec, bytes);
    }
}
