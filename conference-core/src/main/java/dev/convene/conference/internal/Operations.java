package dev.convene.conference.internal;

import dev.convene.conference.Answer;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceNotFoundException;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceStateException;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.InvalidInputException;
import dev.convene.conference.MemberException;
import dev.convene.conference.MessageId;
import dev.convene.conference.NewConference;
import dev.convene.conference.NotAllowedException;
import dev.convene.conference.Post;
import dev.convene.conference.UnsafeCharacterException;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What this peer's user does: create, invite, answer, remove, end, grant or revoke the organiser role, say. Engine thread. */
final class Operations {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    private final EngineState s;
    private final Dispatch dispatch;
    private final Keys keys;
    private final ChatLog chat;
    private final HistorySync sync;
    private final Persistence persistence;
    private final MetaMerge meta;
    private final StateChanges changes;

    Operations(EngineState s, Dispatch dispatch, Keys keys, ChatLog chat, HistorySync sync, Persistence persistence, MetaMerge meta,
               StateChanges changes) {
        this.s = s;
        this.dispatch = dispatch;
        this.keys = keys;
        this.chat = chat;
        this.sync = sync;
        this.persistence = persistence;
        this.meta = meta;
        this.changes = changes;
    }

    ConferenceView create(NewConference spec) {
        Instant now = s.clock.instant();
        Instant start = spec.start() != null ? spec.start() : now.plus(spec.startIn());
        List<PeerAdvertisement> invitees = new ArrayList<>();
        for (PeerId p : new TreeSet<>(spec.invitees())) {
            if (p.equals(s.self)) throw new NotAllowedException(null, NotAllowedException.Rule.CANNOT_INVITE_ITSELF);
            invitees.add(s.overlay.directory().get(p).orElseThrow(() -> new MemberException(null, p, MemberException.Problem.UNKNOWN_PEER)));
        }
        ConferenceContext ctx;
        try {
            ctx = new ConferenceContext(ConferenceId.derive(s.identity.signingKey(), now), spec.title(), spec.agenda(), s.self, start, spec.duration(),
                    new TreeSet<>(spec.invitees()), now, 1, spec.participantsMayInvite(), spec.historyJoined());
            ctx.validateNew(now);
            if (spec.historyJoined() && spec.participantsMayInvite()) {
                throw new IllegalArgumentException("history joined: only the organiser invites (it rotates the key for each newcomer), so participants may not invite");
            }
        } catch (UnsafeCharacterException e) {
            throw unsafe(e); // typed: the cause carries the field, the code point and its index
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(InvalidInputException.CONFERENCE, e.getMessage(), "", e);
        }
        Conference c = new Conference(SignedContext.sign(ctx, s.identity));
        c.keys.put(0, ContentCrypto.newKey());
        for (PeerAdvertisement ad : invitees) keys.addInvitation(c, ad);
        s.conferences.put(c.id, c);
        s.readable.put(c.id, c);
        c.state = c.stateAt(now);
        c.lastParticipants = c.participants();
        persistence.persist(c);
        s.publish(c);
        log.info("{}: created {} with {} invitees", s.label(), c.id.shortId(), invitees.size());
        log.debug("{}: {} is titled '{}'", s.label(), c.id.shortId(), ctx.title());
        s.spread(c);
        if (c.state == ConferenceState.LIVE) dispatch.fire(l -> l.started(c.view(s.self)));
        return s.views.get(c.id);
    }

