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
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How far ahead of this peer's clock a timestamp may be (clock skew). */
    static final Duration MAX_FUTURE = Duration.ofMinutes(1);
    /** How far beyond an author's contiguous sequence a message may be held while the gap fills. */
    static final long MAX_AHEAD = 512;
    /** How much of a frame a history batch may fill. */
    static final int BATCH_BYTES = 256 * 1024;
    /** How much of a frame one metadata message may fill; larger conferences go in several. */
    static final int META_CHUNK_BYTES = 384 * 1024;

    private final Identity identity;
    private final PeerId self;
    private final Clock clock;
    private final HybridClock hlc;
    private final Executor callbacks;
    private final List<ConferenceListener> listeners;
    private final Map<ConferenceId, Conference> conferences = new HashMap<>();
    private final Map<ConferenceId, ConferenceView> views = new ConcurrentHashMap<>();
    private final Map<ConferenceId, Conference> readable = new ConcurrentHashMap<>();
    private volatile Overlay overlay;
    private Executor events;
    private long ticks;
    private final int syncEveryTicks;

    private final ConferenceStore store;
    /** Peers this peer refuses to hear from (kept across restarts). Written on the engine thread, read anywhere. */
    private final Set<PeerId> banned = ConcurrentHashMap.newKeySet();
    private final Counters counters = new Counters();
    private final Frontiers frontiers = new Frontiers(counters);
    private final SignatureGate gate = new SignatureGate(counters, System::nanoTime);
    private final HistoryBudget history = new HistoryBudget(System::nanoTime);

    /**
     * @param home the home directory holding the durable store, or null to keep nothing
     */
    public ConferenceEngine(Identity identity, java.nio.file.Path home, Clock clock, Executor callbacks,
                            List<ConferenceListener> listeners, Duration tick, Duration syncInterval) {
        this.store = home == null ? ConferenceStore.none() : SqliteStore.open(home, identity.id().value());
        this.identity = identity;
        this.self = identity.id();
        this.clock = clock;
        this.hlc = new HybridClock(clock);
        this.callbacks = callbacks;
        this.listeners = listeners;
        this.syncEveryTicks = (int) Math.max(1, syncInterval.toMillis() / Math.max(1, tick.toMillis()));
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
                    onChat(from, m);
                })
                .handle(Protocol.ACK_TYPE, (from, m) -> {
                    awaitAttached();
                    refuseBanned(from);
                    onAck(from, m);
                })
                .handle(Protocol.DIGEST_TYPE, (from, m) -> {
                    awaitAttached();
                    refuseBanned(from);
                    onDigest(from, m);
                })
                .handle(Protocol.BATCH_TYPE, (from, m) -> {
                    awaitAttached();
                    refuseBanned(from);
                    onBatch(from, m);
                })
                .listener(this);
    }

    private final java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);

    public void attach(Overlay o) {
        this.overlay = o;
        this.events = o.eventExecutor();
        attached.countDown();
    }

    /**
     * Messages and presence events can reach the event thread while {@code Overlay.start()} is still
     * returning; they wait here for the moment it takes.
     */
    private void refuseBanned(PeerId from) {
        if (banned.contains(from)) throw new RejectedMessageException("from banned peer " + from.shortId());
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
        events.execute(() -> {
            try {
                f.complete(op.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private String label() {
        return self.shortId(); // no display name: content stays at DEBUG
    }

    // ---- queries (any thread) ----------------------------------------------------------------------------

    public List<ConferenceView> views() {
        return views.values().stream().sorted(java.util.Comparator.comparing((ConferenceView v) -> v.context().start())
                .thenComparing(ConferenceView::id)).toList();
    }

    public ConferenceView view(ConferenceId id) {
        ConferenceView v = views.get(id);
        if (v == null) throw new ConferenceNotFoundException(id);
        return v;
    }

    public List<ChatEntry> history(ConferenceId id) {
        Conference c = readable.get(id);
        if (c == null) throw new ConferenceNotFoundException(id);
        if (banned.isEmpty()) return List.copyOf(c.history.values());
        return c.history.values().stream().filter(e -> !banned.contains(e.author())).toList();
    }

    // ---- operations (engine thread) ----------------------------------------------------------------------

    public ConferenceView create(NewConference spec) {
        Instant now = clock.instant();
        Instant start = spec.start() != null ? spec.start() : now.plus(spec.startIn());
        List<PeerAdvertisement> invitees = new ArrayList<>();
        for (PeerId p : new TreeSet<>(spec.invitees())) {
            if (p.equals(self)) throw new NotAllowedException(null, NotAllowedException.Rule.CANNOT_INVITE_ITSELF);
            invitees.add(overlay.directory().get(p).orElseThrow(() -> new MemberException(null, p, MemberException.Problem.UNKNOWN_PEER)));
        }
        ConferenceContext ctx;
        try {
            ctx = new ConferenceContext(ConferenceId.derive(identity.signingKey(), now), spec.title(), spec.agenda(), self, start, spec.duration(),
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
        Conference c = new Conference(SignedContext.sign(ctx, identity));
        c.keys.put(0, ContentCrypto.newKey());
        for (PeerAdvertisement ad : invitees) addInvitation(c, ad);
        conferences.put(c.id, c);
        readable.put(c.id, c);
        c.state = c.stateAt(now);
        c.lastParticipants = c.participants();
        persist(c);
        publish(c);
        log.info("{}: created {} with {} invitees", label(), c.id.shortId(), invitees.size());
        log.debug("{}: {} is titled '{}'", label(), c.id.shortId(), ctx.title());
        spread(c);
        if (c.state == ConferenceState.LIVE) fire(l -> l.started(c.view(self)));
        return views.get(c.id);
    }

    /**
     * Invites one peer, sealing to it the keys of every epoch this peer holds without a gap up to the current one
     * (all of them, from epoch 0, at the organiser and at any participant invited with shared history).
     */
    private void addInvitation(Conference c, PeerAdvertisement invitee) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        int first = c.currentEpoch;
        while (!c.ctx().historyJoined() && first > 0 && c.keys.containsKey(first - 1)) first--;
        java.io.ByteArrayOutputStream keys = new java.io.ByteArrayOutputStream();
        for (int e = first; e <= c.currentEpoch; e++) keys.writeBytes(c.keys.get(e));
        byte[] sealed = ContentCrypto.seal(keys.toByteArray(), invitee.agreementKey(), sealContext(c.id, invitee.id()));
        Instant now = clock.instant();
        Invitation unsigned = new Invitation(c.context, invitee.id(), invitee.signingKey(), invitee.agreementKey(), self,
                identity.signingKey(), c.ctx().end(), nonce, first, c.currentEpoch, sealed, now, new byte[0]);
        Invitation signed = new Invitation(unsigned.context(), unsigned.invitee(), unsigned.inviteeKey(),
                unsigned.inviteeAgreementKey(), self, unsigned.inviterKey(), unsigned.expiry(), nonce, first, c.currentEpoch,
                sealed, now, identity.sign(Protocol.bytes(Protocol.INVITATION_BODY, unsigned)));
        c.invitations.put(invitee.id(), signed);
        c.nonces.add(signed.nonceHex());
    }

    private static byte[] sealContext(ConferenceId id, PeerId invitee) {
        return (id.value() + "|" + invitee.value()).getBytes(StandardCharsets.US_ASCII);
    }

    public ConferenceView invite(ConferenceId id, Collection<PeerId> peers) {
        Conference c = require(id);
        if (c.state.isOver()) throw notOver(c);
        boolean organiser = self.equals(c.organiser());
        if (!organiser && !c.isOrganiserAt(self, clock.instant()) && !(c.ctx().participantsMayInvite() && c.participants().contains(self))) {
            throw new NotAllowedException(id, c.ctx().participantsMayInvite() ? NotAllowedException.Rule.ORGANISER_OR_PARTICIPANT_ONLY : NotAllowedException.Rule.ORGANISERS_ONLY);
        }
        if (!c.keys.containsKey(c.currentEpoch)) throw new NotAllowedException(id, NotAllowedException.Rule.NO_KEY);
        List<PeerAdvertisement> ads = new ArrayList<>();
        for (PeerId p : peers) {
            PeerAdvertisement ad = overlay.directory().get(p).orElseThrow(() -> new MemberException(id, p, MemberException.Problem.UNKNOWN_PEER));
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
            rotate(c, c.latestEpoch() + 1);
        }
        if (organiser) {
            c.context = SignedContext.sign(c.ctx().withInvitees(peers), identity);
        }
        for (PeerAdvertisement ad : ads) addInvitation(c, ad);
        persist(c);
        publish(c);
        spread(c);
        return views.get(id);
    }

    /** An unsafe character in a text the caller gave, as the API's typed refusal (the cause carries the detail). */
    private static InvalidInputException unsafe(UnsafeCharacterException e) {
        return new InvalidInputException(e.field(), String.format(java.util.Locale.ROOT, "U+%04X at index %d", e.codePoint(), e.index()),
                "visible characters", e);
    }

    public ConferenceView answer(ConferenceId id, Answer answer, String reason) {
        Conference c = require(id);
        if (c.state.isOver()) throw notOver(c);
        if (!c.isMember(self)) throw new NotAllowedException(id, NotAllowedException.Rule.NOT_INVITED);
        if (self.equals(c.organiser()) && answer == Answer.DECLINE) throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISER_CANNOT_DECLINE);
        if (!self.equals(c.organiser()) && !c.invitations.containsKey(self)) {
            throw new NotAllowedException(id, NotAllowedException.Rule.INVITATION_NOT_ARRIVED);
        }
        String why = reason == null ? "" : reason.strip();
        try {
            UnsafeCharacterException.requireSafeLine("reason", why);
        } catch (UnsafeCharacterException e) {
            throw unsafe(e);
        }
        if (why.length() > Protocol.MAX_REASON) throw new InvalidInputException(InvalidInputException.REASON, why.length() + " characters", "<= " + Protocol.MAX_REASON + " characters");
        if (c.revisionOf(self) >= Protocol.MAX_REVISIONS) {
            throw new InvalidInputException(InvalidInputException.ANSWERS, c.revisionOf(self) + " answers", "<= " + Protocol.MAX_REVISIONS);
        }
        // The answer carries this peer's last own sequence: it marks where its participation starts or ends.
        long sequence = Math.max(c.ownSequence, c.contiguous.getOrDefault(self, 0L));
        Reply unsigned = new Reply(id, self, answer, why, c.revisionOf(self) + 1, clock.instant(), sequence, new byte[0]);
        Reply reply = new Reply(id, self, answer, why, unsigned.revision(), unsigned.at(), sequence,
                identity.sign(Protocol.bytes(Protocol.REPLY_BODY, unsigned)));
        applyReply(c, reply);
        afterChange(c);
        spread(c);
        if (answer == Answer.ACCEPT) requestHistory(c);
        return views.get(id);
    }

    /**
     * Removes a peer (organiser or co-organiser): it stops being a member, and the content key is rotated and granted
     * to every remaining member, so the removed peer reads nothing sent afterwards.
     */
    public ConferenceView remove(ConferenceId id, PeerId peer) {
        Conference c = require(id);
        Instant now = clock.instant();
        boolean organiser = self.equals(c.organiser());
        if (!organiser && !c.isOrganiserAt(self, now)) throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISERS_ONLY);
        // History joined: the organiser alone rotates the key, so it alone removes.
        if (!organiser && c.ctx().historyJoined()) throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISER_ONLY);
        if (c.state.isOver()) throw notOver(c);
        if (peer.equals(self)) throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISER_CANNOT_REMOVE_ITSELF);
        if (!c.isMember(peer)) throw new MemberException(id, peer, MemberException.Problem.NOT_MEMBER);
        if (c.removals.containsKey(peer)) throw new MemberException(id, peer, MemberException.Problem.REMOVED);
        if (c.removals.size() >= Protocol.MAX_REMOVALS || c.latestEpoch() >= Protocol.MAX_REMOVALS) {
            throw new InvalidInputException(InvalidInputException.REMOVALS, (c.removals.size() + 1) + " removals", "<= " + Protocol.MAX_REMOVALS);
        }
        int epoch = c.latestEpoch() + 1;
        // What the removed peer said up to here stays; anything later of its is invalid everywhere.
        long upTo = c.contiguous.getOrDefault(peer, 0L);
        PeerId signer = organiser ? null : self;
        Protocol.Removal unsigned = new Protocol.Removal(id, peer, epoch, now, upTo, signer, new byte[0]);
        c.removalRecords.add(new Protocol.Removal(id, peer, epoch, now, upTo, signer,
                identity.sign(Protocol.bytes(Protocol.REMOVAL_BODY, unsigned))));
        c.resolveRemovals();
        rotate(c, epoch);
        log.info("{}: removed {} from {}, key now at epoch {}", label(), peer.shortId(), c.id.shortId(), epoch);
        rebuild(c, Set.of());
        afterChange(c);
        spread(c);
        if (overlay.directory().isOnline(peer)) sendMeta(c, List.of(peer)); // so it knows; it gets no key
        return views.get(id);
    }

    /** A new content key for {@code epoch}, granted (sealed, signed) to every member but those removed. */
    private void rotate(Conference c, int epoch) {
        byte[] key = ContentCrypto.newKey();
        c.keys.put(epoch, key);
        c.ownRotations.put(epoch, key);
        c.currentEpoch = epoch;
        PeerId signer = self.equals(c.organiser()) ? null : self;
        Map<PeerId, byte[]> recipients = new java.util.LinkedHashMap<>();
        for (PeerId member : c.invitees()) {
            Invitation inv = c.invitations.get(member);
            if (inv == null) continue; // invited by context only and no invitation yet: its invitation will carry the new key
            recipients.put(member, inv.inviteeAgreementKey());
        }
        if (signer != null) {
            // A co-organiser's rotation must reach the organiser too: its agreement key is in its advertisement.
            overlay.directory().get(c.organiser()).ifPresent(ad -> recipients.put(c.organiser(), ad.agreementKey()));
        }
        recipients.remove(self);
        for (var r : recipients.entrySet()) {
            PeerId member = r.getKey();
            byte[] sealed = ContentCrypto.seal(key, r.getValue(), sealContext(c.id, member));
            Protocol.KeyGrant g = new Protocol.KeyGrant(c.id, member, epoch, sealed, signer, new byte[0]);
            c.grants.put(g.slot(), new Protocol.KeyGrant(c.id, member, epoch, sealed, signer,
                    identity.sign(Protocol.bytes(Protocol.GRANT_BODY, g))));
        }
    }

    public ConferenceView end(ConferenceId id) {
        Conference c = require(id);
        Instant now = clock.instant();
        boolean organiser = self.equals(c.organiser());
        if (!organiser && !c.isOrganiserAt(self, now)) {
            throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISERS_ONLY);
        }
        if (c.state.isOver()) throw notOver(c);
        PeerId signer = organiser ? null : self;
        EndNotice unsigned = new EndNotice(id, now, signer, new byte[0]);
        c.end = new EndNotice(id, now, signer, identity.sign(Protocol.bytes(Protocol.END_BODY, unsigned)));
        afterChange(c);
        spread(c);
        return views.get(id);
    }

    /**
     * Grants ({@code organiser} true) or revokes the organiser role of a member (the organiser only): a
     * co-organiser may invite and end the conference, also while the organiser is away for good.
     */
    public ConferenceView setRole(ConferenceId id, PeerId peer, boolean organiser) {
        Conference c = require(id);
        if (!self.equals(c.organiser())) throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISER_ONLY);
        if (c.state.isOver()) throw notOver(c);
        if (peer.equals(self)) throw new NotAllowedException(id, NotAllowedException.Rule.ORGANISER_ROLE_OF_ITSELF);
        if (!c.invitations.containsKey(peer) || c.removals.containsKey(peer)) {
            throw new MemberException(id, peer, MemberException.Problem.NOT_MEMBER);
        }
        int revision = c.roleRevisionOf(peer) + 1;
        if (revision > Protocol.MAX_REVISIONS || c.roleChanges().size() >= Protocol.MAX_ROLE_CHANGES) {
            throw new InvalidInputException(InvalidInputException.ROLE_CHANGES, revision + " changes", "<= " + Protocol.MAX_REVISIONS
                    + " per member and " + Protocol.MAX_ROLE_CHANGES + " in all");
        }
        Protocol.RoleChange unsigned = new Protocol.RoleChange(id, peer, organiser, revision, clock.instant(), new byte[0]);
        Protocol.RoleChange change = new Protocol.RoleChange(id, peer, organiser, revision, unsigned.at(),
                identity.sign(Protocol.bytes(Protocol.ROLE_BODY, unsigned)));
        c.roleLog.computeIfAbsent(peer, p -> new TreeMap<>()).put(revision, change);
        afterChange(c);
        spread(c);
        return views.get(id);
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
        long next = Math.max(c.ownSequence, c.contiguous.getOrDefault(self, 0L)) + 1;
        if (!Membership.mayPost(c, self, next)) throw new NotAllowedException(id, NotAllowedException.Rule.NOT_PARTICIPANT);
        byte[] key = c.keys.get(c.currentEpoch);
        if (key == null) throw new NotAllowedException(id, NotAllowedException.Rule.NO_KEY);
        // Never post under an older key once a newer epoch is known: a removed peer could read it.
        if (c.latestEpoch() > c.currentEpoch) throw new NotAllowedException(id, NotAllowedException.Rule.KEY_ROTATION_PENDING);
        long seq = c.ownSequence = next;
        // Dated after everything this peer delivered and after its own previous message (Frontiers).
        Protocol.Frontier frontier = Frontiers.next(c, self, seq);
        HlcTimestamp floor = Frontiers.floor(c, self, seq, frontier);
        if (floor != null) hlc.observe(floor);
        HlcTimestamp ts = hlc.now();
        ChatMessage draft = new ChatMessage(id, self, seq, ts, c.currentEpoch, new byte[0], new byte[0]);
        byte[] body = ContentCrypto.encrypt(key, plain, draft.aad());
        ChatMessage unsigned = new ChatMessage(id, self, seq, ts, c.currentEpoch, body, new byte[0], frontier);
        ChatMessage m = new ChatMessage(id, self, seq, ts, c.currentEpoch, body, identity.sign(Protocol.bytes(Protocol.CHAT_BODY, unsigned)), frontier);
        CompletableFuture<ChatEntry> acked = new CompletableFuture<>();
        // The own sequence needs no separate write: on restore it is the highest own message in the store.
        store.saveChat(m, overlay.config().name());
        c.awaitingAck.put(m.sequence(), acked);
        ChatEntry entry = deliver(c, m, text, true);
        overlay.multicast(onlineOthers(c.participants()), m);
        return new Post(entry, acked);
    }

    // ---- incoming (engine thread) ------------------------------------------------------------------------

    void onMeta(PeerId from, Meta m) {
        SignedContext sc = m.context();
        ConferenceId id = sc.context().id();
        Conference c = conferences.get(id);
        boolean isNew = c == null;
        gate.beginFrame();
        // Cheap checks first (is this conference, organiser, invitee plausible), every signature after.
        if (isNew) {
            // The id binds the organiser: nobody else can plant a context under it, at any peer.
            if (!id.isBoundTo(sc.organiserKey(), sc.context().createdAt())) {
                throw new RejectedMessageException("conference id " + id.shortId() + " is not bound to its organiser");
            }
            boolean named = sc.context().organiser().equals(self) || sc.context().invitees().contains(self)
                    || m.invitations().stream().anyMatch(i -> i.invitee().equals(self));
            if (!named) throw new RejectedMessageException("not a member of conference " + id.shortId());
            // A ban covers what a banned peer organises, whoever relays it.
            if (banned.contains(sc.context().organiser())) throw new RejectedMessageException("conference organised by a banned peer");
            String refusal = ForeignConferences.refusal(conferences.values(), self, banned, sc.context(), clock.instant());
            if (refusal != null) {
                counters.conferencesRefused.increment();
                throw new RejectedMessageException("conference " + id.shortId() + " refused: " + refusal);
            }
        } else if (!c.organiser().equals(sc.context().organiser()) || !c.ctx().createdAt().equals(sc.context().createdAt())) {
            throw new RejectedMessageException("context for " + id.shortId() + " from a different organiser");
        }
        if (!sc.verifies(gate, from)) throw new RejectedMessageException("context signature does not verify");
        if (isNew) c = new Conference(sc);
        final PeerId sender = from;
        if (sc.context().version() > c.ctx().version()) c.context = sc;
        // Invitations by participants are authorised by their inviter's acceptance, and replies verify with
        // keys from invitations: merge in rounds until nothing new is learned.
        Map<PeerId, Protocol.Removal> removalsBefore = new java.util.LinkedHashMap<>(c.removals);
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
        Set<Integer> rekeyed = refreshKeys(c);
        if (!isNew && (!removalsBefore.equals(c.removals) || !rekeyed.isEmpty())) rebuild(c, rekeyed);
        if (isNew) {
            // Only a verified, authorised invitation (or the organiser's own context) makes this peer a member:
            // a forged invitation naming it must not make a conference appear.
            if (!c.isMember(self)) {
                pendingEvents.remove(id);
                throw new RejectedMessageException("no valid invitation for this peer in conference " + id.shortId());
            }
            // Fully validated before it is stored: a conference this peer cannot compute its state or view of
            // would fail every tick and reader after.
            try {
                c.stateAt(clock.instant());
                c.view(self);
            } catch (RuntimeException e) {
                pendingEvents.remove(id);
                throw new RejectedMessageException("conference " + id.shortId() + " cannot be shown: " + e.getMessage());
            }
            conferences.put(id, c);
            readable.put(id, c);
        }
        if (m.end() != null) mergeEnd(c, m.end(), (key, n) -> n.verifies(key, gate, sender));
        // What a peer learns with its first metadata is the starting point, not a series of joins.
        if (isNew) c.lastParticipants = c.participants();
        afterChange(c);
        deliverReady(c); // answers, keys or removals may decide messages held until now
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

    /** The organiser's role changes: per member, every revision; two different ones with one revision keep the smaller signature. */
    private void mergeRoles(Conference c, List<Protocol.RoleChange> roles, PeerId from) {
        for (Protocol.RoleChange r : roles) {
            if (!r.conference().equals(c.id) || r.peer().equals(c.organiser()) || r.revision() > Protocol.MAX_REVISIONS) continue;
            TreeMap<Integer, Protocol.RoleChange> log = c.roleLog.get(r.peer());
            Protocol.RoleChange known = log == null ? null : log.get(r.revision());
            if (known != null && java.util.Arrays.compareUnsigned(known.signature(), r.signature()) <= 0) continue;
            if (known == null && c.roleChanges().size() >= Protocol.MAX_ROLE_CHANGES) continue;
            if (!r.verifies(c.context.organiserKey(), gate, from)) continue;
            c.roleLog.computeIfAbsent(r.peer(), p -> new TreeMap<>()).put(r.revision(), r);
        }
    }

    private static int revisions(Conference c) {
        int n = 0;
        for (var log : c.replyLog.values()) n += log.size();
        return n;
    }

    private void mergeReplies(Conference c, List<Reply> replies, PeerId from) {
        for (Reply r : replies) {
            if (!r.conference().equals(c.id) || r.revision() <= c.revisionOf(r.author())) continue;
            byte[] key = c.keyOf(r.author());
            if (key == null || !r.verifies(key, gate, from)) {
                log.debug("{}: reply from {} not verifiable yet", label(), r.author().shortId());
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
    }

    private void mergeInvitations(Conference c, List<Invitation> incoming, PeerId from) {
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
                if (!authorised || banned.contains(inv.inviter()) || inv.expiry().isBefore(clock.instant())) continue;
                if (!inv.verifies(gate, from)) continue;
                c.invitations.put(inv.invitee(), inv);
                c.nonces.add(inv.nonceHex());
                if (inv.invitee().equals(self)) openKey(c, inv);
            }
        }
    }

    /**
     * Keeps every removal record and key grant whose signer's signature verifies (the organiser, or a member for
     * a co-organiser's); which removals take effect is decided by {@link Conference#resolveRemovals}. Cheap checks
     * come first; signatures go through the budgeted gate.
     */
    private void mergeRemovalsAndGrants(Conference c, List<Protocol.Removal> removals, List<Protocol.KeyGrant> grants, PeerId from) {
        for (Protocol.Removal r : removals) {
            if (!r.conference().equals(c.id) || r.peer().equals(c.organiser()) || c.removalRecords.size() >= Protocol.MAX_REMOVAL_RECORDS) continue;
            if (!c.isMember(r.peer())) continue; // a removal is plausible only of a member
            if (c.removalRecords.stream().anyMatch(k -> java.util.Arrays.equals(k.signature(), r.signature()))) continue;
            byte[] key = r.signer() == null ? c.context.organiserKey() : c.keyOf(r.signer());
            if (key == null || !r.verifies(key, gate, from)) continue;
            c.removalRecords.add(r);
            if (r.peer().equals(self)) log.info("{}: removed from {}", label(), c.id.shortId());
        }
        c.resolveRemovals();
        for (Protocol.KeyGrant g : grants) {
            if (!g.conference().equals(c.id) || c.grants.containsKey(g.slot()) || c.removals.containsKey(g.recipient())) continue;
            if (c.grants.size() >= Protocol.MAX_REMOVALS * (ConferenceContext.MAX_INVITEES + 1) * 2) continue;
            byte[] key = g.signer() == null ? c.context.organiserKey() : c.keyOf(g.signer());
            if (key == null || !g.verifies(key, gate, from)) continue;
            c.grants.put(g.slot(), g);
        }
    }

    /**
     * Sets each rotated epoch's key to the one of its effective rotation (this peer's own, or opened from the
     * rotator's grant to this peer); an epoch without such a key keeps what this peer has (from its invitation).
     * Returns the epochs whose key changed (a rotation that lost a conflict replaced by the winner's).
     */
    private Set<Integer> refreshKeys(Conference c) {
        Set<Integer> changed = new TreeSet<>();
        int latest = c.latestEpoch();
        for (int e = 1; e <= latest; e++) {
            PeerId rotator = c.rotator(e);
            boolean mine = rotator == null ? self.equals(c.organiser()) : rotator.equals(self);
            byte[] key = null;
            if (mine) {
                key = c.ownRotations.get(e);
            } else {
                String slot = Protocol.KeyGrant.slot(self, e, rotator);
                Protocol.KeyGrant g = c.grants.get(slot);
                key = c.openedGrants.get(slot);
                if (key == null && g != null) {
                    try {
                        key = ContentCrypto.open(g.sealedKey(), identity.agreementPrivateKey(), sealContext(c.id, self));
                        c.openedGrants.put(slot, key);
                    } catch (GeneralSecurityException ex) {
                        log.warn("{}: cannot open the key of epoch {} for {}", label(), e, c.id.shortId());
                    }
                }
            }
            if (key == null || java.util.Arrays.equals(key, c.keys.get(e))) continue;
            if (c.keys.containsKey(e)) changed.add(e);
            c.keys.put(e, key);
        }
        for (int e : c.keys.keySet()) c.currentEpoch = Math.max(c.currentEpoch, e);
        return changed;
    }

    private void openKey(Conference c, Invitation inv) {
        try {
            byte[] keys = ContentCrypto.open(inv.sealedKey(), identity.agreementPrivateKey(), sealContext(c.id, self));
            int epochs = inv.keyEpoch() - inv.firstEpoch() + 1;
            if (keys.length != epochs * ContentCrypto.KEY_LENGTH) throw new GeneralSecurityException("sealed keys: " + keys.length + " bytes for " + epochs + " epochs");
            for (int i = 0; i < epochs; i++) {
                c.keys.putIfAbsent(inv.firstEpoch() + i, java.util.Arrays.copyOfRange(keys, i * ContentCrypto.KEY_LENGTH, (i + 1) * ContentCrypto.KEY_LENGTH));
            }
            c.currentEpoch = Math.max(c.currentEpoch, inv.keyEpoch());
        } catch (GeneralSecurityException e) {
            log.warn("{}: cannot open the content key of {} from {}", label(), c.id.shortId(), inv.inviter().shortId());
        }
        if (!c.invitationAnnounced) {
            c.invitationAnnounced = true;
            PeerId inviter = inv.inviter();
            Conference cc = c;
            fireLater(cc, v -> l -> l.invitation(v, inviter));
        }
    }

    private void applyReply(Conference c, Reply r) {
        c.replyLog.computeIfAbsent(r.author(), a -> new java.util.TreeMap<>()).put(r.revision(), r);
        c.replies.put(r.author(), r);
        if (!banned.contains(r.author())) fireLater(c, v -> l -> l.reply(v, r.author(), r.answer(), r.reason()));
    }

    void onChat(PeerId from, ChatMessage m) {
        Conference c = conferences.get(m.conference());
        if (c == null) throw new RejectedMessageException("chat for unknown conference");
        if (!accept(c, from, m)) ack(c, m.author()); // a duplicate: the author may be waiting to hear it arrived
        else if (from.equals(m.author()) && frontiers.direct(c, self, m)) log.debug("{}: chat {} under-reports its frontier", label(), m.id());
        deliverReady(c);
    }

    /**
     * Stores a message whose author's signature verifies and that can still be valid: validity itself is decided
     * at delivery ({@link #deliverReady}) by {@link Membership}, with the records held then, so a message whose
     * author's answer has not arrived yet waits here instead of being refused and resent.
     */
    private boolean accept(Conference c, PeerId from, ChatMessage m) {
        if (!c.participants().contains(self)) throw new RejectedMessageException("chat sent to a non-participant");
        if (banned.contains(m.author())) throw new RejectedMessageException("chat by banned peer " + m.author().shortId());
        TreeMapHolder held = new TreeMapHolder(c, m.author());
        if (held.has(m.sequence()) || m.sequence() <= c.contiguous.getOrDefault(m.author(), 0L)) {
            return false; // duplicate, or a sequence already settled
        }
        byte[] authorKey = c.keyOf(m.author());
        if (authorKey == null) throw new RejectedMessageException("chat from non-member " + m.author().shortId());
        if (Membership.standing(c, m.author(), m.sequence()) == Membership.Standing.OUT) {
            throw new RejectedMessageException("chat " + m.id() + " outside its author's membership");
        }
        if (!gate.verifyChat(from, authorKey, Protocol.bytes(Protocol.CHAT_BODY, m), m.signature())) {
            throw new RejectedMessageException("chat signature does not verify");
        }
        if (m.timestamp().instant().isAfter(clock.instant().plus(MAX_FUTURE))) {
            throw new RejectedMessageException("chat timestamp " + m.timestamp() + " is in the future");
        }
        if (m.timestamp().instant().isBefore(c.ctx().start().minus(MAX_FUTURE))) {
            throw new RejectedMessageException("chat timestamp before the conference start");
        }
        Instant end = c.end != null && c.end.at().isBefore(c.ctx().end()) ? c.end.at() : c.ctx().end();
        if (m.timestamp().instant().isAfter(end.plus(MAX_FUTURE))) {
            throw new RejectedMessageException("chat timestamp after the conference ended");
        }
        if (Membership.verdict(c, m, MAX_FUTURE) == Membership.Verdict.INVALID && !m.author().equals(self)) {
            // Invalid for ever: kept (it fills its author's sequence, so later messages flow) but never shown.
            log.debug("{}: chat {} invalid by membership; held unshown", label(), m.id());
            overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
        }
        if (m.sequence() > c.contiguous.getOrDefault(m.author(), 0L) + MAX_AHEAD) {
            // Bounded memory: a sender cannot make us hold unlimited messages waiting for a gap to fill;
            // anything refused here comes again through anti-entropy once the gap is closed.
            throw new RejectedMessageException("chat " + m.id() + " too far beyond the author's gap");
        }
        if (m.keyEpoch() > Protocol.MAX_REMOVALS) throw new RejectedMessageException("chat under epoch " + m.keyEpoch());
        hlc.observe(m.timestamp());
        store.saveChat(m, nameOf(m.author()));
        held.put(m);
        return true;
    }

    /** Access to one author's held messages. */
    private record TreeMapHolder(Conference c, PeerId author) {
        boolean has(long seq) {
            var t = c.chat.get(author);
            return t != null && t.containsKey(seq);
        }

        void put(ChatMessage m) {
            c.chat.computeIfAbsent(author, a -> new java.util.TreeMap<>()).put(m.sequence(), m);
        }
    }

    /**
     * Delivers every held message that continues an author's sequence without a gap, then acknowledges,
     * once per author, everything stored from that author so far.
     */
    private void deliverReady(Conference c) {
        Set<PeerId> advanced = new java.util.LinkedHashSet<>();
        Set<PeerId> refused = new TreeSet<>();
        int firstReadable = c.firstReadableEpoch(self);
        // Another pass while an author waits for a message its frontier names and some author moved on meanwhile.
        for (boolean again = true; again; ) {
        boolean waiting = false;
        boolean moved = false;
        for (var e : c.chat.entrySet()) {
            PeerId author = e.getKey();
            long first = c.contiguous.getOrDefault(author, 0L) + 1;
            long next = first;
            while (true) {
                ChatMessage m = e.getValue().get(next);
                if (m == null) {
                    // A sequence its author could not validly use (a closed range of its membership) is settled
                    // without the message, so what follows flows; a removal's open end is never skipped into.
                    if (Membership.standing(c, author, next) != Membership.Standing.OUT) break;
                    long through = Membership.settledThrough(c, author, next);
                    if (through == Long.MAX_VALUE || through < next) break;
                    Long held = e.getValue().ceilingKey(next);
                    next = Math.min(through, held == null ? through : held - 1) + 1;
                    c.contiguous.put(author, next - 1);
                    continue;
                }
                Membership.Verdict verdict = Membership.verdict(c, m, MAX_FUTURE);
                if (verdict == Membership.Verdict.UNDECIDED) break; // its author's answer has not arrived yet
                if (verdict == Membership.Verdict.INVALID) {
                    if (!author.equals(self)) refused.add(author);
                    settle(c, m, "invalid by membership");
                    next++;
                    continue;
                }
                Frontiers.Verdict dated = frontiers.check(c, m, banned, MAX_FUTURE);
                if (dated == Frontiers.Verdict.WAIT) { // the message its frontier names has not arrived yet
                    waiting = true;
                    break;
                }
                if (dated == Frontiers.Verdict.BACKDATED) {
                    counters.backdated.increment();
                    if (overlay != null && !c.restoring) overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
                    settle(c, m, "dated before what its author had seen");
                    next++;
                    continue;
                }
                byte[] key = c.keys.get(m.keyEpoch());
                if (key == null) {
                    if (m.keyEpoch() >= firstReadable) break; // a key grant may still come
                    settle(c, m, "under a key from before this peer's admission");
                    next++;
                    continue;
                }
                String text;
                try {
                    text = new String(ContentCrypto.decrypt(key, m.body(), m.aad()), StandardCharsets.UTF_8);
                } catch (GeneralSecurityException ex) {
                    // Signed by its author but not readable with the epoch's key: it can never be read here.
                    if (overlay != null) overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
                    settle(c, m, "undecryptable");
                    next++;
                    continue;
                }
                deliver(c, m, text, false);
                next++;
            }
            if (next > first) {
                advanced.add(author);
                moved = true;
            }
        }
        again = waiting && moved; // each pass that repeats delivered or settled at least one message
        }
        if (!c.restoring && overlay != null) {
            // An author whose post was refused gets the records that refuse it before the acknowledgement that
            // covers it (frames to one peer arrive in order), so it learns its post failed, not that it arrived.
            List<PeerId> tell = onlineOthers(refused);
            if (!tell.isEmpty()) sendMeta(c, tell);
        }
        if (!c.restoring) advanced.forEach(author -> ack(c, author));
    }

    /**
     * Moves an author's sequence past a message that will never be shown here, so later messages flow; it stays
     * held (and is relayed), so a peer asking for history settles it the same way. An own post that ends up
     * invalid (sent under an old key after a removal it had not heard of) is reported to its future.
     */
    private void settle(Conference c, ChatMessage m, String why) {
        c.contiguous.put(m.author(), m.sequence());
        log.debug("{}: chat {} settled unshown: {}", label(), m.id(), why);
        if (m.author().equals(self)) failOwn(c, m.sequence(), why);
    }

    private void failOwn(Conference c, long sequence, String why) {
        CompletableFuture<ChatEntry> f = c.awaitingAck.remove(sequence);
        if (f != null) f.completeExceptionally(new dev.convene.conference.MessageRefusedException(c.id, new MessageId(self, sequence), why));
    }

    /**
     * After the removals in effect or an epoch's key changed: the history becomes again what the records say. What is
     * now invalid (messages of a removed peer beyond what its remover held, messages under an old key dated after a
     * removal) or no longer readable (under a key that lost a conflict) is taken out, and an own such post fails;
     * what is valid again (its removal lost a conflict) is put back. So every peer ends with the same history
     * whatever it had shown before it heard of a change. Listeners are told of what is put back, not of what is
     * taken out.
     */
    private void rebuild(Conference c, Set<Integer> rekeyed) {
        for (ChatEntry e : List.copyOf(c.history.values())) {
            TreeMap<Long, ChatMessage> byAuthor = c.chat.get(e.author());
            ChatMessage m = byAuthor == null ? null : byAuthor.get(e.id().sequence());
            if (m == null) continue;
            boolean valid = Membership.verdict(c, m, MAX_FUTURE) == Membership.Verdict.VALID;
            if (valid && rekeyed.contains(m.keyEpoch()) && read(c, m) == null) valid = false;
            if (valid) continue;
            c.history.remove(e);
            c.entries.remove(e.id());
            if (m.author().equals(self)) failOwn(c, m.sequence(), "invalid after a removal, or under a key that lost a conflict");
            log.debug("{}: chat {} taken out of the history", label(), m.id());
        }
        for (var byAuthor : c.chat.entrySet()) {
            if (banned.contains(byAuthor.getKey())) continue;
            long upTo = c.contiguous.getOrDefault(byAuthor.getKey(), 0L);
            for (ChatMessage m : byAuthor.getValue().headMap(upTo, true).values()) {
                if (c.entries.containsKey(m.id()) || Membership.verdict(c, m, MAX_FUTURE) != Membership.Verdict.VALID) continue;
                if (frontiers.check(c, m, banned, MAX_FUTURE) != Frontiers.Verdict.VALID) continue;
                String text = read(c, m);
                if (text == null) continue;
                ChatEntry entry = new ChatEntry(c.id, m.id(), m.timestamp(), nameOf(m.author()), text, false);
                c.history.put(entry, entry);
                c.entries.put(entry.id(), entry);
                callbacks.execute(() -> listeners.forEach(l -> safely(() -> l.message(entry))));
            }
        }
    }

    /** The text of a held message under this peer's key for its epoch, or null if it cannot be read. */
    private static String read(Conference c, ChatMessage m) {
        byte[] key = c.keys.get(m.keyEpoch());
        if (key == null) return null;
        try {
            return new String(ContentCrypto.decrypt(key, m.body(), m.aad()), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** Records a delivered message, publishes it and tells listeners. */
    private ChatEntry deliver(Conference c, ChatMessage m, String text, boolean own) {
        c.chat.computeIfAbsent(m.author(), a -> new java.util.TreeMap<>()).put(m.sequence(), m);
        c.contiguous.put(m.author(), m.sequence());
        String name = c.restoring ? c.restoredNames.getOrDefault(m.id(), m.author().shortId()) : nameOf(m.author());
        boolean pending = own || (c.restoring && m.author().equals(self) && c.unacknowledged.contains(m.sequence()));
        ChatEntry entry = new ChatEntry(c.id, m.id(), m.timestamp(), name, text, pending);
        c.history.put(entry, entry);
        c.entries.put(entry.id(), entry);
        if (!c.restoring) callbacks.execute(() -> listeners.forEach(l -> safely(() -> l.message(entry))));
        return entry;
    }

    /**
     * Tells an online author that every message of its up to our contiguous sequence is stored here. Acks are
     * coalesced: the first one due schedules a flush behind the frames already queued on this thread, so a
     * burst of messages from one author costs one signed ack, not one per message (the largest single cost
     * in a throughput profile before this).
     */
    private void ack(Conference c, PeerId author) {
        if (author.equals(self)) return;
        dueAcks.add(new AckKey(c.id, author));
        if (!ackFlushScheduled) {
            ackFlushScheduled = true;
            events.execute(this::flushAcks);
        }
    }

    private record AckKey(ConferenceId conference, PeerId author) {
    }

    private final java.util.Set<AckKey> dueAcks = new java.util.LinkedHashSet<>();
    private boolean ackFlushScheduled;

    private void flushAcks() {
        ackFlushScheduled = false;
        List<AckKey> due = List.copyOf(dueAcks);
        dueAcks.clear();
        for (AckKey k : due) {
            Conference c = conferences.get(k.conference());
            if (c == null) continue;
            long upTo = c.contiguous.getOrDefault(k.author(), 0L);
            if (upTo > 0 && overlay.directory().isOnline(k.author())) {
                overlay.multicast(List.of(k.author()), new ChatAck(c.id, k.author(), upTo));
            }
        }
    }

    void onAck(PeerId from, ChatAck a) {
        Conference c = conferences.get(a.conference());
        if (c == null || !a.author().equals(self) || !c.participants().contains(from)) return;
        frontiers.acknowledged(c, from, a.sequence());
        var done = c.awaitingAck.headMap(a.sequence(), true);
        if (done.isEmpty()) return;
        store.markAcknowledged(c.id, a.sequence());
        for (var e : List.copyOf(done.entrySet())) {
            ChatEntry old = c.entries.get(new MessageId(self, e.getKey()));
            if (old != null) {
                ChatEntry acked = new ChatEntry(old.conference(), old.id(), old.timestamp(), old.authorName(), old.text(), false);
                if (c.history.containsKey(old)) {
                    c.history.put(old, acked); // same key in canonical order: readers see one or the other, never neither
                    c.entries.put(acked.id(), acked);
                }
                e.getValue().complete(acked);
                fire(l -> l.delivered(acked));
            }
        }
        done.clear();
    }

    void onDigest(PeerId from, ChatDigest d) {
        Conference c = conferences.get(d.conference());
        if (c == null || !c.participants().contains(self) || !c.participants().contains(from)) {
            throw new RejectedMessageException("history request from a non-participant");
        }
        // Answer with one bounded batch of what the asker lacks, oldest first per author; it asks again
        // for the rest. Only delivered messages are offered (never beyond a gap here). Budgeted (HistoryBudget):
        // nothing is sent to the same asker twice within a few seconds, and bytes per asker and in total are capped.
        // The same digest asked again means the last answer did not help (the asker cannot use it yet): answered
        // again only after a back-off that doubles each time, so nothing is resent in a loop.
        Asked asked = new Asked(c.id, from);
        Backoff previous = answered.get(asked);
        boolean repeat = previous != null && previous.digest().equals(d.contiguous());
        boolean hold = repeat && ticks < previous.notBefore();
        if (hold) heldBack++;
        boolean fresh = !hold && history.fresh(from, c.id, d.contiguous());
        List<ChatMessage> batch = new ArrayList<>();
        int bytes = 0;
        boolean more = false;
        boolean suppressed = false;
        List<java.util.Iterator<ChatMessage>> ranges = new ArrayList<>();
        for (var e : fresh ? c.chat.entrySet() : java.util.Set.<Map.Entry<PeerId, java.util.TreeMap<Long, ChatMessage>>>of()) {
            if (banned.contains(e.getKey())) continue; // never relay what a banned peer wrote
            long claimed = d.contiguous().getOrDefault(e.getKey(), 0L);
            long have = Math.max(claimed, history.alreadySent(from, c.id, e.getKey()));
            long delivered = c.contiguous.getOrDefault(e.getKey(), 0L);
            if (have > claimed && claimed < delivered) suppressed = true;
            if (have >= delivered) continue; // the asker is level or ahead for this author (after a partition, say)
            ranges.add(e.getValue().subMap(have, false, delivered, true).values().iterator());
        }
        // Oldest first across authors (each author's in sequence order): the message a frontier names comes
        // before or with the message naming it, so catch-up never waits on a message it has not been sent.
        for (var it = HistoryOrder.merge(ranges); it.hasNext(); ) {
            if (batch.size() >= Protocol.MAX_BATCH || bytes >= BATCH_BYTES) {
                more = true;
                break;
            }
            ChatMessage m = it.next();
            batch.add(m);
            bytes += m.body().length + 200;
        }
        if (!fresh || (batch.isEmpty() && suppressed)) {
            counters.historyAnswersRefused.increment(); // held back (repeated digest) or budgeted
        } else if (!batch.isEmpty()) {
            if (history.spend(from, c.id, d.contiguous(), bytes)) {
                counters.historyBytesSent.add(bytes);
                for (ChatMessage m : batch) history.sent(from, c.id, m.author(), m.sequence());
                overlay.multicast(List.of(from), new ChatBatch(c.id, batch, more));
                int repeats = repeat ? previous.repeats() + 1 : 0;
                if (answered.size() >= MAX_ANSWERED && !answered.containsKey(asked)) answered.clear();
                answered.put(asked, new Backoff(d.contiguous(), ticks + (long) syncEveryTicks * (1L << Math.min(repeats, 6)), repeats));
            } else {
                counters.historyAnswersRefused.increment();
            }
        }
        if (d.contiguous().getOrDefault(from, 0L) <= c.contiguous.getOrDefault(from, 0L)) ack(c, from);
        boolean behind = d.contiguous().entrySet().stream().anyMatch(e -> e.getValue() > c.contiguous.getOrDefault(e.getKey(), 0L));
        if (behind) overlay.multicast(List.of(from), new ChatDigest(c.id, c.digest()));
    }

    /** A history request, by conference and asker. */
    private record Asked(ConferenceId conference, PeerId asker) {
    }

    /** The digest last answered for an asker, the tick before which the same digest is not answered again, and how often it repeated. */
    private record Backoff(Map<PeerId, Long> digest, long notBefore, int repeats) {
    }

    /** Most askers remembered for back-off (bounded memory; forgetting only means answering once more). */
    private static final int MAX_ANSWERED = 4096;
    private final Map<Asked, Backoff> answered = new HashMap<>();

    /** Times a digest was not answered because the same one was answered recently (for tests and stats). */
    long heldBackAnswers() {
        return heldBack;
    }

    private long heldBack;

    void onBatch(PeerId from, ChatBatch b) {
        Conference c = conferences.get(b.conference());
        if (c == null || !c.participants().contains(self)) throw new RejectedMessageException("history for a non-participant");
        int rejected = 0;
        for (ChatMessage m : b.messages()) {
            if (!m.conference().equals(c.id)) {
                rejected++;
                continue;
            }
            try {
                accept(c, from, m);
            } catch (RejectedMessageException e) {
                rejected++;
            }
        }
        deliverReady(c);
        if (rejected > 0) {
            for (int i = 0; i < rejected; i++) overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
        }
        if (b.more()) overlay.multicast(List.of(from), new ChatDigest(c.id, c.digest())); // pull the next batch
    }

    // ---- presence and time (engine thread) ----------------------------------------------------------------

    @Override
    public void peerJoined(PeerAdvertisement peer) {
        awaitAttached();
        store.savePeer(peer);
        for (Conference c : List.copyOf(conferences.values())) {
            isolated(c, "join", () -> {
                if (c.removals.containsKey(peer.id())) sendMeta(c, List.of(peer.id())); // tell a removed peer it was removed
                if (!c.isMember(peer.id())) return;
                sendMeta(c, List.of(peer.id())); // store and forward: invitations, replies, end
                if (c.participants().contains(peer.id()) && c.participants().contains(self)) {
                    overlay.multicast(List.of(peer.id()), new ChatDigest(c.id, c.digest()));
                    if (!c.state.isOver()) fire(l -> l.participantJoined(c.view(self), peer.id(), "online"));
                }
            });
        }
    }

    @Override
    public void peerLeft(PeerAdvertisement peer) {
        awaitAttached();
        for (Conference c : List.copyOf(conferences.values())) {
            isolated(c, "leave", () -> {
                if (!c.state.isOver() && c.participants().contains(peer.id()) && c.participants().contains(self)) {
                    fire(l -> l.participantLeft(c.view(self), peer.id(), "offline"));
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
                counters.tickFailures.increment();
                log.warn("{}: could not hand the tick to the event thread: {}", label(), e.toString());
            }
        };
    }

    /** Moves conferences along by the clock and, every few ticks, exchanges digests. */
    public void tick() {
        ticks++;
        for (Conference c : List.copyOf(conferences.values())) {
            isolated(c, "tick", () -> {
                ConferenceState before = c.state;
                refreshState(c);
                if (before != c.state) publish(c);
            });
        }
        if (ticks % syncEveryTicks == 0) antiEntropy();
    }

    private void antiEntropy() {
        for (Conference c : List.copyOf(conferences.values())) {
            isolated(c, "anti-entropy", () -> {
                List<PeerId> online = onlineOthers(c.members());
                if (online.isEmpty()) return;
                PeerId peer = online.get(RANDOM.nextInt(online.size()));
                sendMeta(c, List.of(peer));
                if (c.participants().contains(self) && c.participants().contains(peer)) {
                    overlay.multicast(List.of(peer), new ChatDigest(c.id, c.digest()));
                }
            });
        }
    }

    /** Runs one conference's step (tick, anti-entropy, a peer joining or leaving) so that its failure is counted and logged, and never stops the others'. */
    private void isolated(Conference c, String step, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            counters.conferenceFailures.increment();
            log.warn("{}: {} of conference {} failed: {}", label(), step, c.id.shortId(), e.toString());
        }
    }

    private void refreshState(Conference c) {
        ConferenceState next = c.stateAt(clock.instant());
        // A cancellation (an end dated before the start) that reaches a peer where the conference is already
        // live, through clock skew or a healed partition, ends it: LIVE cannot become CANCELLED.
        if (c.state == ConferenceState.LIVE && next == ConferenceState.CANCELLED) next = ConferenceState.ENDED;
        if (next == c.state) return;
        if (!c.state.canMoveTo(next)) return; // e.g. an end notice that arrived for an already-ended conference
        c.state = c.state.moveTo(next);
        log.info("{}: {} is now {}", label(), c.id.shortId(), next);
        ConferenceView v = c.view(self);
        views.put(c.id, v);
        if (next == ConferenceState.LIVE) fire(l -> l.started(v));
        else fire(l -> l.ended(v));
    }

    // ---- durability --------------------------------------------------------------------------------------

    /** Saves a conference's metadata if it changed since the last save. */
    private void persist(Conference c) {
        byte[] meta = MetaRecords.head(c);
        Map<String, byte[]> changed = MetaRecords.changed(c);
        boolean headChanged = !java.util.Arrays.equals(meta, c.savedMeta) || c.ownSequence != c.savedOwnSequence
                || c.keys.size() != c.savedKeys;
        if (!headChanged && changed.isEmpty()) return;
        store.saveConference(c.id, headChanged ? new ConferenceStore.SavedConference(c.id, meta, c.keys, c.currentEpoch, c.ownSequence)
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
    public void restore() {
        banned.addAll(store.bans());
        for (ConferenceStore.SavedConference saved : store.conferences()) {
            try {
                Conference c = restoreOne(saved);
                conferences.put(c.id, c);
                readable.put(c.id, c);
                publish(c);
            } catch (RuntimeException e) {
                // A record this peer cannot load never stops it from starting: set it aside, count it, go on.
                counters.conferenceFailures.increment();
                log.warn("{}: setting aside stored conference {}: {}", label(), saved.id().shortId(), e.toString());
                store.quarantine(saved.id(), saved.meta(), String.valueOf(e));
            }
        }
        counters.quarantined.add(store.quarantined());
        counters.corruptRows.add(store.corruptRows());
        if (!conferences.isEmpty()) {
            log.info("{}: restored {} conferences ({} corrupt rows skipped)", label(), conferences.size(), store.corruptRows());
        }
    }

    private Conference restoreOne(ConferenceStore.SavedConference saved) {
        Meta head = dev.convene.overlay.wire.WireBytes.decode(Protocol.META, saved.meta());
        // A head written before rows existed holds every record itself; it is rewritten as rows on the next change.
        boolean rowsOnly = head.invitations().isEmpty() && head.replies().isEmpty() && head.removals().isEmpty() && head.grants().isEmpty()
                && head.roles().isEmpty();
        Meta meta = MetaRecords.assemble(head, store.records(saved.id()));
        if (!meta.context().context().id().equals(saved.id())) throw new IllegalStateException("row key does not match its context");
        if (!meta.context().verifies(gate, null)) throw new IllegalStateException("context signature does not verify");
        Conference c = new Conference(meta.context());
        // Only verified records are ever stored (persist writes what the merges accepted), so a start does not
        // verify them again: one check of the context guards against a row from elsewhere, the decode against damage.
        for (Invitation inv : meta.invitations()) {
            if (!inv.conference().equals(c.id)) continue;
            c.invitations.put(inv.invitee(), inv);
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
        meta.grants().stream().filter(g -> g.conference().equals(c.id)).forEach(g -> c.grants.put(g.slot(), g));
        c.keys.putAll(saved.keys());
        c.currentEpoch = saved.currentEpoch();
        // The keys of rotations this peer made are not in any grant to it: the saved ones are they.
        saved.keys().forEach((e, k) -> {
            PeerId rotator = c.rotator(e);
            if (e > 0 && (rotator == null ? self.equals(c.organiser()) : rotator.equals(self))) c.ownRotations.put(e, k);
        });
        refreshKeys(c);
        c.ownSequence = saved.ownSequence();
        c.invitationAnnounced = true;
        c.savedMeta = saved.meta();
        if (rowsOnly) MetaRecords.markSaved(c);
        c.savedOwnSequence = c.ownSequence;
        c.savedKeys = c.keys.size();
        c.state = c.stateAt(clock.instant());
        List<HlcTimestamp> seen = new ArrayList<>();
        for (ConferenceStore.SavedChat sc : store.chat(c.id)) {
            ChatMessage m = sc.message();
            byte[] authorKey = c.keyOf(m.author());
            if (authorKey == null || !c.keys.containsKey(m.keyEpoch())) continue;
            c.chat.computeIfAbsent(m.author(), a -> new java.util.TreeMap<>()).put(m.sequence(), m);
            c.restoredNames.put(m.id(), sc.authorName());
            if (m.author().equals(self) && !sc.acknowledged()) c.unacknowledged.add(m.sequence());
            seen.add(m.timestamp());
        }
        c.restoring = true;
        try {
            deliverReady(c);
        } finally {
            c.restoring = false;
        }
        // Only a conference that loaded in full moves this peer's clock.
        seen.forEach(hlc::observe);
        // Never reuse a sequence number: take the highest own message stored, even beyond a damaged row.
        if (c.chat.containsKey(self)) c.ownSequence = Math.max(c.ownSequence, c.chat.get(self).lastKey());
        for (long seq : c.unacknowledged) {
            // Only what is shown waits for an acknowledgement; an own post settled unshown never gets one.
            if (c.entries.containsKey(new MessageId(self, seq))) c.awaitingAck.put(seq, new CompletableFuture<>());
        }
        c.lastParticipants = c.participants();
        c.view(self); // a conference that cannot show itself would fail every reader: find out now
        return c;
    }

    /** Own messages still waiting for an acknowledgement while some other participant is online. */
    public int unacknowledgedWithSomeoneOnline() {
        int n = 0;
        for (Conference c : conferences.values()) {
            if (!c.awaitingAck.isEmpty() && !onlineOthers(c.participants()).isEmpty()) n += c.awaitingAck.size();
        }
        return n;
    }

    /** Bans a peer: nothing it sends is accepted, shown or relayed by this peer. Kept across restarts. */
    public boolean ban(PeerId peer) {
        if (peer.equals(self)) throw new NotAllowedException(null, NotAllowedException.Rule.CANNOT_BAN_ITSELF);
        store.saveBan(peer, true);
        return banned.add(peer);
    }

    public boolean unban(PeerId peer) {
        store.saveBan(peer, false);
        return banned.remove(peer);
    }

    public Set<PeerId> bans() {
        return Set.copyOf(banned);
    }

    /** Advertisements remembered from earlier runs, for the overlay's directory. */
    public List<PeerAdvertisement> knownPeers() {
        List<PeerAdvertisement> peers = store.peers();
        counters.corruptRows.reset(); // the store's count now includes the peer rows
        counters.corruptRows.add(store.corruptRows());
        return peers;
    }

    /**
     * The overlay's discovery cache, kept in this peer's store ({@code known_address}) instead of
     * {@code HOME/known-peers}; a failing store is logged and counts as an empty cache.
     */
    public dev.convene.overlay.AddressCache addressCache() {
        return new dev.convene.overlay.AddressCache() {
            @Override
            public List<dev.convene.overlay.HostPort> load() {
                try {
                    return store.addresses();
                } catch (RuntimeException e) {
                    log.warn("{}: cannot read the known addresses: {}", label(), e.toString());
                    return List.of();
                }
            }

            @Override
            public void remember(List<dev.convene.overlay.HostPort> seen) {
                try {
                    store.rememberAddresses(seen);
                } catch (RuntimeException e) {
                    log.warn("{}: cannot store the known addresses: {}", label(), e.toString());
                }
            }
        };
    }

    /** The conference layer's counters. Any thread. */
    public dev.convene.conference.ConferenceStats stats() {
        return counters.snapshot();
    }

    /** One conference's state, for tests in this package. */
    Conference conferenceForTest(ConferenceId id) {
        return conferences.get(id);
    }

    /** Bytes of metadata this peer's store has written since start, for tests in this package. */
    long metaBytesWritten() {
        return store.metaBytesWritten();
    }

    /** Keeps a peer known from a contact card across restarts, as a peer seen online is kept. Engine thread. */
    public void rememberPeer(PeerAdvertisement ad) {
        store.savePeer(ad);
    }

    /** Rows the store found corrupt and skipped. */
    public long corruptRows() {
        return store.corruptRows();
    }

    public void closeStore() {
        store.close();
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static ConferenceStateException notOver(Conference c) {
        return new ConferenceStateException(c.id, c.state, Set.of(ConferenceState.SCHEDULED, ConferenceState.LIVE));
    }

    private Conference require(ConferenceId id) {
        Conference c = conferences.get(id);
        if (c == null) throw new ConferenceNotFoundException(id);
        return c;
    }

    /** After metadata changed: state, participant diff events, published view. */
    private void afterChange(Conference c) {
        persist(c);
        // Order for listeners: what arrived (invitation, replies), then the state it leads to, then who joined
        // or left: an invitee hears of its invitation before it hears that the conference started.
        publish(c);
        flushPendingEvents(c, views.get(c.id));
        refreshState(c);
        Set<PeerId> now = c.participants();
        Set<PeerId> before = c.lastParticipants;
        c.lastParticipants = now;
        publish(c);
        ConferenceView v = views.get(c.id);
        for (PeerId p : now) {
            if (!before.contains(p)) fire(l -> l.participantJoined(v, p, "accepted"));
        }
        for (PeerId p : before) {
            if (!now.contains(p)) {
                String why = c.removals.containsKey(p) ? "removed"
                        : c.replies.containsKey(p) ? c.replies.get(p).answer().label() : "left";
                fire(l -> l.participantLeft(v, p, why));
            }
        }
    }


    private final Map<ConferenceId, List<java.util.function.Function<ConferenceView, Consumer<ConferenceListener>>>> pendingEvents = new HashMap<>();

    /** Queues an event that needs the view after the current change is applied. */
    private void fireLater(Conference c, java.util.function.Function<ConferenceView, Consumer<ConferenceListener>> event) {
        pendingEvents.computeIfAbsent(c.id, k -> new ArrayList<>()).add(event);
    }

    private void flushPendingEvents(Conference c, ConferenceView v) {
        List<java.util.function.Function<ConferenceView, Consumer<ConferenceListener>>> list = pendingEvents.remove(c.id);
        if (list != null) list.forEach(e -> fire(e.apply(v)));
    }

    /** Pulls the history from one online participant; periodic anti-entropy covers what it lacks. */
    private void requestHistory(Conference c) {
        List<PeerId> online = onlineOthers(c.participants());
        if (!online.isEmpty()) {
            overlay.multicast(List.of(online.get(RANDOM.nextInt(online.size()))), new ChatDigest(c.id, c.digest()));
        }
    }

    private void spread(Conference c) {
        sendMeta(c, onlineOthers(c.members()));
    }

    private void sendMeta(Conference c, List<PeerId> to) {
        if (to.isEmpty()) return;
        for (Meta chunk : c.metaChunks(META_CHUNK_BYTES)) overlay.multicast(to, chunk);
    }

    private List<PeerId> onlineOthers(Collection<PeerId> peers) {
        return peers.stream().filter(p -> !p.equals(self) && overlay.directory().isOnline(p)).toList();
    }

    private void publish(Conference c) {
        views.put(c.id, c.view(self));
    }

    private String nameOf(PeerId p) {
        return overlay.directory().get(p).map(PeerAdvertisement::name).orElse(p.shortId());
    }

    private void fire(Consumer<ConferenceListener> event) {
        callbacks.execute(() -> listeners.forEach(l -> safely(() -> event.accept(l))));
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("{}: conference listener failed", label(), e);
        }
    }
}
