package dev.convene.conference.internal;

import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.RejectedMessageException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Conference metadata received from peers: verified and merged into a conference, record kind by record kind. Engine thread. */
final class MetaMerge {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    private final EngineState s;
    private final Keys keys;
    private final ChatLog chat;
    private final Dispatch dispatch;
    private final Consumer<Conference> afterChange;

    MetaMerge(EngineState s, Keys keys, ChatLog chat, Dispatch dispatch, Consumer<Conference> afterChange) {
        this.s = s;
        this.keys = keys;
        this.chat = chat;
        this.dispatch = dispatch;
        this.afterChange = afterChange;
    }

    void onMeta(PeerId from, Meta m) {
        SignedContext sc = m.context();
        ConferenceId id = sc.context().id();
        Conference c = s.conferences.get(id);
        boolean isNew = c == null;
        s.gate.beginFrame();
        // Cheap checks first (is this conference, organiser, invitee plausible), every signature after.
        if (isNew) {
            // The id binds the organiser: nobody else can plant a context under it, at any peer.
            if (!id.isBoundTo(sc.organiserKey(), sc.context().createdAt())) {
                throw new RejectedMessageException("conference id " + id.shortId() + " is not bound to its organiser");
            }
            boolean named = sc.context().organiser().equals(s.self) || sc.context().invitees().contains(s.self)
                    || m.invitations().stream().anyMatch(i -> i.invitee().equals(s.self));
            if (!named) throw new RejectedMessageException("not a member of conference " + id.shortId());
            // Another member's answer (Conference.answerMeta: its own invitation only) can arrive before the metadata
            // that holds this peer's invitation and key: not a conference to show yet, and nothing hostile; the
            // metadata with the invitation follows (from its inviter, anti-entropy, or when a member comes online).
            if (!sc.context().organiser().equals(s.self) && m.invitations().stream().noneMatch(i -> i.invitee().equals(s.self))) return;
            // A ban covers what a banned peer organises, whoever relays it.
            if (s.banned.contains(sc.context().organiser())) throw new RejectedMessageException("conference organised by a banned peer");
            String refusal = ForeignConferences.refusal(s.conferences.values(), s.self, s.banned, sc.context(), s.clock.instant());
            if (refusal != null) {
                s.counters.conferencesRefused.increment();
                throw new RejectedMessageException("conference " + id.shortId() + " refused: " + refusal);
            }
        } else if (!c.organiser().equals(sc.context().organiser()) || !c.ctx().createdAt().equals(sc.context().createdAt())) {
            throw new RejectedMessageException("context for " + id.shortId() + " from a different organiser");
        }
        if (!sc.verifies(s.gate, from)) throw new RejectedMessageException("context signature does not verify");
        if (isNew) c = new Conference(sc);
        final PeerId sender = from;
        if (sc.context().version() > c.ctx().version()) c.context = sc;
        // Invitations by participants are authorised by their inviter's acceptance, and replies verify with
        // keys from invitations: merge in rounds until nothing new is learned.
        Map<PeerId, Removal> removalsBefore = new java.util.LinkedHashMap<>(c.removals);
        ConferenceView viewBefore = isNew ? null : s.views.get(id);
        for (int round = 0; round < 4; round++) {
            int known = c.invitations.size() + c.replies.size() + c.removalRecords.size() + c.grants.size() + revisions(c)
                    + c.roleChanges().size();
            mergeRoles(c, m.roles(), sender);
            mergeInvitations(c, m.invitations(), sender);
            mergeRemovalsAndGrants(c, m.removals(), m.grants(), sender);
            mergeReplies(c, m.replies(), sender);
            if (c.invitations.size() + c.replies.size() + c.removalRecords.size() + c.grants.size() + revisions(c)
                    + c.roleChanges().size() == known) break;
        }
        c.resolveRemovals(); // role changes may have arrived after the removals they authorise
        boolean invitationsDropped = revalidateInvitations(c);
        Set<Integer> rekeyed = keys.refreshKeys(c);
        if (!isNew && (invitationsDropped || !removalsBefore.equals(c.removals) || !rekeyed.isEmpty())) chat.rebuild(c, rekeyed);
        if (isNew) {
            // Only a verified, authorised invitation (or the organiser's own context) makes this peer a member:
            // a forged invitation naming it must not make a conference appear.
            if (!c.isMember(s.self)) {
                dispatch.discard(id);
                throw new RejectedMessageException("no valid invitation for this peer in conference " + id.shortId());
            }
            // Fully validated before it is stored: a conference this peer cannot compute its state or view of
            // would fail every tick and reader after.
            try {
                c.stateAt(s.clock.instant());
                c.view(s.self);
            } catch (RuntimeException e) {
                dispatch.discard(id);
                throw new RejectedMessageException("conference " + id.shortId() + " cannot be shown: " + e.getMessage());
            }
            s.conferences.put(id, c);
            s.readable.put(id, c);
        }
        if (m.end() != null) mergeEnd(c, m.end(), (key, n) -> n.verifies(key, s.gate, sender));
        Reschedule scheduleBefore = c.schedule;
        mergeSchedules(c, m.schedules(), sender);
        c.resolveSchedule(); // also after roles, removals and end notices: they decide which changes are valid
        if (!isNew && c.schedule != scheduleBefore && viewBefore != null) {
            dispatch.fireLater(c, after -> l -> l.rescheduled(viewBefore, after));
        }
        // What a peer learns with its first metadata is the starting point, not a series of joins.
        if (isNew) c.lastParticipants = c.participants();
        afterChange.accept(c);
        chat.deliverReady(c); // answers, keys or removals may decide messages held until now
    }