    ConferenceView invite(ConferenceId id, Collection<PeerId> peers) {
        Conference c = require(id);
        if (c.state.isOver()) throw notOver(c);
        boolean organiser = s.self.equals(c.organiser());
        if (!organiser && !c.isOrganiserAt(s.self, s.clock.instant()) && !(c.ctx().participantsMayInvite() && c.participants().contains(s.self))) {
            throw new NotAllowedException(id, c.ctx().participantsMayInvite() ? NotAllowedException.Rule.ORGANISER_OR_PARTICIPANT_ONLY : NotAllowedException.Rule.ORGANISERS_ONLY);
        }
        if (!c.keys.containsKey(c.currentEpoch)) throw new NotAllowedException(id, NotAllowedException.Rule.NO_KEY);
        List<PeerAdvertisement> ads = new ArrayList<>();
        for (PeerId p : peers) {
            PeerAdvertisement ad = s.overlay.directory().get(p).orElseThrow(() -> new MemberException(id, p, MemberException.Problem.UNKNOWN_PEER));
            if (c.isMember(p)) throw new MemberException(id, p, MemberException.Problem.ALREADY_MEMBER);
            if (c.removals.containsKey(p)) throw new MemberException(id, p, MemberException.Problem.REMOVED);
            ads.add(ad);
        }
        if (c.invitees().size() + ads.size() > ConferenceContext.MAX_INVITEES) {
            throw new InvalidInputException(InvalidInputException.INVITEES, (c.invitees().size() + ads.size()) + " invitees",
                    "<= " + ConferenceContext.MAX_INVITEES);
        }
        if (c.ctx().historyJoined()) {
            if (!organiser) throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISER_ONLY); // it alone rotates the key
            if (c.latestEpoch() >= Protocol.MAX_REMOVALS) {
                throw new InvalidInputException(InvalidInputException.KEY_EPOCHS, (c.latestEpoch() + 1) + " key epochs", "<= " + Protocol.MAX_REMOVALS);
            }
            // Newcomers read from their admission: a new key, granted to every member, and only it sealed to them.
            keys.rotate(c, c.latestEpoch() + 1);
        }
        if (organiser) {
            c.context = SignedContext.sign(c.ctx().withInvitees(peers), s.identity);
        }
        for (PeerAdvertisement ad : ads) keys.addInvitation(c, ad);
        persistence.persist(c);
        s.publish(c);
        s.spread(c);
        return s.views.get(id);
    }

    /** An unsafe character in a text the caller gave, as the API's typed refusal (the cause carries the detail). */
    static InvalidInputException unsafe(UnsafeCharacterException e) {
        return new InvalidInputException(e.field(), String.format(java.util.Locale.ROOT, "U+%04X at index %d", e.codePoint(), e.index()),
                "visible characters", e);
    }

    ConferenceView answer(ConferenceId id, Answer answer, String reason) {
        Conference c = require(id);
        if (c.state.isOver()) throw notOver(c);
        if (!c.isMember(s.self)) throw new NotAllowedException(id, NotAllowedException.Rule.NOT_INVITED);
        if (s.self.equals(c.organiser()) && answer == Answer.DECLINE) throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISER_CANNOT_DECLINE);
        if (!s.self.equals(c.organiser()) && !c.invitations.containsKey(s.self)) {
            throw new NotAllowedException(id, NotAllowedException.Rule.INVITATION_NOT_ARRIVED);
        }
        String why = reason == null ? "" : reason.strip();
        try {
            UnsafeCharacterException.requireSafeLine("reason", why);
        } catch (UnsafeCharacterException e) {
            throw unsafe(e);
        }
        if (why.length() > Protocol.MAX_REASON) throw new InvalidInputException(InvalidInputException.REASON, why.length() + " characters", "<= " + Protocol.MAX_REASON + " characters");
        if (c.revisionOf(s.self) >= Protocol.MAX_REVISIONS) {
            throw new InvalidInputException(InvalidInputException.ANSWERS, c.revisionOf(s.self) + " answers", "<= " + Protocol.MAX_REVISIONS);
        }
        // The answer carries this peer's last own sequence: it marks where its participation starts or ends.
        long sequence = Math.max(c.ownSequence, c.contiguous.getOrDefault(s.self, 0L));
        Reply unsigned = new Reply(id, s.self, answer, why, c.revisionOf(s.self) + 1, s.clock.instant(), sequence, new byte[0]);
        Reply reply = new Reply(id, s.self, answer, why, unsigned.revision(), unsigned.at(), sequence,
                s.identity.sign(Protocol.bytes(Protocol.REPLY_BODY, unsigned)));
        if (answer != Answer.ACCEPT && c.participants().contains(s.self)) pushUnacknowledged(c);
        meta.applyReply(c, reply);
        changes.afterChange(c);
        s.spreadAnswer(c);
        if (answer == Answer.ACCEPT) sync.requestHistory(c);
        return s.views.get(id);
    }

    /**
     * Before this participant leaves: its own messages not yet known to be stored by every current participant
     * (acknowledged by nobody, or not by all; this session's posts) go to the online participants (in batches, ahead
     * of the reply, so they arrive while it is a participant), since a peer that left answers no history request and
     * what only it held would never reach anyone (the others' FIFO for it would wait for ever).
     */
    private void pushUnacknowledged(Conference c) {
        chat.signer.flush(); // never an unsigned post
        java.util.SortedSet<Long> pending = new java.util.TreeSet<>(c.awaitingAck.keySet());
        pending.addAll(c.awaitingAll.keySet());
        if (s.overlay == null || pending.isEmpty()) return;
        java.util.TreeMap<Long, ChatMessage> own = c.chat.get(s.self);
        List<PeerId> online = s.onlineOthers(c.participants());
        if (own == null || online.isEmpty()) return;
        List<ChatMessage> batch = new ArrayList<>();
        int bytes = 0;
        for (long seq : pending) {
            ChatMessage m = own.get(seq);
            if (m == null || ChatSigner.unsigned(m)) continue; // unsigned: sent live once its batch is signed
            if (batch.size() >= Protocol.MAX_BATCH || bytes + m.body().length + 200 > ConferenceEngine.BATCH_BYTES) {
                s.overlay.multicast(online, new ChatBatch(c.id, List.copyOf(batch), false));
                batch.clear();
                bytes = 0;
            }
            batch.add(m);
            bytes += m.body().length + 200;
        }
        if (!batch.isEmpty()) s.overlay.multicast(online, new ChatBatch(c.id, batch, false));
    }

    /**
     * Removes a peer (organiser or co-organiser): it stops being a member, and the content key is rotated and granted
     * to every remaining member, so the removed peer reads nothing sent afterwards.
     */
    ConferenceView remove(ConferenceId id, PeerId peer) {
        Conference c = require(id);
        Instant now = s.clock.instant();
        boolean organiser = s.self.equals(c.organiser());
        if (!organiser && !c.isOrganiserAt(s.self, now)) throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISERS_ONLY);
        // History joined: the organiser alone rotates the key, so it alone removes.
        if (!organiser && c.ctx().historyJoined()) throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISER_ONLY);
        if (c.state.isOver()) throw notOver(c);
        if (peer.equals(s.self)) throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISER_CANNOT_REMOVE_ITSELF);
        if (!c.isMember(peer)) throw new MemberException(id, peer, MemberException.Problem.NOT_MEMBER);
        if (c.removals.containsKey(peer)) throw new MemberException(id, peer, MemberException.Problem.REMOVED);
        if (c.removals.size() >= Protocol.MAX_REMOVALS || c.latestEpoch() >= Protocol.MAX_REMOVALS) {
            throw new InvalidInputException(InvalidInputException.REMOVALS, (c.removals.size() + 1) + " removals", "<= " + Protocol.MAX_REMOVALS);
        }
        int epoch = c.latestEpoch() + 1;
        // What the removed peer said up to here stays; anything later of its is invalid everywhere.
        long upTo = c.contiguous.getOrDefault(peer, 0L);
        PeerId signer = organiser ? null : s.self;
        Removal unsigned = new Removal(id, peer, epoch, now, upTo, signer, new byte[0]);
        c.removalRecords.add(new Removal(id, peer, epoch, now, upTo, signer,
                s.identity.sign(Protocol.bytes(Protocol.REMOVAL_BODY, unsigned))));
        c.resolveRemovals();
        keys.rotate(c, epoch);
        log.info("{}: removed {} from {}, key now at epoch {}", s.label(), peer.shortId(), c.id.shortId(), epoch);
        chat.rebuild(c, Set.of());
        changes.afterChange(c);
        s.spread(c);
        if (s.overlay.directory().isOnline(peer)) s.sendMeta(c, List.of(peer)); // so it knows; it gets no key
        return s.views.get(id);
    }

    /**
     * Signs a schedule change (organiser or co-organiser) with the next revision and spreads it; null keeps the start
     * or duration in effect. The signer checks what only it can (a scheduled conference's start not in the past, a
     * live one's not later than now); every peer checks the bounds, the signer's role and the end notice.
     */
    ConferenceView reschedule(ConferenceId id, Instant start, java.time.Duration duration) {
        Conference c = require(id);
        Instant now = s.clock.instant();
        if (!c.isOrganiserAt(s.self, now)) throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISERS_ONLY);
        changes.refreshState(c);
        if (c.state.isOver()) throw notOver(c);
        if (start == null && duration == null) {
            throw new InvalidInputException(InvalidInputException.SCHEDULE, "no change", "a new start, a new duration or both");
        }
        ConferenceContext shown = c.shownContext();
        Instant newStart = start != null ? start : shown.start();
        java.time.Duration newDuration = duration != null ? duration : shown.duration();
        try {
            ConferenceContext next = shown.withSchedule(newStart, newDuration); // the bounds, exactly as a context's
            if (start != null && c.state == ConferenceState.SCHEDULED) next.validateNew(now);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(InvalidInputException.SCHEDULE, e.getMessage(), "", e);
        }
        if (start != null && c.state == ConferenceState.LIVE && newStart.isAfter(now)) {
            throw new InvalidInputException(InvalidInputException.SCHEDULE, "start: " + newStart + " for a live conference",
                    "now or earlier (a live conference does not become scheduled again)");
        }
        int revision = c.scheduleRevision() + 1;
        if (revision > Protocol.MAX_RESCHEDULES || c.scheduleRecords.size() >= Protocol.MAX_RESCHEDULES * 2) {
            throw new InvalidInputException(InvalidInputException.SCHEDULE, revision + " changes", "<= " + Protocol.MAX_RESCHEDULES);
        }
        Reschedule unsigned = new Reschedule(id, s.self, revision, now, newStart, newDuration, new byte[0]);
        Reschedule change = new Reschedule(id, s.self, revision, now, newStart, newDuration,
                s.identity.sign(Protocol.bytes(Protocol.RESCHEDULE_BODY, unsigned)));
        ConferenceView before = s.views.get(id);
        c.scheduleRecords.put(Conference.scheduleKey(change), change);
        if (c.resolveSchedule() && before != null) dispatch.fireLater(c, after -> l -> l.rescheduled(before, after));
        log.info("{}: rescheduled {} (revision {})", s.label(), c.id.shortId(), revision);
        changes.afterChange(c);
        s.spread(c);
        return s.views.get(id);
    }

    ConferenceView end(ConferenceId id) {
        Conference c = require(id);
        Instant now = s.clock.instant();
        boolean organiser = s.self.equals(c.organiser());
        if (!organiser && !c.isOrganiserAt(s.self, now)) {
            throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISERS_ONLY);
        }
        if (c.state.isOver()) throw notOver(c);
        PeerId signer = organiser ? null : s.self;
        EndNotice unsigned = new EndNotice(id, now, signer, new byte[0]);
        c.end = new EndNotice(id, now, signer, s.identity.sign(Protocol.bytes(Protocol.END_BODY, unsigned)));
        changes.afterChange(c);
        s.spread(c);
        return s.views.get(id);
    }

    /**
     * Grants ({@code organiser} true) or revokes the organiser role of a member (the organiser only): a
     * co-organiser may invite and end the conference, also while the organiser is away for good.
     */
    ConferenceView setRole(ConferenceId id, PeerId peer, boolean organiser) {
        Conference c = require(id);
        if (!s.self.equals(c.organiser())) throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISER_ONLY);
        if (c.state.isOver()) throw notOver(c);
        if (peer.equals(s.self)) throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISER_ROLE_OF_ITSELF);
        if (!c.invitations.containsKey(peer) || c.removals.containsKey(peer)) {
            throw new MemberException(id, peer, MemberException.Problem.NOT_MEMBER);
        }
        int revision = c.roleRevisionOf(peer) + 1;
        if (revision > Protocol.MAX_REVISIONS || c.roleChanges().size() >= Protocol.MAX_ROLE_CHANGES) {
            throw new InvalidInputException(InvalidInputException.ROLE_CHANGES, revision + " changes", "<= " + Protocol.MAX_REVISIONS
                    + " per member and " + Protocol.MAX_ROLE_CHANGES + " in all");
        }
        RoleChange unsigned = new RoleChange(id, peer, organiser, revision, s.clock.instant(), new byte[0]);
        RoleChange change = new RoleChange(id, peer, organiser, revision, unsigned.at(),
                s.identity.sign(Protocol.bytes(Protocol.ROLE_BODY, unsigned)));
        c.roleLog.computeIfAbsent(peer, p -> new TreeMap<>()).put(revision, change);
        changes.afterChange(c);
        s.spread(c);
        return s.views.get(id);
    }

    Post say(ConferenceId id, String text) {
        Conference c = require(id);
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        if (plain.length == 0 || text.isBlank()) throw new InvalidInputException(InvalidInputException.TEXT, "empty", "1-" + Protocol.MAX_TEXT_BYTES + " bytes, not blank");
        if (plain.length > Protocol.MAX_TEXT_BYTES) {
            throw new InvalidInputException(InvalidInputException.TEXT, plain.length + " bytes", "<= " + Protocol.MAX_TEXT_BYTES + " bytes");
        }
        Sent sent = post(c, plain);
        ChatEntry entry = chat.deliver(c, sent.m(), text, true);
        chat.signer.add(c, sent.m());
        return new Post(entry, sent.acked(), sent.all());
    }

    Post reply(ConferenceId id, MessageId to, String text) {
        Conference c = require(id);
        java.util.Objects.requireNonNull(to, "to");
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        if (plain.length == 0 || text.isBlank()) {
            throw new InvalidInputException(InvalidInputException.TEXT, "empty", "1-" + SocialCodecs.MAX_REPLY_TEXT_BYTES + " bytes, not blank");
        }
        if (plain.length > SocialCodecs.MAX_REPLY_TEXT_BYTES) {
            throw new InvalidInputException(InvalidInputException.TEXT, plain.length + " bytes", "<= " + SocialCodecs.MAX_REPLY_TEXT_BYTES + " bytes");
        }
        Sent sent = post(c, SocialCodecs.replyPlaintext(to, text));
        ChatEntry entry = chat.deliver(c, sent.m(), text, java.util.Optional.of(to), true);
        chat.signer.add(c, sent.m());
        return new Post(entry, sent.acked(), sent.all());
    }

    /** A message this peer posted (not signed yet), with the futures of its acknowledgements. */
    record Sent(ChatMessage m, CompletableFuture<ChatEntry> acked, CompletableFuture<ChatEntry> all) {
    }

    /**
     * Publishes a typed event: a durable one as a chat message whose plaintext is the typed event (the chat path:
     * signed, stored, in the author's sequence, acknowledged), an ephemeral one as an {@link EphemeralFrame} to the
     * participants online now. Own listeners hear it too.
     */
    <T> dev.convene.conference.PublishedEvent<T> publish(ConferenceId id, dev.convene.conference.EventType<T> type, T value) {
        Conference c = require(id);
        byte[] plain = TypedEvents.plaintext(type, chat.typed.encodeOwn(type, value));
        if (type.delivery() == dev.convene.conference.Delivery.DURABLE) {
            Sent sent = post(c, plain);
            var event = new dev.convene.conference.ConferenceEvent<>(c.id, sent.m().id(), sent.m().timestamp(), type, value);
            c.chat.computeIfAbsent(s.self, a -> new TreeMap<>()).put(sent.m().sequence(), sent.m());
            c.contiguous.put(s.self, sent.m().sequence());
            if (!chat.typed.admit(c, s.self, type, sent.m().timestamp())) {
                // Over the type's rate by its timestamp, as every receiver decides: held and sent, delivered nowhere.
                c.awaitingAck.remove(sent.m().sequence());
                c.awaitingAll.remove(sent.m().sequence());
                chat.signer.add(c, sent.m());
                throw new dev.convene.conference.EventLimitException(type.key(), dev.convene.conference.EventLimitException.Limit.RATE,
                        type.perSecond(), 0);
            }
            chat.typed.record(c, event);
            chat.signer.add(c, sent.m());
            return new dev.convene.conference.PublishedEvent<>(event, sent.acked().thenApply(x -> event), sent.all().thenApply(x -> event));
        }
        changes.refreshState(c);
        if (c.state != ConferenceState.LIVE) throw new ConferenceStateException(id, c.state, Set.of(ConferenceState.LIVE));
        if (!c.participants().contains(s.self) || c.removals.containsKey(s.self)) {
            throw new NotAllowedException(id, NotAllowedException.Rule.NOT_PARTICIPANT);
        }
        byte[] key = c.keys.get(c.currentEpoch);
        if (key == null) throw new NotAllowedException(id, NotAllowedException.Rule.NO_KEY);
        if (c.latestEpoch() > c.currentEpoch) throw new NotAllowedException(id, NotAllowedException.Rule.KEY_ROTATION_PENDING);
        long seq = chat.typed.nextEphemeralSequence();
        HlcTimestamp ts = s.hlc.now();
        EphemeralFrame draft = new EphemeralFrame(id, seq, ts, c.currentEpoch, new byte[0]);
        EphemeralFrame f = new EphemeralFrame(id, seq, ts, c.currentEpoch, ContentCrypto.encrypt(key, plain, draft.aad(s.self)));
        s.overlay.multicast(s.onlineOthers(c.participants()), f);
        var event = new dev.convene.conference.ConferenceEvent<>(c.id, new MessageId(s.self, seq), ts, type, value);
        chat.typed.fire(event);
        return new dev.convene.conference.PublishedEvent<>(event, CompletableFuture.completedFuture(event), CompletableFuture.completedFuture(event));
    }

    /** Hands an own post made by {@link #post} (and held by the caller) to the signer, which signs, stores and sends it. */
    void send(Conference c, ChatMessage unsigned) {
        chat.signer.add(c, unsigned);
    }

    /**
     * Encrypts and registers for acknowledgement a message with {@code plain} as its plaintext (chat path); the
     * caller holds it, then hands it to {@link #send}, which signs, stores and sends it.
     */
    Sent post(Conference c, byte[] plain) {
        ConferenceId id = c.id;
        changes.refreshState(c);
        if (c.state != ConferenceState.LIVE) {
            throw new ConferenceStateException(id, c.state, Set.of(ConferenceState.LIVE));
        }
        long next = Math.max(c.ownSequence, c.contiguous.getOrDefault(s.self, 0L)) + 1;
        if (!Membership.mayPost(c, s.self, next)) throw new NotAllowedException(id, NotAllowedException.Rule.NOT_PARTICIPANT);
        byte[] key = c.keys.get(c.currentEpoch);
        if (key == null) throw new NotAllowedException(id, NotAllowedException.Rule.NO_KEY);
        // Never post under an older key once a newer epoch is known: a removed peer could read it.
        if (c.latestEpoch() > c.currentEpoch) throw new NotAllowedException(id, NotAllowedException.Rule.KEY_ROTATION_PENDING);
        long seq = c.ownSequence = next;
        // Dated after everything this peer delivered and after its own previous message (Frontiers).
        Frontier frontier = Frontiers.next(c, s.self, seq);
        HlcTimestamp floor = Frontiers.floor(c, s.self, seq, frontier);
        if (floor != null) s.hlc.observe(floor);
        HlcTimestamp ts = s.hlc.now();
        ChatMessage draft = new ChatMessage(id, s.self, seq, ts, c.currentEpoch, new byte[0], new byte[0]);
        byte[] body = ContentCrypto.encrypt(key, plain, draft.aad());
        // Unsigned until its batch is (ChatSigner, once the caller holds it): signed, stored and sent together.
        ChatMessage m = new ChatMessage(id, s.self, seq, ts, c.currentEpoch, body, new byte[0], frontier);
        CompletableFuture<ChatEntry> acked = new CompletableFuture<>();
        c.awaitingAck.put(m.sequence(), acked);
        CompletableFuture<ChatEntry> all = new CompletableFuture<>();
        c.awaitingAll.put(m.sequence(), all);
        return new Sent(m, acked, all);
    }

    static ConferenceStateException notOver(Conference c) {
        return new ConferenceStateException(c.id, c.state, Set.of(ConferenceState.SCHEDULED, ConferenceState.LIVE));
    }

    Conference require(ConferenceId id) {
        Conference c = s.conferences.get(id);
        if (c == null) throw new ConferenceNotFoundException(id);
        return c;
    }
}
