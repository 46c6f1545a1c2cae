package dev.convene.conference.internal;

import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MessageId;
import dev.convene.overlay.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Durability: a conference's metadata saved when it changed, and every conference restored from the store at start. Engine thread. */
final class Persistence {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    private final EngineState s;
    private final Keys keys;
    private final ChatLog chat;

    Persistence(EngineState s, Keys keys, ChatLog chat) {
        this.s = s;
        this.keys = keys;
        this.chat = chat;
    }

    /** Saves a conference's metadata if it changed since the last save. */
    void persist(Conference c) {
        byte[] meta = MetaRecords.head(c);
        Map<String, byte[]> changed = MetaRecords.changed(c);
        boolean headChanged = !java.util.Arrays.equals(meta, c.savedMeta) || c.ownSequence != c.savedOwnSequence
                || c.keys.size() != c.savedKeys;
        if (!headChanged && changed.isEmpty()) return;
        s.store.saveConference(c.id, headChanged ? new ConferenceStore.SavedConference(c.id, meta, c.keys, c.currentEpoch, c.ownSequence)
                : null, changed);
        MetaRecords.markSaved(c);
        c.savedMeta = meta;
        c.savedOwnSequence = c.ownSequence;
        c.savedKeys = c.keys.size();
    }

    /**
     * Loads what the store holds, before the overlay starts: conferences as they were, and every chat
     * message that passes its checksum, delivered silently into the history. Own messages never
     * acknowledged come back pending and wait for an acknowledgement again.
     */
    void restore() {
        s.banned.addAll(s.store.bans());
        for (ConferenceStore.SavedConference saved : s.store.conferences()) {
            try {
                Conference c = restoreOne(saved);
                s.conferences.put(c.id, c);
                s.readable.put(c.id, c);
                s.publish(c);
            } catch (RuntimeException e) {
                // A record this peer cannot load never stops it from starting: set it aside, count it, go on.
                s.counters.conferenceFailures.increment();
                log.warn("{}: setting aside stored conference {}: {}", s.label(), saved.id().shortId(), e.toString());
                s.store.quarantine(saved.id(), saved.meta(), String.valueOf(e));
            }
        }
        s.counters.quarantined.add(s.store.quarantined());
        s.counters.corruptRows.add(s.store.corruptRows());
        if (!s.conferences.isEmpty()) {
            log.info("{}: restored {} conferences ({} corrupt rows skipped)", s.label(), s.conferences.size(), s.store.corruptRows());
        }
    }

