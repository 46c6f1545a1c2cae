package dev.convene.conference.internal;

import dev.convene.conference.Answer;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceNotFoundException;
import dev.convene.conference.NotAllowedException;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.NewConference;
import dev.convene.conference.Post;
import dev.convene.overlay.Identity;
import dev.convene.overlay.Overlay;
import dev.convene.overlay.OverlayListener;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.RejectedMessageException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every conference at one peer. All state changes run on the overlay's event thread (handlers, presence,
 * ticks and API operations alike), so no locks are needed; listeners are called on a separate callback
 * thread in the same order. Readers get immutable views and the concurrent history set.
 *
 * <p>This class registers the handlers, runs operations on the engine thread ({@link #call}), answers queries,
 * ticks, and wires the parts that do the work, all package-private and sharing one {@link EngineState}:
 * {@link MetaMerge} (metadata received), {@link Keys}, {@link ChatLog} (acceptance, order, delivery),
 * {@link Acks}, {@link HistorySync}, {@link Persistence}, {@link StateChanges}, {@link Operations} (what the user
 * does) and {@link Dispatch} (listeners). They all log under this class's logger name.
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
    private final ConferenceStore chatStore;
    private final Dispatch dispatch;
    private final Keys keys;
    private final Acks acks;
    private final ChatLog chat;
    private final HistorySync sync;
    private final Persistence persistence;
    private final MetaMerge meta;
    private final StateChanges changes;
    private final Operations ops;
    private final Streams streams;

    /**
     * @param home the home directory holding the durable store, or null to keep nothing
     */
    public ConferenceEngine(Identity identity, java.nio.file.Path home, Clock clock, Executor callbacks,
                            List<ConferenceListener> listeners, Duration tick, Duration syncInterval) {
        ConferenceStore store = home == null ? ConferenceStore.none() : SqliteStore.open(home, identity.id().value());
        // Received chat rows go through a connection of their own, written by the persistence thread (ChatWriter).
        ConferenceStore chatStore = null;
        try {
            chatStore = home == null ? null : SqliteStore.open(home, identity.id().value());
        } finally {
            if (home != null && chatStore == null) store.close();
        }
        this.s = new EngineState(identity, store, chatStore, true, clock);
        this.chatStore = chatStore;
        int syncEveryTicks = (int) Math.max(1, syncInterval.toMillis() / Math.max(1, tick.toMillis()));
        this.dispatch = new Dispatch(s, callbacks, listeners);
        this.keys = new Keys(s, dispatch);
        this.acks = new Acks(s, dispatch);
        this.chat = new ChatLog(s, dispatch, acks);
        this.sync = new HistorySync(s, chat, acks, syncEveryTicks);
        this.persistence = new Persistence(s, keys, chat);
        this.changes = new StateChanges(s, dispatch, persistence);
        this.meta = new MetaMerge(s, keys, chat, dispatch, changes::afterChange);
        this.ops = new Operations(s, dispatch, keys, chat, sync, persistence, meta, changes);
        this.streams = new Streams(s);
        s.changed = streams::review;
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
                .handle(ChatPosts.TYPE, (from, m) -> {
                    awaitAttached();
                    refuseBanned(from);
                    chat.onPosts(from, m);
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
                .handle(ReceiptFrame.TYPE, (from, m) -> {
                    awaitAttached();
                    refuseBanned(from);
                    chat.receipts.onFrame(from, m);
                })
                .handle(EphemeralFrame.TYPE, (from, m) -> {
                    awaitAttached();
                    refuseBanned(from);
                    chat.typed.onEphemeral(from, m);
                })
                .handle(StreamFrame.TYPE, (from, m) -> {
                    awaitAttached();
                    refuseBanned(from);
                    streams.onFrame(from, m);
                })
                .handle(MetaDigest.TYPE, (from, m) -> {
                    awaitAttached();
                    refuseBanned(from);
                    sync.onMetaDigest(from, m);
                })
                .listener(this);
    }

    private final java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);

    public void attach(Overlay o) {
        s.overlay = o;
        s.events = o.eventExecutor();
        s.events.execute(() -> streams.eventThread = Thread.currentThread());
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

    /** Registers an application event type (before {@link #restore()}, so stored events of it are delivered). */
    public void registerEventType(dev.convene.conference.EventType<?> type) {
        chat.typed.register(type);
    }

    /** Adds a listener of one registered event type. Any thread. */
    public <T> void onEvent(dev.convene.conference.EventType<T> type, java.util.function.Consumer<dev.convene.conference.ConferenceEvent<T>> listener) {
        chat.typed.onEvent(type, listener);
    }

    /** Event counters. Any thread. */
    public dev.convene.conference.EventStats eventStats() {
        return chat.typed.stats();
    }

    /** Publishes a typed event. Engine thread. */
    public <T> dev.convene.conference.PublishedEvent<T> publish(ConferenceId id, dev.convene.conference.EventType<T> type, T value) {
        return ops.publish(id, type, value);
    }

    /** The delivered durable events of one type, in canonical order. Any thread. */
    @SuppressWarnings("unchecked")
    public <T> List<dev.convene.conference.ConferenceEvent<T>> events(ConferenceId id, dev.convene.conference.EventType<T> type) {
        Conference c = s.readable.get(id);
        if (c == null) throw new ConferenceNotFoundException(id);
        var perType = c.events.get(type.key());
        if (perType == null) return List.of();
        List<dev.convene.conference.ConferenceEvent<T>> out = new java.util.ArrayList<>();
        for (var e : perType.values()) {
            if (e.type() == type && !s.banned.contains(e.author())) out.add((dev.convene.conference.ConferenceEvent<T>) e);
        }
        return out;
    }

    public List<ChatEntry> history(ConferenceId id) {
        Conference c = s.readable.get(id);
        if (c == null) throw new ConferenceNotFoundException(id);
        if (s.banned.isEmpty()) return List.copyOf(c.history.values());
        return c.history.values().stream().filter(e -> !s.banned.contains(e.author())).toList();
    }

    // ---- operations (engine thread; see Operations) --------------------------------------------------------

    public ConferenceView create(NewConference spec) {
        return ops.create(spec);
    }

    public ConferenceView invite(ConferenceId id, Collection<PeerId> peers) {
        return ops.invite(id, peers);
    }

    public ConferenceView answer(ConferenceId id, Answer answer, String reason) {
        return ops.answer(id, answer, reason);
    }

    /**
     * Removes a peer (organiser or co-organiser): it stops being a member, and the content key is rotated and granted
     * to every remaining member, so the removed peer reads nothing sent afterwards.
     */
    public ConferenceView remove(ConferenceId id, PeerId peer) {
        return ops.remove(id, peer);
    }

    /** Changes the schedule (organiser or co-organiser); see {@link Operations#reschedule}. */
    public ConferenceView reschedule(ConferenceId id, java.time.Instant start, java.time.Duration duration) {
        return ops.reschedule(id, start, duration);
    }

    public ConferenceView end(ConferenceId id) {
        return ops.end(id);
    }

    /**
     * Grants ({@code organiser} true) or revokes the organiser role of a member (the organiser only): a
     * co-organiser may invite and end the conference, also while the organiser is away for good.
     */
    public ConferenceView setRole(ConferenceId id, PeerId peer, boolean organiser) {
        return ops.setRole(id, peer, organiser);
    }

    public Post say(ConferenceId id, String text) {
        return ops.say(id, text);
    }

    /**
     * The future of the post made last on this thread ({@link #say}, {@link #reply}, a durable {@link #publish}):
     * completed once it is signed, stored and sent (with the others of its batch). Engine thread, right after the post.
     */
    public CompletableFuture<Void> lastPostSent() {
        return chat.signer.lastSent();
    }

    /** Posts a reply: chat with a reference to the message it answers (PROTOCOL.md §2, Built-in types). */
    public Post reply(ConferenceId id, dev.convene.conference.MessageId to, String text) {
        return ops.reply(id, to, text);
    }

    /** Posts a chat message (a reply if {@code to} is not null) that mentions participants (Mentions). Engine thread. */
    public Post say(ConferenceId id, String text, dev.convene.conference.MessageId to, Collection<PeerId> mentions) {
        return Mentions.say(ops, chat, s, ops.require(id), text, to, mentions);
    }

    /** Edits an own chat message (Edits). Engine thread. */
    public Post edit(ConferenceId id, dev.convene.conference.MessageId to, String text) {
        return chat.edits.edit(ops, ops.require(id), to, text);
    }

    /** Deletes an own chat message (Edits). Engine thread. */
    public Post delete(ConferenceId id, dev.convene.conference.MessageId to) {
        return chat.edits.delete(ops, ops.require(id), to);
    }

    /** Edit and delete counters. Any thread. */
    public dev.convene.conference.EditStats editStats() {
        Edits e = chat.edits;
        return new dev.convene.conference.EditStats(e.edits.sum(), e.deletes.sum(), e.refused.sum(), e.ignored.sum());
    }

    // ---- presence and time (engine thread) ----------------------------------------------------------------

    @Override
    public void peerJoined(PeerAdvertisement peer) {
        awaitAttached();
        s.writer.savePeer(peer);
        for (Conference c : List.copyOf(s.conferences.values())) {
            s.isolated(c, "join", () -> {
                if (c.removals.containsKey(peer.id())) s.sendMeta(c, List.of(peer.id())); // tell a removed peer it was removed
                if (!c.isMember(peer.id())) return;
                s.sendMeta(c, List.of(peer.id())); // store and forward: invitations, replies, end
                if (c.participants().contains(peer.id()) && c.participants().contains(s.self)) {
                    sync.ask(c, peer.id(), c.chatDigest());
                    chat.passProofs(c, peer.id());
                    if (!c.state.isOver()) dispatch.fire(l -> l.participantJoined(c.view(s.self), peer.id(), "online"));
                }
            });
        }
    }

    @Override
    public void peerLeft(PeerAdvertisement peer) {
        awaitAttached();
        streams.peerLeft(peer.id());
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
                changes.refreshState(c);
                if (before != c.state) {
                    s.publish(c);
                    streams.review(c);
                }
            });
        }
        streams.tick();
        chat.receipts.flushOwed(); // a receipt follows every acknowledgement that went without one
        if (sync.tick()) sync.antiEntropy();
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

    /**
     * Messages shown before their author signature was checked whose check has not come back yet (SECURITY.md 2.2):
     * a clean close waits for them, so what was shown and verifies is stored. Engine thread.
     *
     * @return how many such messages all conferences hold
     */
    public int shownUnchecked() {
        int n = 0;
        for (Conference c : s.conferences.values()) {
            for (var byAuthor : c.unchecked.values()) {
                for (Unchecked u : byAuthor.values()) {
                    var held = c.chat.get(u.message().author());
                    if (held == null || held.get(u.message().sequence()) != u.message()) n++; // held: queued for the store
                }
            }
        }
        return n;
    }

    /** The overlay's discovery cache, kept in this peer's store (see {@link Persistence#addressCache()}). */
    public dev.convene.overlay.AddressCache addressCache() {
        return persistence.addressCache();
    }

    /** Bans a peer: nothing it sends is accepted, nothing it wrote is shown by this peer. Kept across restarts. */
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

    // ---- streams (see Streams) ------------------------------------------------------------------------------

    /** Opens a stream to a participant (engine thread); the future completes when the other side accepts. */
    public CompletableFuture<dev.convene.conference.ConferenceStream> openStream(ConferenceId id, PeerId peer, String protocol) {
        return streams.open(id, peer, protocol);
    }

    /** Registers (or, with null, removes) the handler of incoming streams of a protocol. Any thread. */
    public void onStream(String protocol, java.util.function.Consumer<dev.convene.conference.ConferenceStream> handler) {
        streams.onStream(protocol, handler);
    }

    /** Breaks every stream (the peer is closing). */
    public void closeStreams() {
        streams.closeAll();
    }

    /** Stream counters. Any thread. */
    public dev.convene.conference.StreamStats streamStats() {
        return streams.stats();
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

    /**
     * Keeps a peer known from a contact card across restarts, as a peer seen online is kept: written by the persistence
     * thread; the future completes on the engine thread once it is committed (failed if it could not be). Engine thread.
     */
    public java.util.concurrent.CompletableFuture<Void> rememberPeer(PeerAdvertisement ad) {
        return s.writer.keepPeer(ad);
    }

    /** Rows the store found corrupt and skipped. */
    public long corruptRows() {
        return s.store.corruptRows();
    }

    /** Writes the chat rows still queued, then closes the store. */
    public void closeStore() {
        s.verifier.close();
        s.writer.close();
        if (chatStore != null) chatStore.close();
        s.store.close();
    }

    /** Closes the store as a killed process would: chat rows not yet committed are lost (none was acknowledged). */
    public void crashStore() {
        s.verifier.close();
        s.writer.crash();
        if (chatStore != null) chatStore.close();
        s.store.close();
    }

    /** The store the engine thread uses (metadata at changes, restore) and the persistence thread's, for tests in this package. */
    ConferenceStore[] storesForTest() {
        return new ConferenceStore[] {s.store, chatStore};
    }

    /** The chat row writer, for tests in this package. */
    ChatWriter writerForTest() {
        return s.writer;
    }

    /** Meta digests received that matched this peer's records and that did not, for tests in this package (engine thread). */
    CompletableFuture<long[]> metaDigestOutcomesForTest() {
        return call(sync::metaDigestOutcomes);
    }

    /** Runs {@code f} on a conference's state on the engine thread, for tests in this package. */
    <T> CompletableFuture<T> onConferenceForTest(dev.convene.conference.ConferenceId id, java.util.function.Function<Conference, T> f) {
        return call(() -> f.apply(s.conferences.get(id)));
    }
}
