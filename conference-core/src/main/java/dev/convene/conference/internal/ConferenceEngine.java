package dev.convene.conference.internal;

import dev.convene.conference.Answer;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceException;
import dev.convene.conference.ConferenceNotFoundException;
import dev.convene.conference.ConferenceStateException;
import dev.convene.conference.InvalidInputException;
import dev.convene.conference.MemberException;
import dev.convene.conference.NotAllowedException;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MessageId;
import dev.convene.conference.NewConference;
import dev.convene.conference.Post;
import dev.convene.conference.UnsafeCharacterException;
import dev.convene.conference.internal.Protocol.ChatAck;
import dev.convene.conference.internal.Protocol.ChatBatch;
import dev.convene.conference.internal.Protocol.ChatDigest;
import dev.convene.conference.internal.Protocol.ChatMessage;
import dev.convene.conference.internal.Protocol.EndNotice;
import dev.convene.conference.internal.Protocol.Invitation;
import dev.convene.conference.internal.Protocol.Meta;
import dev.convene.conference.internal.Protocol.Reply;
import dev.convene.conference.internal.Protocol.SignedContext;
import dev.convene.overlay.Identity;
import dev.convene.overlay.Overlay;
import dev.convene.overlay.OverlayListener;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.RejectedMessageException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every conference at one peer. All state changes run on the overlay's event thread (handlers, presence,
 * ticks and API operations alike), so no locks are needed; listeners are called on a separate callback
 * thread in the same order. Readers get immutable views and the concurrent history set.
 */
public final class ConferenceEngine implements OverlayListener {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    /** How far ahead of this peer's clock a timestamp may be (clock skew). */
    static final Duration MAX_FUTURE = Duration.ofMinutes(1);
    /** How far beyond an author's contiguous sequence a message may be held while the gap fills. */
    static final long MAX_AHEAD = 512;
    /** How much of a frame a history batch may fill. */
    static final int BATCH_BYTES = 256 * 1024;
    /** How much of a frame one metadata message may fill; larger conferences go in several. */
    static final int META_CHUNK_BYTES = 384 * 1024;

    private final EngineState s;
    private final Dispatch dispatch;
    private final Keys keys;
    private final Acks acks;
    private final ChatLog chat;
    private final HistorySync sync;
    private final Persistence persistence;
    private final MetaMerge meta;

    /**
     * @param home the home directory holding the durable store, or null to keep nothing
     */
    public ConferenceEngine(Identity identity, java.nio.file.Path home, Clock clock, Executor callbacks,
                            List<ConferenceListener> listeners, Duration tick, Duration syncInterval) {
        ConferenceStore store = home == null ? ConferenceStore.none() : SqliteStore.open(home, identity.id().value());
        this.s = new EngineState(identity, store, clock);
        int syncEveryTicks = (int) Math.max(1, syncInterval.toMillis() / Math.max(1, tick.toMillis()));
        this.dispatch = new Dispatch(s, callbacks, listeners);
        this.keys = new Keys(s, dispatch);
        this.acks = new Acks(s, dispatch);
        this.chat = new ChatLog(s, dispatch, acks);
        this.sync = new HistorySync(s, chat, acks, syncEveryTicks);
        this.persistence = new Persistence(s, keys, chat);
        this.meta = new MetaMerge(s, keys, chat, dispatch, this::afterChange);
    }

    /** The message types to register with the overlay, each bound to its handler. */
    public Overlay.Builder register(Overlay.Builder b) {
        return b.handle(Protocol.META_TYPE, (from, m) -> {
                    awaitAttached();
                    refuseBanned(from);
                    onMeta(from, m);
                })
                .handle(Protocol.CHAT_TYPE, (from, m) -> {
                    awaitAttached();
                    refuseBanned(from);
                    chat.onChat(from, m);
                })
                .handle(Protocol.ACK_TYPE, (from, m) -> {
                    awaitAttached();
                    refuseBanned(from);
                    acks.onAck(from, m);
                })
                .handle(Protocol.DIGEST_TYPE, (from, m) -> {
                    awaitAttached();
                    refuseBanned(from);
                    sync.onDigest(from, m);
                })
                .handle(Protocol.BATCH_TYPE, (from, m) -> {
                    awaitAttached();
                    refuseBanned(from);
                    sync.onBatch(from, m);
                })
                .listener(this);
    }

