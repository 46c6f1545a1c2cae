package dev.convene.conference.internal;

import dev.convene.conference.Answer;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.PeerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One conference's state at one peer. Touched only by the engine thread, except {@link #history} which
 * readers iterate concurrently.
 */
final class Conference {
    final ConferenceId id;
    SignedContext context;
    final Counted<PeerId, Invitation> invitations = new Counted<>();
    final Set<String> nonces = new HashSet<>();
    /** Each member's current answer: its highest revision. */
    final Counted<PeerId, Reply> replies = new Counted<>();
    /** Every verified answer of each member by revision: its membership history (see {@link Membership}). */
    final Map<PeerId, TreeMap<Integer, Reply>> replyLog = new HashMap<>();
    EndNotice end;
    /** Peers removed, with the removals in effect (derived from {@link #removalRecords} by {@link #resolveRemovals}). */
    final Counted<PeerId, Removal> removals = new Counted<>();
    /** Every verified removal record, also those that lost a conflict or are not (yet) authorised. */
    final List<Removal> removalRecords = new ArrayList<>();
    /** The effective removal of each new epoch. */
    final Map<Integer, Removal> rotations = new HashMap<>();
    /** Keys of the rotations this peer made itself, by epoch (granted to others, not to itself). */
    final Map<Integer, byte[]> ownRotations = new HashMap<>();
    /** Keys opened from grants to this peer, by grant slot (an X25519 agreement each: done once). */
    final Map<String, byte[]> openedGrants = new HashMap<>();
    /** The organiser's role changes for each member, by revision. */
    final Map<PeerId, TreeMap<Integer, RoleChange>> roleLog = new HashMap<>();
    /** Every verified schedule change held, by {@code <signer>/<revision>} (one kept per signer and revision). */
    final Map<String, Reschedule> scheduleRecords = new TreeMap<>();
    /** The schedule change in effect (derived from {@link #scheduleRecords} by {@link #resolveSchedule}), or null: the context's. */
    Reschedule schedule;
    /** Key grants issued after rotations: kept to forward them to their recipients. */
    final Map<String, KeyGrant> grants = new LinkedHashMap<>();
    ConferenceState state = ConferenceState.SCHEDULED;
    /** Content keys by epoch, once known (the organiser's own, or opened from this peer's invitation). */
    final Map<Integer, byte[]> keys = new HashMap<>();
    int currentEpoch;
    /** Every verified chat message held, per author by sequence, including those beyond a gap. */
    final Map<PeerId, TreeMap<Long, ChatMessage>> chat = new HashMap<>();
    /** Per author, the highest sequence delivered (no gaps below it). */
    final Map<PeerId, Long> contiguous = new HashMap<>();
    /**
     * Per author, the highest sequence up to which everything held is committed to the store: what an
     * acknowledgement claims. At most {@link #contiguous}; it follows once the rows' batch commits ({@link ChatWriter}).
     */
    final Map<PeerId, Long> stored = new HashMap<>();
    /**
     * Delivered messages in canonical order, for readers on any thread. A map from an entry to itself so
     * that an acknowledgement can replace the value (pending → not) atomically under the same key.
     */
    final java.util.concurrent.ConcurrentSkipListMap<ChatEntry, ChatEntry> history =
            new java.util.concurrent.ConcurrentSkipListMap<>(ChatEntry.CANONICAL_ORDER);
    /**
     * Delivered durable events of the types registered here, per type key and in canonical order, for readers on
     * any thread ({@link TypedEvents}); their messages are held in {@link #chat} like chat.
     */
    final Map<String, java.util.concurrent.ConcurrentSkipListMap<dev.convene.conference.ConferenceEvent<?>, dev.convene.conference.ConferenceEvent<?>>> events =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The ids of the events in {@link #events}. */
    final Set<dev.convene.conference.MessageId> eventIds = new HashSet<>();
    /** The same entries by id, to find one without a scan. */
    final Map<dev.convene.conference.MessageId, ChatEntry> entries = new HashMap<>();
    long ownSequence;
    /** Own messages waiting for a participant to confirm storing them, by sequence. */
    final TreeMap<Long, java.util.concurrent.CompletableFuture<ChatEntry>> awaitingAck = new TreeMap<>();
    /**
     * Equivocations: for an author+sequence of which two different signed messages were seen, the second (the first
     * is in {@link #chat}). The pair is the proof; neither is shown. Stored as {@code q/} rows ({@link MetaRecords}).
     */
    final Map<dev.convene.conference.MessageId, ChatMessage> equivocations = new HashMap<>();
    /**
     * Messages shown before their author signature was checked (received live from their author, the pair MAC
     * proving who sent them; SECURITY.md 2.2), per author by sequence, with the entry shown: not held in {@link #chat},
     * not stored, acknowledged, relayed or counted in {@link #contiguous}, and named by no frontier this peer signs,
     * until the check passes ({@link ChatLog}).
     */
    final Map<PeerId, TreeMap<Long, Unchecked>> unchecked = new HashMap<>();
    /** Each author's current signed receipt, this peer's own included ({@link Receipts}; {@code w/} rows). */
    final Map<PeerId, Receipt> receipts = new HashMap<>();
    /** Messages proven to under-report their frontier, with the receipt they contradict ({@code u/} rows). */
    final Map<dev.convene.conference.MessageId, Receipt> underReports = new HashMap<>();
    /**
     * Per author, its latest receipt that numbers own messages of its this peer does not hold yet (sequence above
     * {@link #contiguous}): it binds nothing until they are here, then it becomes the current one ({@link Receipts};
     * this run only).
     */
    final Map<PeerId, Receipt> pendingReceipts = new HashMap<>();
    /** How far each other member said it stored own messages (its acknowledgements, not yet covered by a receipt). */
    final Map<PeerId, Long> ackClaimed = new HashMap<>();
    /** Own messages waiting for every other participant to confirm storing them, by sequence (this run only). */
    final TreeMap<Long, java.util.concurrent.CompletableFuture<ChatEntry>> awaitingAll = new TreeMap<>();
    /**
     * How far each other member confirmed storing own messages with an acknowledgement covered by its receipt
     * ({@link Acks#credit}: what counts for delivered-to-all; acknowledgements are cumulative; this run only).
     */
    final Map<PeerId, Long> ackedUpTo = new HashMap<>();
    /**
     * {@link Acks#storedByAll(Conference)}'s last full scan: the participant set it ran over (by identity:
     * {@link #participants()} returns a new set only when membership changed), the participant whose mark
     * ({@link #ackedUpTo}) was the lowest, and that mark; {@code null} before any scan (engine thread, this run only).
     */
    Set<PeerId> minScanFor;
    PeerId minHolder;
    long minMark;
    boolean invitationAnnounced;
    /** What was last written to the store, to skip writes that change nothing. */
    byte[] savedMeta;
    /** The metadata records last written to the store, by row key ({@link MetaRecords}). */
    final Map<String, Object> savedRecords = new HashMap<>();
    /** This conference's metadata digest as last computed, to hash only what changed ({@link MetaDigest#of}; engine thread). */
    final MetaDigest.Cache digestCache = new MetaDigest.Cache();
    long savedOwnSequence = -1;
    int savedKeys = -1;
    /** While loading from the store: names as saved, own messages never acknowledged. */
    boolean restoring;
    final Map<dev.convene.conference.MessageId, String> restoredNames = new HashMap<>();
    final Set<Long> unacknowledged = new HashSet<>();
    Set<PeerId> lastParticipants = Set.of();

    Conference(SignedContext context) {
        this.id = context.context().id();
        this.context = context;
    }

    /** The signed contexts the held invitations carry, one object per version (by signature). */
    private final Map<java.nio.ByteBuffer, SignedContext> sharedContexts = new HashMap<>();

    /**
     * {@code inv} carrying the one held copy of its context if an equal one is held (this conference's, or another
     * invitation's): each invitation decoded from a frame or a row brings its own copy of the signed context, with every
     * invitee in it, so a peer of a conference of n held n copies of n invitees (about 10 MiB per peer at 100, hundreds
     * of MiB for 100 peers in one JVM). Equal means equal content, not only the same signature bytes.
     */
    Invitation sharingContext(Invitation inv) {
        SignedContext theirs = inv.context();
        java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(theirs.signature());
        SignedContext held = sameContext(context, theirs) ? context : sharedContexts.get(key);
        if (held == null || !sameContext(held, theirs)) {
            if (held == null) sharedContexts.put(key, theirs);
            return inv;
        }
        return held == theirs ? inv : inv.withContext(held);
    }

    private static boolean sameContext(SignedContext a, SignedContext b) {
        return a == b || java.util.Arrays.equals(a.signature(), b.signature()) && java.util.Arrays.equals(a.organiserKey(), b.organiserKey())
                && a.context().equals(b.context());
    }

    ConferenceContext ctx() {
        return context.context();
    }

    PeerId organiser() {
        return ctx().organiser();
    }

    /** The membership sets as last computed, and what they were computed from (Counted): recomputed after a change. */
    private SignedContext setsFor;
    private long setsAt = -1;
    private Set<PeerId> invitees;
    private Set<PeerId> participants;

    private long membershipChanges() {
        return invitations.changes() + replies.changes() + removals.changes();
    }

    private void refreshSets() {
        long now = membershipChanges();
        if (setsFor == context && setsAt == now) return;
        Set<PeerId> all = new TreeSet<>(ctx().invitees());
        all.addAll(invitations.keySet());
        all.remove(organiser());
        all.removeAll(removals.keySet());
        Set<PeerId> out = new TreeSet<>();
        Reply own = replies.get(organiser());
        if (own == null || own.answer() == Answer.ACCEPT) out.add(organiser());
        for (PeerId p : all) {
            Reply r = replies.get(p);
            if (r != null && r.answer() == Answer.ACCEPT) out.add(p);
        }
        invitees = java.util.Collections.unmodifiableSet(all);
        participants = java.util.Collections.unmodifiableSet(out);
        setsFor = context;
        setsAt = now;
    }

    /** Everyone invited: by the context and by any accepted invitation. Read-only; computed once per change. */
    Set<PeerId> invitees() {
        refreshSets();
        return invitees;
    }

    /** The organiser and every invitee. */
    Set<PeerId> members() {
        Set<PeerId> all = new TreeSet<>(invitees());
        all.add(organiser());
        return all;
    }

    boolean isMember(PeerId p) {
        return p.equals(organiser()) || invitees().contains(p);
    }

    /** The organiser unless it left, and every invitee whose latest answer is accept. Read-only; computed once per change. */
    Set<PeerId> participants() {
        refreshSets();
        return participants;
    }

    /**
     * Whether {@code p} is one of {@link #participants()}, without building the set (asked for every chat message,
     * acknowledgement and history batch: the set costs two tree sets per call).
     */
    boolean isParticipant(PeerId p) {
        PeerId organiser = organiser();
        if (p.equals(organiser)) {
            Reply own = replies.get(organiser);
            return own == null || own.answer() == Answer.ACCEPT;
        }
        if (!ctx().invitees().contains(p) && !invitations.containsKey(p) || removals.containsKey(p)) return false;
        Reply r = replies.get(p);
        return r != null && r.answer() == Answer.ACCEPT;
    }

    /**
     * Whether {@code p} acted as an organiser at {@code at}: the organiser always; a member (not removed) if the
     * organiser's newest role change for it dated before {@code at} granted the role (at {@code at} itself a grant
     * counts and a revocation does not yet).
     */
    boolean isOrganiserAt(PeerId p, Instant at) {
        if (p.equals(organiser())) return true;
        Removal removed = removals.get(p);
        if (removed != null && !removed.at().isAfter(at) || !invitations.containsKey(p)) return false;
        TreeMap<Integer, RoleChange> log = roleLog.get(p);
        if (log == null) return false;
        RoleChange newest = null;
        for (RoleChange r : log.values()) {
            // Ties: a grant counts from its instant, a revocation only after it (an act dated the instant the role
            // was revoked stands: with equal clocks nothing says it came later).
            boolean counts = r.at().isBefore(at) || r.at().equals(at) && r.organiser();
            if (counts && (newest == null || r.revision() > newest.revision())) newest = r;
        }
        return newest != null && newest.organiser();
    }

    /**
     * Recomputes which removals are in effect: epoch by epoch, among the records claiming that new epoch whose
     * signer was the organiser, or a co-organiser at the record's time (given the removals of earlier epochs),
     * and whose peer is not removed already, the earliest wins (ties: the smaller signature). The others have no
     * effect anywhere: their peer stays unless removed again, their key is never used. True if anything changed.
     */
    boolean resolveRemovals() {
        Map<PeerId, Removal> before = new LinkedHashMap<>(removals);
        removals.clear();
        rotations.clear();
        TreeMap<Integer, List<Removal>> byEpoch = new TreeMap<>();
        for (Removal r : removalRecords) byEpoch.computeIfAbsent(r.newEpoch(), e -> new ArrayList<>()).add(r);
        for (var e : byEpoch.entrySet()) {
            Removal winner = null;
            for (Removal r : e.getValue()) {
                if (removals.containsKey(r.peer()) || r.peer().equals(organiser())) continue;
                if (r.signer() != null && !isOrganiserAt(r.signer(), r.at())) continue;
                if (winner == null || r.at().isBefore(winner.at())
                        || r.at().equals(winner.at()) && java.util.Arrays.compareUnsigned(r.signature(), winner.signature()) < 0) {
                    winner = r;
                }
            }
            if (winner != null) {
                removals.put(winner.peer(), winner);
                rotations.put(winner.newEpoch(), winner);
            }
        }
        return !before.equals(removals);
    }

    /** The row key of a schedule change: one kept per signer and revision. */
    static String scheduleKey(Reschedule r) {
        return r.signer().value() + "/" + r.revision();
    }

    /**
     * Recomputes the schedule in effect from the changes held, the same at every peer whatever order they arrived
     * in: the changes whose signer was an organiser at the change's instant ({@link #isOrganiserAt}, so a change by a
     * co-organiser revoked later stays valid, one made after its revocation does not) and that are dated before the
     * end notice, if any, are taken in ascending order of (revision, instant, signer's key bytes); each replaces the
     * schedule in effect unless it is dated at or after that schedule's end (a conference over by schedule is not
     * reopened). The last one that applied wins: the highest (revision, instant, signer key) among those valid.
     *
     * @return whether the schedule in effect changed
     */
    boolean resolveSchedule() {
        Reschedule before = schedule;
        List<Reschedule> valid = new ArrayList<>();
        for (Reschedule r : scheduleRecords.values()) {
            if (!r.conference().equals(id) || keyOf(r.signer()) == null || !isOrganiserAt(r.signer(), r.at())) continue;
            if (end != null && !r.at().isBefore(end.at())) continue;
            valid.add(r);
        }
        valid.sort(Comparator.comparingInt(Reschedule::revision).thenComparing(Reschedule::at)
                .thenComparing((a, b) -> java.util.Arrays.compareUnsigned(keyOf(a.signer()), keyOf(b.signer()))));
        Reschedule winner = null;
        for (Reschedule r : valid) {
            Instant endInEffect = winner == null ? ctx().end() : winner.end();
            if (r.at().isBefore(endInEffect)) winner = r;
        }
        schedule = winner;
        return before != winner;
    }

    /** @return the start in effect: the winning schedule change's, else the context's */
    Instant start() {
        return schedule == null ? ctx().start() : schedule.start();
    }

    /** @return the end by the schedule in effect ({@link ConferenceContext#LATEST} for a standing room) */
    Instant scheduledEnd() {
        return schedule == null ? ctx().end() : schedule.end();
    }

    /** @return the revision of the schedule in effect: 0 for the context's */
    int scheduleRevision() {
        return schedule == null ? 0 : schedule.revision();
    }

    /** @return the earliest instant a message may be dated (before skew): the context's start or the one in effect, whichever is earlier */
    Instant earliestMessage() {
        Instant s = start();
        return s.isBefore(ctx().start()) ? s : ctx().start();
    }

    /** @return when the conference is over: its end notice if earlier than the end by the schedule in effect, else that end */
    Instant over() {
        Instant e = scheduledEnd();
        return end != null && end.at().isBefore(e) ? end.at() : e;
    }

    /** @return the context with the schedule in effect: what views show (same version; the signed context is unchanged) */
    ConferenceContext shownContext() {
        return schedule == null ? ctx() : ctx().withSchedule(schedule.start(), schedule.duration());
    }

    List<Reschedule> scheduleChanges() {
        return new ArrayList<>(scheduleRecords.values());
    }

    /** Who rotated the key of {@code epoch}: the signer of its effective removal, or null for the organiser. */
    PeerId rotator(int epoch) {
        Removal r = rotations.get(epoch);
        return r == null ? null : r.signer();
    }

    /** The members holding the organiser role now (by the newest change of each). */
    Set<PeerId> coOrganisers() {
        Set<PeerId> out = new TreeSet<>();
        roleLog.forEach((p, log) -> {
            if (log.lastEntry().getValue().organiser() && !removals.containsKey(p) && invitations.containsKey(p)) out.add(p);
        });
        return out;
    }

    int roleRevisionOf(PeerId p) {
        TreeMap<Integer, RoleChange> log = roleLog.get(p);
        return log == null ? 0 : log.lastKey();
    }

    List<RoleChange> roleChanges() {
        List<RoleChange> out = new ArrayList<>();
        new TreeMap<>(roleLog).values().forEach(log -> out.addAll(log.values()));
        return out;
    }

    /** The raw signing key of a member, from the context or its invitation, or null. */
    byte[] keyOf(PeerId p) {
        if (p.equals(organiser())) return context.organiserKey();
        Invitation inv = invitations.get(p);
        return inv == null ? null : inv.inviteeKey();
    }

    int revisionOf(PeerId p) {
        Reply r = replies.get(p);
        return r == null ? 0 : r.revision();
    }

    /** The state this conference should be in at {@code now}, by the end notice and the schedule in effect. */
    ConferenceState stateAt(Instant now) {
        if (end != null) return end.at().isBefore(start()) ? ConferenceState.CANCELLED : ConferenceState.ENDED;
        if (!now.isBefore(scheduledEnd())) return ConferenceState.ENDED;
        if (!now.isBefore(start())) return ConferenceState.LIVE;
        return ConferenceState.SCHEDULED;
    }

    /** Every answer of {@code p}, oldest first. */
    List<Reply> repliesOf(PeerId p) {
        TreeMap<Integer, Reply> log = replyLog.get(p);
        return log == null ? List.of() : List.copyOf(log.values());
    }

    /** The first epoch whose key this peer can ever hold: its invitation's first, 0 for the organiser. */
    int firstReadableEpoch(PeerId self) {
        if (self.equals(organiser())) return 0;
        Invitation own = invitations.get(self);
        return own == null ? 0 : own.firstEpoch();
    }

    /** The newest epoch this peer knows exists (from removals, key grants and invitations), whether or not it holds its key. */
    int latestEpoch() {
        int e = currentEpoch;
        for (Removal r : removals.values()) e = Math.max(e, r.newEpoch());
        for (KeyGrant g : grants.values()) e = Math.max(e, g.epoch());
        for (Invitation i : invitations.values()) e = Math.max(e, i.keyEpoch());
        return e;
    }

    /** Every metadata record held. {@link MetaDigest#of} walks the same fields: a field added here belongs there too. */
    Meta meta() {
        List<Invitation> inv = new ArrayList<>(invitations.values());
        List<Reply> rep = new ArrayList<>();
        new TreeMap<>(replyLog).values().forEach(log -> rep.addAll(log.values()));
        return new Meta(context, inv, rep, end, new ArrayList<>(removalRecords), new ArrayList<>(grants.values()), roleChanges(),
                scheduleChanges());
    }

    /**
     * The records of the kinds in {@code kinds} (bits of {@link MetaDigest#differingKinds}, in its order), with the
     * context (every {@code Meta} carries it), for a member whose digest matched every other kind: it holds the same
     * context and invitations, so what is sent verifies there with keys it already holds. Null if the context or the
     * invitations differ (the whole metadata is needed) or if the records would not fit {@code maxBytes} by the
     * estimate {@link #metaChunks} uses.
     */
    Meta metaOfKinds(int kinds, int maxBytes) {
        if ((kinds & ((1 << MetaDigest.CONTEXT) | (1 << MetaDigest.INVITATIONS))) != 0) return null;
        Meta all = meta();
        List<Reply> rep = (kinds & (1 << 2)) != 0 ? all.replies() : List.of();
        EndNotice e = (kinds & (1 << 3)) != 0 ? all.end() : null;
        List<Removal> rem = (kinds & (1 << 4)) != 0 ? all.removals() : List.of();
        List<KeyGrant> gs = (kinds & (1 << 5)) != 0 ? all.grants() : List.of();
        List<RoleChange> ro = (kinds & (1 << 6)) != 0 ? all.roles() : List.of();
        List<Reschedule> sc = (kinds & (1 << 7)) != 0 ? all.schedules() : List.of();
        long records = rep.size() + (e == null ? 0 : 1) + rem.size() + gs.size() + ro.size() + sc.size();
        if (records * 600L + Protocol.bytes(Protocol.SIGNED_CONTEXT, context).length > maxBytes) return null;
        return new Meta(context, List.of(), rep, e, rem, gs, ro, sc);
    }

    /**
     * What one member's answer changes, for peers that hold the rest: the context, the member's invitation (its
     * answers verify with the key in it) and every answer of its, the organiser's answers, the grants to the member,
     * and the small lists that ride with every chunk (end, removals, roles, schedules). An answer sent with the whole
     * metadata cost every answer of a conference of n the metadata of n invitations to n members (about 100 KiB to
     * each of 99 peers per answer at 100: gigabytes while a conference of 100 opened in one JVM); a peer that lacks
     * other records gets them whole from anti-entropy and when it comes online ({@link #metaChunks}).
     */
    Meta answerMeta(PeerId member) {
        Invitation own = invitations.get(member);
        List<Reply> rs = new ArrayList<>(repliesOf(organiser()));
        if (!member.equals(organiser())) rs.addAll(repliesOf(member));
        List<KeyGrant> gs = grants.values().stream().filter(g -> g.recipient().equals(member)).toList();
        return new Meta(context, own == null ? List.of() : List.of(own), rs, end, new ArrayList<>(removalRecords), gs, roleChanges(),
                scheduleChanges());
    }

    /**
     * The metadata split into messages of about {@code maxBytes}: a frame carries the signed context once and each
     * invitation refers to it ({@link Meta#META}), so a conference of 100 fits one frame of tens of KiB. Merging is idempotent, so chunks can arrive
     * in any order; each carries the replies of its own invitees (they verify with keys from those
     * invitations), organiser-issued invitations come first (participant-issued ones are authorised by
     * their inviter's acceptance), and the organiser's own reply and the end notice ride with every chunk.
     */
    List<Meta> metaChunks(int maxBytes) {
        int contextBytes = Protocol.bytes(Protocol.SIGNED_CONTEXT, context).length;
        List<Invitation> ordered = new ArrayList<>(invitations.values());
        ordered.sort(Comparator.comparing((Invitation i) -> !i.inviter().equals(organiser())));
        // A frame carries the context once; an invitation costs its own fields (and its replies and grants: the 600)
        // and its context only where that is not the frame's.
        List<List<Invitation>> parts = new ArrayList<>();
        List<Invitation> current = new ArrayList<>();
        long used = contextBytes;
        for (Invitation i : ordered) {
            long cost = 600L + i.sealedKey().length + (sameContext(i.context(), context) ? 0 : contextBytes);
            if (!current.isEmpty() && used + cost > maxBytes) {
                parts.add(current);
                current = new ArrayList<>();
                used = contextBytes;
            }
            current.add(i);
            used += cost;
        }
        parts.add(current);
        List<Meta> out = new ArrayList<>();
        for (List<Invitation> part : parts) {
            List<Reply> rs = new ArrayList<>(repliesOf(organiser()));
            for (Invitation i : part) rs.addAll(repliesOf(i.invitee()));
            List<KeyGrant> gs = new ArrayList<>();
            grants.values().stream().filter(g -> g.recipient().equals(organiser())).forEach(gs::add); // from co-organisers' rotations
            for (Invitation i : part) {
                grants.values().stream().filter(g -> g.recipient().equals(i.invitee())).forEach(gs::add);
            }
            out.add(new Meta(context, part, rs, end, new ArrayList<>(removalRecords), gs, roleChanges(), scheduleChanges()));
        }
        return out;
    }

    ConferenceView view(PeerId self) {
        Map<PeerId, ConferenceView.Reply> answers = new HashMap<>();
        replies.forEach((p, r) -> answers.put(p, new ConferenceView.Reply(r.answer(), r.reason())));
        Set<PeerId> participants = participants();
        ConferenceView.Role role;
        if (self.equals(organiser())) {
            role = ConferenceView.Role.ORGANISER;
        } else if (removals.containsKey(self)) {
            role = ConferenceView.Role.REMOVED;
        } else {
            Reply r = replies.get(self);
            role = r == null ? ConferenceView.Role.INVITED : switch (r.answer()) {
                case ACCEPT -> ConferenceView.Role.PARTICIPANT;
                case DECLINE -> ConferenceView.Role.DECLINED;
                case LEAVE -> ConferenceView.Role.LEFT;
            };
        }
        return new ConferenceView(shownContext(), state, invitees(), answers, participants, role, coOrganisers());
    }

    /** Per author, the highest contiguous sequence held. */
    Map<PeerId, Long> digest() {
        return Map.copyOf(contiguous);
    }

    /**
     * The digest to send: per author the highest contiguous sequence held and the tip of one message held up to it —
     * the last, or half the time one at a sequence drawn at random (the last if none is held there), so that two
     * peers holding different versions of any sequence compare it sooner or later.
     */
    ChatDigest chatDigest() {
        Map<PeerId, ChatDigest.Tip> tips = new HashMap<>();
        contiguous.forEach((author, upTo) -> {
            var byAuthor = chat.get(author);
            if (byAuthor == null || upTo < 1) return;
            ChatMessage m = null;
            if (upTo > 1 && EngineState.RANDOM.nextBoolean()) m = byAuthor.get(1 + (long) (EngineState.RANDOM.nextDouble() * upTo));
            if (m == null || m.sequence() > upTo) m = byAuthor.get(upTo);
            // A settled equivocation is no tip: the proof is held, a peer asked would only send the other version again.
            if (m != null && !equivocations.containsKey(m.id())) tips.put(author, ChatDigest.Tip.of(m));
        });
        return new ChatDigest(id, contiguous, tips);
    }
}