    /**
     * Keeps the earliest valid end notice (ties: the smaller signature), so concurrent ends by the organiser and
     * co-organisers resolve the same way at every peer.
     */
    static void mergeEnd(Conference c, EndNotice e) {
        mergeEnd(c, e, (key, n) -> n.verifies(key));
    }

    /** As {@link #mergeEnd(Conference, EndNotice)}, verifying through {@code verifies} (the budgeted gate for received notices). */
    static void mergeEnd(Conference c, EndNotice e, java.util.function.BiPredicate<byte[], EndNotice> verifies) {
        if (!e.conference().equals(c.id)) return;
        if (c.end != null && (e.at().isAfter(c.end.at())
                || e.at().equals(c.end.at()) && java.util.Arrays.compareUnsigned(e.signature(), c.end.signature()) >= 0)) return;
        byte[] key = e.signer() == null ? c.context.organiserKey() : c.keyOf(e.signer());
        if (key == null || e.signer() != null && !c.isOrganiserAt(e.signer(), e.at())) return;
        if (verifies.test(key, e)) c.end = e;
    }

    /**
     * Keeps each schedule change whose signer is an organiser at the change's instant (by the role and removal records
     * held: they travel in the same metadata, merged first), dated before the end notice held, and whose signature
     * verifies; one per signer and revision (two different ones: the smaller signature), at most
     * {@code 2 * MAX_RESCHEDULES} in all. A change refused for its signer, its date or its signature is counted
     * ({@code reschedulesRefused}). Which change is in effect is decided by {@link Conference#resolveSchedule}.
     */
    void mergeSchedules(Conference c, List<Reschedule> changes, PeerId from) {
        for (Reschedule r : changes) {
            if (!r.conference().equals(c.id)) continue;
            String key = Conference.scheduleKey(r);
            Reschedule known = c.scheduleRecords.get(key);
            if (known != null && java.util.Arrays.compareUnsigned(known.signature(), r.signature()) <= 0) continue;
            byte[] signerKey = c.keyOf(r.signer());
            boolean refused = signerKey == null || !c.isOrganiserAt(r.signer(), r.at())
                    || c.end != null && !r.at().isBefore(c.end.at())
                    || known == null && c.scheduleRecords.size() >= Protocol.MAX_RESCHEDULES * 2
                    || !r.verifies(signerKey, s.gate, from);
            if (refused) {
                s.counters.reschedulesRefused.increment();
                log.debug("{}: schedule change {} by {} refused", s.label(), r.revision(), r.signer().shortId());
                continue;
            }
            c.scheduleRecords.put(key, r);
        }
    }