    private final java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);

    public void attach(Overlay o) {
        s.overlay = o;
        s.events = o.eventExecutor();
        attached.countDown();
    }

    /**
     * Messages and presence events can reach the event thread while {@code Overlay.start()} is still
     * returning; they wait here for the moment it takes.
     */
    private void refuseBanned(PeerId from) {
        if (s.banned.contains(from)) throw new RejectedMessageException("from banned peer " + from.shortId());
    }

    private void awaitAttached() {
        try {
            if (!attached.await(30, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("overlay never attached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    /** Runs {@code op} on the engine thread; the future carries its result or its exception. */
    public <T> CompletableFuture<T> call(java.util.function.Supplier<T> op) {
        CompletableFuture<T> f = new CompletableFuture<>();
        s.events.execute(() -> {
            try {
                f.complete(op.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** Takes in conference metadata from a peer (see {@link MetaMerge}). */
    void onMeta(PeerId from, Meta m) {
        meta.onMeta(from, m);
    }

    /**
     * Keeps the earliest valid end notice (ties: the smaller signature), so concurrent ends by the organiser and
     * co-organisers resolve the same way at every peer.
     */
    static void mergeEnd(Conference c, EndNotice e) {
        MetaMerge.mergeEnd(c, e);
    }

    // ---- queries (any thread) ----------------------------------------------------------------------------

    public List<ConferenceView> views() {
        return s.views.values().stream().sorted(java.util.Comparator.comparing((ConferenceView v) -> v.context().start())
                .thenComparing(ConferenceView::id)).toList();
    }

    public ConferenceView view(ConferenceId id) {
        ConferenceView v = s.views.get(id);
        if (v == null) throw new ConferenceNotFoundException(id);
        return v;
    }

    public List<ChatEntry> history(ConferenceId id) {
        Conference c = s.readable.get(id);
        if (c == null) throw new ConferenceNotFoundException(id);
        if (s.banned.isEmpty()) return List.copyOf(c.history.values());
        return c.history.values().stream().filter(e -> !s.banned.contains(e.author())).toList();
    }

    // ---- operations (engine thread) ----------------------------------------------------------------------

    public ConferenceView create(NewConference spec) {
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

    public ConferenceView invite(ConferenceId id, Collection<PeerId> peers) {
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
    private static InvalidInputException unsafe(UnsafeCharacterException e) {
        return new InvalidInputException(e.field(), String.format(java.util.Locale.ROOT, "U+%04X at index %d", e.codePoint(), e.index()),
                "visible characters", e);
    }

    public ConferenceView answer(ConferenceId id, Answer answer, String reason) {
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
        meta.applyReply(c, reply);
        afterChange(c);
        s.spread(c);
        if (answer == Answer.ACCEPT) sync.requestHistory(c);
        return s.views.get(id);
    }

    /**
     * Removes a peer (organiser or co-organiser): it stops being a member, and the content key is rotated and granted
     * to every remaining member, so the removed peer reads nothing sent afterwards.
     */
    public ConferenceView remove(ConferenceId id, PeerId peer) {
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
        Protocol.Removal unsigned = new Protocol.Removal(id, peer, epoch, now, upTo, signer, new byte[0]);
        c.removalRecords.add(new Protocol.Removal(id, peer, epoch, now, upTo, signer,
                s.identity.sign(Protocol.bytes(Protocol.REMOVAL_BODY, unsigned))));
        c.resolveRemovals();
        keys.rotate(c, epoch);
        log.info("{}: removed {} from {}, key now at epoch {}", s.label(), peer.shortId(), c.id.shortId(), epoch);
        chat.rebuild(c, Set.of());
        afterChange(c);
        s.spread(c);
        if (s.overlay.directory().isOnline(peer)) s.sendMeta(c, List.of(peer)); // so it knows; it gets no key
        return s.views.get(id);
    }

    public ConferenceView end(ConferenceId id) {
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
        afterChange(c);
        s.spread(c);
        return s.views.get(id);
    }

    /**
     * Grants ({@code organiser} true) or revokes the organiser role of a member (the organiser only): a
     * co-organiser may invite and end the conference, also while the organiser is away for good.
     */
    public ConferenceView setRole(ConferenceId id, PeerId peer, boolean organiser) {
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
        Protocol.RoleChange unsigned = new Protocol.RoleChange(id, peer, organiser, revision, s.clock.instant(), new byte[0]);
        Protocol.RoleChange change = new Protocol.RoleChange(id, peer, organiser, revision, unsigned.at(),
                s.identity.sign(Protocol.bytes(Protocol.ROLE_BODY, unsigned)));
        c.roleLog.computeIfAbsent(peer, p -> new TreeMap<>()).put(revision, change);
        afterChange(c);
        s.spread(c);
        return s.views.get(id);
    }

    public Post say(ConferenceId id, String text) {
        Conference c = require(id);
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        if (plain.length == 0 || text.isBlank()) throw new InvalidInputException(InvalidInputException.TEXT, "empty", "1-" + Protocol.MAX_TEXT_BYTES + " bytes, not blank");
        if (plain.length > Protocol.MAX_TEXT_BYTES) {
            throw new InvalidInputException(InvalidInputException.TEXT, plain.length + " bytes", "<= " + Protocol.MAX_TEXT_BYTES + " bytes");
        }
        refreshState(c);
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
        HlcTimestamp ts = s.hlc.now();
        ChatMessage draft = new ChatMessage(id, s.self, seq, ts, c.currentEpoch, new byte[0], new byte[0]);
        byte[] body = ContentCrypto.encrypt(key, plain, draft.aad());
        ChatMessage unsigned = new ChatMessage(id, s.self, seq, ts, c.currentEpoch, body, new byte[0]);
        ChatMessage m = new ChatMessage(id, s.self, seq, ts, c.currentEpoch, body, s.identity.sign(Protocol.bytes(Protocol.CHAT_BODY, unsigned)));
        CompletableFuture<ChatEntry> acked = new CompletableFuture<>();
        // The own sequence needs no separate write: on restore it is the highest own message in the store.
        s.store.saveChat(m, s.overlay.config().name());
        c.awaitingAck.put(m.sequence(), acked);
        ChatEntry entry = chat.deliver(c, m, text, true);
        s.overlay.multicast(s.onlineOthers(c.participants()), m);
        return new Post(entry, acked);
    }

    // ---- presence and time (engine thread) ----------------------------------------------------------------

    @Override
    public void peerJoined(PeerAdvertisement peer) {
        awaitAttached();
        s.store.savePeer(peer);
        for (Conference c : List.copyOf(s.conferences.values())) {
            s.isolated(c, "join", () -> {
                if (c.removals.containsKey(peer.id())) s.sendMeta(c, List.of(peer.id())); // tell a removed peer it was removed
                if (!c.isMember(peer.id())) return;
                s.sendMeta(c, List.of(peer.id())); // store and forward: invitations, replies, end
                if (c.participants().contains(peer.id()) && c.participants().contains(s.self)) {
                    s.overlay.multicast(List.of(peer.id()), new ChatDigest(c.id, c.digest()));
                    if (!c.state.isOver()) dispatch.fire(l -> l.participantJoined(c.view(s.self), peer.id(), "online"));
                }
            });
        }
    }

    @Override
    public void peerLeft(PeerAdvertisement peer) {
        awaitAttached();
        for (Conference c : List.copyOf(s.conferences.values())) {
            s.isolated(c, "leave", () -> {
                if (!c.state.isOver() && c.participants().contains(peer.id()) && c.participants().contains(s.self)) {
                    dispatch.fire(l -> l.participantLeft(c.view(s.self), peer.id(), "offline"));
                }
            });
        }
    }

    /**
     * What the timer runs: hands a {@link #tick()} to {@code events}. A hand-off that fails (a full or failing
     * executor, an OutOfMemoryError) is counted and logged, and the next one is tried on time: a periodic task
     * that throws would never run again, and the peer's conferences would stop moving for good.
     */
    public Runnable tickSubmitter(Executor events) {
        return () -> {
            try {
                events.execute(this::tick);
            } catch (RuntimeException | OutOfMemoryError e) {
                s.counters.tickFailures.increment();
                log.warn("{}: could not hand the tick to the event thread: {}", s.label(), e.toString());
            }
        };
    }

    /** Moves conferences along by the clock and, every few ticks, exchanges digests. */
    public void tick() {
        for (Conference c : List.copyOf(s.conferences.values())) {
            s.isolated(c, "tick", () -> {
                ConferenceState before = c.state;
                refreshState(c);
                if (before != c.state) s.publish(c);
            });
        }
        if (sync.tick()) sync.antiEntropy();
    }

    private void refreshState(Conference c) {
        ConferenceState next = c.stateAt(s.clock.instant());
        // A cancellation (an end dated before the start) that reaches a peer where the conference is already
        // live, through clock skew or a healed partition, ends it: LIVE cannot become CANCELLED.
        if (c.state == ConferenceState.LIVE && next == ConferenceState.CANCELLED) next = ConferenceState.ENDED;
        if (next == c.state) return;
        if (!c.state.canMoveTo(next)) return; // e.g. an end notice that arrived for an already-ended conference
        c.state = c.state.moveTo(next);
        log.info("{}: {} is now {}", s.label(), c.id.shortId(), next);
        ConferenceView v = c.view(s.self);
        s.views.put(c.id, v);
        if (next == ConferenceState.LIVE) dispatch.fire(l -> l.started(v));
        else dispatch.fire(l -> l.ended(v));
    }

    /**
     * Loads what the store holds, before the overlay starts: conferences as they were, and every chat
     * message that passes its checksum, delivered silently into the history (see {@link Persistence}).
     */
    public void restore() {
        persistence.restore();
    }

    /** Own messages still waiting for an acknowledgement while some other participant is online. */
    public int unacknowledgedWithSomeoneOnline() {
        return acks.unacknowledgedWithSomeoneOnline();
    }

    /** The overlay's discovery cache, kept in this peer's store (see {@link Persistence#addressCache()}). */
    public dev.convene.overlay.AddressCache addressCache() {
        return persistence.addressCache();
    }

    /** Bans a peer: nothing it sends is accepted, shown or relayed by this peer. Kept across restarts. */
    public boolean ban(PeerId peer) {
        if (peer.equals(s.self)) throw new NotAllowedException(null, NotAllowedException.Rule.CANNOT_BAN_ITSELF);
        s.store.saveBan(peer, true);
        return s.banned.add(peer);
    }

    public boolean unban(PeerId peer) {
        s.store.saveBan(peer, false);
        return s.banned.remove(peer);
    }

    public Set<PeerId> bans() {
        return Set.copyOf(s.banned);
    }

    /** Advertisements remembered from earlier runs, for the overlay's directory. */
    public List<PeerAdvertisement> knownPeers() {
        List<PeerAdvertisement> peers = s.store.peers();
        s.counters.corruptRows.reset(); // the store's count now includes the peer rows
        s.counters.corruptRows.add(s.store.corruptRows());
        return peers;
    }

    /** The conference layer's counters. Any thread. */
    public dev.convene.conference.ConferenceStats stats() {
        return s.counters.snapshot();
    }

    /** One conference's state, for tests in this package. */
    Conference conferenceForTest(ConferenceId id) {
        return s.conferences.get(id);
    }

    /** Bytes of metadata this peer's store has written since start, for tests in this package. */
    long metaBytesWritten() {
        return s.store.metaBytesWritten();
    }

    /** Keeps a peer known from a contact card across restarts, as a peer seen online is kept. Engine thread. */
    public void rememberPeer(PeerAdvertisement ad) {
        s.store.savePeer(ad);
    }

    /** Rows the store found corrupt and skipped. */
    public long corruptRows() {
        return s.store.corruptRows();
    }

    public void closeStore() {
        s.store.close();
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static ConferenceStateException notOver(Conference c) {
        return new ConferenceStateException(c.id, c.state, Set.of(ConferenceState.SCHEDULED, ConferenceState.LIVE));
    }

    private Conference require(ConferenceId id) {
        Conference c = s.conferences.get(id);
        if (c == null) throw new ConferenceNotFoundException(id);
        return c;
    }

    /** After metadata changed: state, participant diff events, published view. */
    private void afterChange(Conference c) {
        persistence.persist(c);
        // Order for listeners: what arrived (invitation, replies), then the state it leads to, then who joined
        // or left: an invitee hears of its invitation before it hears that the conference started.
        s.publish(c);
        dispatch.flushPendingEvents(c, s.views.get(c.id));
        refreshState(c);
        Set<PeerId> now = c.participants();
        Set<PeerId> before = c.lastParticipants;
        c.lastParticipants = now;
        s.publish(c);
        ConferenceView v = s.views.get(c.id);
        for (PeerId p : now) {
            if (!before.contains(p)) dispatch.fire(l -> l.participantJoined(v, p, "accepted"));
        }
        for (PeerId p : before) {
            if (!now.contains(p)) {
                String why = c.removals.containsKey(p) ? "removed"
                        : c.replies.containsKey(p) ? c.replies.get(p).answer().label() : "left";
                dispatch.fire(l -> l.participantLeft(v, p, why));
            }
        }
    }

}