    Conference restoreOne(ConferenceStore.SavedConference saved) {
        Meta head = dev.convene.overlay.wire.WireBytes.decode(Protocol.STORED_META, saved.meta());
        // A head written before rows existed holds every record itself; it is rewritten as rows on the next change.
        boolean rowsOnly = head.invitations().isEmpty() && head.replies().isEmpty() && head.removals().isEmpty() && head.grants().isEmpty()
                && head.roles().isEmpty() && head.schedules().isEmpty();
        Map<String, byte[]> rows = s.store.records(saved.id());
        Meta meta = MetaRecords.assemble(head, rows);
        if (!meta.context().context().id().equals(saved.id())) throw new IllegalStateException("row key does not match its context");
        if (!meta.context().verifies(s.gate, null)) throw new IllegalStateException("context signature does not verify");
        Conference c = new Conference(meta.context());
        // Only verified records are ever stored (persist writes what the merges accepted), so a start does not
        // verify them again: one check of the context guards against a row from elsewhere, the decode against damage.
        for (Invitation inv : meta.invitations()) {
            if (!inv.conference().equals(c.id)) continue;
            c.invitations.put(inv.invitee(), c.sharingContext(inv));
            c.nonces.add(inv.nonceHex());
        }
        meta.roles().stream().filter(r -> r.conference().equals(c.id) && r.revision() <= Protocol.MAX_REVISIONS)
                .forEach(r -> c.roleLog.computeIfAbsent(r.peer(), p -> new TreeMap<>()).put(r.revision(), r));
        for (Reply r : meta.replies()) {
            if (!r.conference().equals(c.id) || c.keyOf(r.author()) == null || r.revision() > Protocol.MAX_REVISIONS) continue;
            c.replyLog.computeIfAbsent(r.author(), a -> new TreeMap<>()).put(r.revision(), r);
            if (r.revision() > c.revisionOf(r.author())) c.replies.put(r.author(), r);
        }
        if (meta.end() != null && meta.end().conference().equals(c.id)) c.end = meta.end();
        meta.removals().stream().filter(r -> r.conference().equals(c.id)).limit(Protocol.MAX_REMOVAL_RECORDS)
                .forEach(c.removalRecords::add);
        c.resolveRemovals();
        meta.schedules().stream().filter(r -> r.conference().equals(c.id)).limit(Protocol.MAX_RESCHEDULES * 2)
                .forEach(r -> c.scheduleRecords.put(Conference.scheduleKey(r), r));
        c.resolveSchedule();
        meta.grants().stream().filter(g -> g.conference().equals(c.id)).forEach(g -> c.grants.put(g.slot(), g));
        c.keys.putAll(saved.keys());
        c.currentEpoch = saved.currentEpoch();
        // The keys of rotations this peer made are not in any grant to it: the saved ones are they.
        saved.keys().forEach((e, k) -> {
            PeerId rotator = c.rotator(e);
            if (e > 0 && (rotator == null ? s.self.equals(c.organiser()) : rotator.equals(s.self))) c.ownRotations.put(e, k);
        });
        keys.refreshKeys(c);
        c.ownSequence = saved.ownSequence();
        c.invitationAnnounced = true;
        c.savedMeta = saved.meta();
        if (rowsOnly) MetaRecords.markSaved(c);
        c.savedOwnSequence = c.ownSequence;
        c.savedKeys = c.keys.size();
        c.state = c.stateAt(s.clock.instant());
        List<HlcTimestamp> seen = new ArrayList<>();
        for (ConferenceStore.SavedChat sc : s.store.chat(c.id)) {
            ChatMessage m = sc.message();
            byte[] authorKey = c.keyOf(m.author());
            if (authorKey == null || !c.keys.containsKey(m.keyEpoch())) continue;
            c.chat.computeIfAbsent(m.author(), a -> new java.util.TreeMap<>()).put(m.sequence(), m);
            c.restoredNames.put(m.id(), sc.authorName());
            if (m.author().equals(s.self) && !sc.acknowledged()) c.unacknowledged.add(m.sequence());
            seen.add(m.timestamp());
        }
        for (ChatMessage second : MetaRecords.equivocations(rows)) {
            if (second.conference().equals(c.id)) c.equivocations.put(second.id(), second);
        }
        Receipts.restore(c, rows);
        c.restoring = true;
        try {
            chat.deliverReady(c);
        } finally {
            c.restoring = false;
        }
        c.stored.putAll(c.contiguous); // all of it came from the store
        // Only a conference that loaded in full moves this peer's clock.
        seen.forEach(s.hlc::observe);
        // Never reuse a sequence number: take the highest own message stored, even beyond a damaged row.
        if (c.chat.containsKey(s.self)) c.ownSequence = Math.max(c.ownSequence, c.chat.get(s.self).lastKey());
        for (long seq : c.unacknowledged) {
            // Only what is shown waits for an acknowledgement; an own post settled unshown never gets one.
            if (c.entries.containsKey(new MessageId(s.self, seq))) c.awaitingAck.put(seq, new CompletableFuture<>());
        }
        c.lastParticipants = c.participants();
        c.view(s.self); // a conference that cannot show itself would fail every reader: find out now
        return c;
    }

    /**
     * The overlay's discovery cache, kept in this peer's store ({@code known_address}) instead of
     * {@code HOME/known-peers}; a failing store is logged and counts as an empty cache.
     */
    dev.convene.overlay.AddressCache addressCache() {
        return new dev.convene.overlay.AddressCache() {
            @Override
            public List<dev.convene.overlay.HostPort> load() {
                try {
                    return s.store.addresses();
                } catch (RuntimeException e) {
                    log.warn("{}: cannot read the known addresses: {}", s.label(), e.toString());
                    return List.of();
                }
            }

            @Override
            public void remember(List<dev.convene.overlay.HostPort> seen) {
                s.writer.rememberAddresses(seen); // by the persistence thread: no disk on the overlay's event thread
            }
        };
    }
}