    /** The organiser's role changes: per member, every revision; two different ones with one revision keep the smaller signature. */
    void mergeRoles(Conference c, List<RoleChange> roles, PeerId from) {
        for (RoleChange r : roles) {
            if (!r.conference().equals(c.id) || r.peer().equals(c.organiser()) || r.revision() > Protocol.MAX_REVISIONS) continue;
            TreeMap<Integer, RoleChange> log = c.roleLog.get(r.peer());
            RoleChange known = log == null ? null : log.get(r.revision());
            if (known != null && java.util.Arrays.compareUnsigned(known.signature(), r.signature()) <= 0) continue;
            if (known == null && c.roleChanges().size() >= Protocol.MAX_ROLE_CHANGES) continue;
            if (!r.verifies(c.context.organiserKey(), s.gate, from)) continue;
            c.roleLog.computeIfAbsent(r.peer(), p -> new TreeMap<>()).put(r.revision(), r);
        }
    }

    static int revisions(Conference c) {
        int n = 0;
        for (var log : c.replyLog.values()) n += log.size();
        return n;
    }

    void mergeReplies(Conference c, List<Reply> replies, PeerId from) {
        int unverified = 0;
        for (Reply r : replies) {
            if (!r.conference().equals(c.id) || r.revision() <= c.revisionOf(r.author())) continue;
            byte[] key = c.keyOf(r.author());
            if (key == null || !r.verifies(key, s.gate, from)) {
                unverified++; // logged once per frame: a frame of hundreds of bad replies is one line, not hundreds
                continue;
            }
            if (r.revision() > Protocol.MAX_REVISIONS) continue;
            Reply known = c.replyLog.getOrDefault(r.author(), new java.util.TreeMap<>()).get(r.revision());
            // Two different answers with one revision (an author contradicting itself): every peer keeps the
            // one with the smaller signature, so all reach the same membership history.
            if (known != null && java.util.Arrays.compareUnsigned(known.signature(), r.signature()) <= 0) continue;
            if (r.revision() >= c.revisionOf(r.author())) applyReply(c, r);
            else c.replyLog.computeIfAbsent(r.author(), a -> new java.util.TreeMap<>()).put(r.revision(), r);
        }
        if (unverified > 0) log.debug("{}: {} replies from {} not verifiable (yet)", s.label(), unverified, from == null ? "this peer" : from.shortId());
    }

    /**
     * Judges again every invitation held by an inviter other than the organiser, against the role and membership
     * records held now: an invitation kept because its inviter's revocation had not arrived yet is dropped once it
     * has, so the verdict on an invitation depends on the set of records, never on the order they arrived in (a
     * peer that learns them in one frame refuses it on arrival; one that learns the revocation later drops it
     * then). Repeated until nothing changes (an inviter may owe its own standing to a dropped invitation). The
     * history is rebuilt by the caller: messages of a peer whose invitation fell are taken out (listeners told).
     *
     * @return whether an invitation was dropped
     */
    boolean revalidateInvitations(Conference c) {
        boolean dropped = false;
        for (boolean again = true; again; ) {
            again = false;
            for (Invitation inv : List.copyOf(c.invitations.values())) {
                if (c.invitations.get(inv.invitee()) != inv || inv.inviter().equals(c.organiser())) continue;
                boolean authorised = c.isOrganiserAt(inv.inviter(), inv.issuedAt())
                        || (c.ctx().participantsMayInvite() && c.participants().contains(inv.inviter()));
                if (authorised) continue;
                c.invitations.remove(inv.invitee());
                c.nonces.remove(inv.nonceHex());
                log.debug("{}: invitation of {} by {} no longer authorised by the records held; dropped", s.label(),
                        inv.invitee().shortId(), inv.inviter().shortId());
                dropped = true;
                again = true;
            }
        }
        return dropped;
    }

    void mergeInvitations(Conference c, List<Invitation> incoming, PeerId from) {
        // Invitations by participants are valid only once their inviter's acceptance is known: two passes.
        for (int pass = 0; pass < 2; pass++) {
            for (Invitation inv : incoming) {
                if (c.nonces.contains(inv.nonceHex()) || c.invitations.containsKey(inv.invitee())) continue;
                if (c.invitees().size() >= ConferenceContext.MAX_INVITEES && !c.invitees().contains(inv.invitee())) continue;
                if (!inv.conference().equals(c.id) || !inv.context().context().organiser().equals(c.organiser())) continue;
                boolean byOrganiser = inv.inviter().equals(c.organiser());
                boolean authorised = byOrganiser || c.isOrganiserAt(inv.inviter(), inv.issuedAt())
                        || (c.ctx().participantsMayInvite() && c.participants().contains(inv.inviter()));
                // The organiser names each invitee in the context it signs before inviting it (create, invite).
                if (byOrganiser && !inv.context().context().invitees().contains(inv.invitee())) continue;
                if (!authorised || s.banned.contains(inv.inviter()) || inv.expiry().isBefore(s.clock.instant())) continue;
                if (!inv.verifies(s.gate, from)) continue;
                c.invitations.put(inv.invitee(), c.sharingContext(inv));
                c.nonces.add(inv.nonceHex());
                if (inv.invitee().equals(s.self)) keys.openKey(c, inv);
            }
        }
    }

    /**
     * Keeps every removal record and key grant whose signer's signature verifies (the organiser, or a member for
     * a co-organiser's); which removals take effect is decided by {@link Conference#resolveRemovals}. Cheap checks
     * come first; signatures go through the budgeted gate.
     */
    void mergeRemovalsAndGrants(Conference c, List<Removal> removals, List<KeyGrant> grants, PeerId from) {
        for (Removal r : removals) {
            if (!r.conference().equals(c.id) || r.peer().equals(c.organiser()) || c.removalRecords.size() >= Protocol.MAX_REMOVAL_RECORDS) continue;
            if (!c.isMember(r.peer())) continue; // a removal is plausible only of a member
            if (c.removalRecords.stream().anyMatch(k -> java.util.Arrays.equals(k.signature(), r.signature()))) continue;
            byte[] key = r.signer() == null ? c.context.organiserKey() : c.keyOf(r.signer());
            if (key == null || !r.verifies(key, s.gate, from)) continue;
            c.removalRecords.add(r);
            if (r.peer().equals(s.self)) log.info("{}: removed from {}", s.label(), c.id.shortId());
        }
        c.resolveRemovals();
        for (KeyGrant g : grants) {
            if (!g.conference().equals(c.id) || c.grants.containsKey(g.slot()) || c.removals.containsKey(g.recipient())) continue;
            if (c.grants.size() >= Protocol.MAX_REMOVALS * (ConferenceContext.MAX_INVITEES + 1) * 2) continue;
            byte[] key = g.signer() == null ? c.context.organiserKey() : c.keyOf(g.signer());
            if (key == null || !g.verifies(key, s.gate, from)) continue;
            c.grants.put(g.slot(), g);
        }
    }

    void applyReply(Conference c, Reply r) {
        c.replyLog.computeIfAbsent(r.author(), a -> new java.util.TreeMap<>()).put(r.revision(), r);
        c.replies.put(r.author(), r);
        if (!s.banned.contains(r.author())) dispatch.fireLater(c, v -> l -> l.reply(v, r.author(), r.answer(), r.reason()));
    }
}
