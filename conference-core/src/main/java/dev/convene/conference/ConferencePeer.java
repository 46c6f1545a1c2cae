package dev.convene.conference;

import dev.convene.conference.internal.ConferenceEngine;
import dev.convene.conference.internal.FileSharing;
import dev.convene.conference.internal.HomeLock;
import dev.convene.overlay.Directory;
import dev.convene.overlay.Identity;
import dev.convene.overlay.Overlay;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.OverlayListener;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A peer that takes part in conferences: the facade of Convene for applications.
 *
 * <pre>{@code
 * ConferencePeer alice = ConferencePeer.builder(OverlayConfig.builder("alice").home(home).build(),
 *         Identity.loadOrCreate(home)).start();
 * ConferenceView c = alice.create(NewConference.titled("Design review").invite(bobId)).join();
 * alice.say(c.id(), "hello").join().acknowledged().join();
 * }</pre>
 *
 * <p>Lifecycle: {@link Builder#start()} locks the home directory (one running peer per home, see
 * {@link HomeLockedException}) and joins the overlay; {@link #close()} leaves it and releases the home.
 * Operations that change state or wait on other peers return a {@link CompletableFuture}; a refused
 * operation completes it exceptionally with a subclass of {@link ConferenceException} that carries the
 * data (see there). Queries ({@link #conferences()}, {@link #history}) return snapshots at once. After
 * {@link #close()} or {@link #crash()} every operation's future is already failed with a
 * {@link PeerClosedException}, every query throws one, and futures still pending at close fail with it.
 *
 * <p>Threading: thread-safe. State changes run on the overlay's event thread; conference listeners run on
 * a separate callback thread, in order (see {@link ConferenceListener}), so a conference callback may call
 * this peer and wait on the returned future. Called <em>on</em> the event thread (from an
 * {@link OverlayListener}), an operation runs at once and returns a completed future; a blocking wait there
 * on a future that only the event thread can complete ({@link Post#acknowledged()}, {@link #awaitOnline})
 * throws {@link EventThreadException} instead of deadlocking.
 */
public final class ConferencePeer implements AutoCloseable {
    /** How long {@link #close()} waits for outstanding acknowledgements. */
    public static final Duration LEAVE_GRACE = Duration.ofSeconds(5);
    private final Overlay overlay;
    private final ConferenceEngine engine;
    private final ExecutorService callbacks;
    private final ScheduledExecutorService timer;
    private final List<ConferenceListener> listeners;
    private final HomeLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Futures handed out and not complete yet: failed with {@link PeerClosedException} on close. */
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private final Presence presence;
    private final TypingState typing;
    private final FileSharing files;
    private volatile Thread callbackThread;

    private ConferencePeer(Overlay overlay, ConferenceEngine engine, ExecutorService callbacks, ScheduledExecutorService timer,
                           List<ConferenceListener> listeners, HomeLock lock, Presence presence, TypingState typing,
                           FileSharing fileSharing) {
        this.overlay = overlay;
        this.typing = typing;
        this.engine = engine;
        this.callbacks = callbacks;
        this.timer = timer;
        this.listeners = listeners;
        this.lock = lock;
        this.presence = presence;
        this.files = fileSharing;
        fileSharing.attach(this);
        callbacks.execute(() -> callbackThread = Thread.currentThread());
    }

    /**
     * Starts building a peer.
     *
     * @param config the overlay configuration (name, home, network)
     * @param identity this peer's keys
     * @return a builder
     */
    public static Builder builder(OverlayConfig config, Identity identity) {
        return new Builder(config, identity);
    }

    /**
     * The overlay underneath (directory, stats).
     *
     * @return the overlay
     */
    public Overlay overlay() {
        return overlay;
    }

    /**
     * This peer's id.
     *
     * @return the id
     */
    public PeerId self() {
        return overlay.self();
    }

    /**
     * This peer's display name.
     *
     * @return the name
     */
    public String name() {
        return overlay.config().name();
    }

    /**
     * Whether {@link #close()} or {@link #crash()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * The peers known on the overlay.
     *
     * @return the directory
     * @throws PeerClosedException after close
     */
    public Directory directory() {
        requireOpen();
        return overlay.directory();
    }

    /**
     * This peer's contact card, to hand out of band to a colleague who has never been online at the same time
     * (see {@link dev.convene.overlay.ContactCard}).
     *
     * @return the card's text
     * @throws PeerClosedException after close
     */
    public String contactCard() {
        requireOpen();
        return overlay.contactCard();
    }

    /**
     * Makes the peer of a contact card known, offline, so that it can be invited at once; its invitations wait
     * until it comes online. Kept in the home's store across restarts: the future completes once it is stored.
     *
     * @param card the card's text
     * @return a future of the verified advertisement the card carries, completed once it is in the store (failed
     *     with {@link StoreException} if it could not be written)
     * @throws IllegalArgumentException if the card is malformed, its signature does not verify, or it is this
     *     peer's own
     */
    public CompletableFuture<PeerAdvertisement> addContact(String card) {
        requireOpen();
        PeerAdvertisement ad = overlay.addContact(card);
        // Completes once the contact is in the store (written by the persistence thread), so it survives a restart.
        return guard(run(() -> engine.rememberPeer(ad)).thenCompose(kept -> kept).thenApply(v -> ad));
    }

    /**
     * Completes when {@code peer} is online (at once if it is now). Fails with a {@link TimeoutException}
     * after {@code timeout}, and with {@link PeerClosedException} if this peer closes first. No polling:
     * it is completed by the overlay's presence event.
     *
     * @param peer the peer to wait for
     * @param timeout the longest wait
     * @return a future of the peer's advertisement
     */
    public CompletableFuture<PeerAdvertisement> awaitOnline(PeerId peer, Duration timeout) {
        return await(ads -> ads.stream().filter(a -> a.id().equals(peer)).findFirst(), timeout);
    }

    /**
     * Completes when at least {@code count} other peers are online (at once if they are now). Fails with a
     * {@link TimeoutException} after {@code timeout}, and with {@link PeerClosedException} if this peer
     * closes first.
     *
     * @param count how many other peers, at least 1
     * @param timeout the longest wait
     * @return a future of the online peers when the count was reached
     */
    public CompletableFuture<List<PeerAdvertisement>> awaitPeers(int count, Duration timeout) {
        if (count < 1) throw new IllegalArgumentException("count: " + count + " (expected: >= 1)");
        return await(ads -> ads.size() >= count ? Optional.of(ads) : Optional.empty(), timeout);
    }

    private <T> CompletableFuture<T> await(java.util.function.Function<List<PeerAdvertisement>, Optional<T>> condition, Duration timeout) {
        if (closed.get()) return CompletableFuture.failedFuture(new PeerClosedException(self()));
        Optional<T> already = condition.apply(overlay.directory().online()); // the directory is thread-safe
        if (already.isPresent()) {
            GuardedFuture<T> done = new GuardedFuture<>(presence);
            done.complete(already.get());
            return done;
        }
        CompletableFuture<T> f = guard(new CompletableFuture<>());
        Presence.Waiter<T> w = new Presence.Waiter<>(condition, f);
        if (presence.onEventThread()) {
            presence.register(w);
        } else {
            try {
                overlay.eventExecutor().execute(() -> presence.register(w));
            } catch (RejectedExecutionException e) {
                f.completeExceptionally(new PeerClosedException(self()));
                return f;
            }
        }
        if (!f.isDone()) {
            try {
                java.util.concurrent.ScheduledFuture<?> t = timer.schedule(
                        () -> f.completeExceptionally(new TimeoutException("not within " + timeout)), timeout.toMillis(), TimeUnit.MILLISECONDS);
                f.whenComplete((v, e) -> t.cancel(false));
            } catch (RejectedExecutionException e) {
                f.completeExceptionally(new PeerClosedException(self())); // closed meanwhile
            }
        }
        return f;
    }

    /**
     * Creates a conference and sends the invitations (kept for offline invitees until they come online).
     *
     * @param spec what to create
     * @return a future of the new conference; refused with {@link InvalidInputException}, {@link MemberException}
     *     (an invitee never seen) or {@link NotAllowedException}
     */
    public CompletableFuture<ConferenceView> create(NewConference spec) {
        return run(() -> engine.create(spec));
    }

    /**
     * Invites more peers (the organiser; participants too if the context allows it) while scheduled or live.
     *
     * @param conference the conference
     * @param peers the peers to invite, known to this peer
     * @return a future of the conference afterwards
     */
    public CompletableFuture<ConferenceView> invite(ConferenceId conference, Collection<PeerId> peers) {
        List<PeerId> copy = List.copyOf(peers);
        return run(() -> engine.invite(conference, copy));
    }

    /**
     * Accepts an invitation: this peer becomes a participant and fetches the history so far.
     *
     * @param conference the conference
     * @return a future of the conference afterwards
     */
    public CompletableFuture<ConferenceView> accept(ConferenceId conference) {
        return run(() -> engine.answer(conference, Answer.ACCEPT, ""));
    }

    /**
     * Declines an invitation, with an optional reason.
     *
     * @param conference the conference
     * @param reason why, may be empty (at most 200 characters)
     * @return a future of the conference afterwards
     */
    public CompletableFuture<ConferenceView> decline(ConferenceId conference, String reason) {
        return run(() -> engine.answer(conference, Answer.DECLINE, reason));
    }

    /**
     * Leaves a conference this peer takes part in; accepting again rejoins it.
     *
     * @param conference the conference
     * @return a future of the conference afterwards
     */
    public CompletableFuture<ConferenceView> leave(ConferenceId conference) {
        return run(() -> engine.answer(conference, Answer.LEAVE, "left"));
    }

    /**
     * Removes a member (organiser or co-organiser; docs/PROTOCOL.md says how concurrent removals resolve). The
     * content key is rotated and granted to every remaining member, so the removed peer reads nothing sent
     * afterwards.
     *
     * @param conference the conference
     * @param peer the member to remove
     * @return a future of the conference afterwards
     */
    public CompletableFuture<ConferenceView> remove(ConferenceId conference, PeerId peer) {
        return run(() -> engine.remove(conference, peer));
    }

    /**
     * Bans a peer locally: nothing it sends is accepted and nothing it wrote is shown by this peer, in any conference.
     * What this peer stored of it before the ban stays stored and is still passed on to participants catching up
     * (the others' histories do not depend on this peer's ban).
     * Kept across restarts.
     *
     * @param peer the peer to ban
     * @return a future of true if it was not banned before
     */
    public CompletableFuture<Boolean> ban(PeerId peer) {
        return run(() -> engine.ban(peer));
    }

    /**
     * Lifts a ban.
     *
     * @param peer the banned peer
     * @return a future of true if the peer was banned
     */
    public CompletableFuture<Boolean> unban(PeerId peer) {
        return run(() -> engine.unban(peer));
    }

    /**
     * The banned peers.
     *
     * @return the banned peers
     */
    public java.util.Set<PeerId> bans() {
        requireOpen();
        return engine.bans();
    }

    /**
     * Grants a member the organiser role (the organiser only): a co-organiser may invite, remove, reschedule and end the conference,
     * also while the organiser is away for good. Signed, spread like every membership record.
     *
     * @param conference the conference
     * @param peer the member
     * @return a future of the conference afterwards
     */
    public CompletableFuture<ConferenceView> grantOrganiser(ConferenceId conference, PeerId peer) {
        return run(() -> engine.setRole(conference, peer, true));
    }

    /**
     * Revokes a co-organiser's role (the organiser only); what it did while it held the role stays valid.
     *
     * @param conference the conference
     * @param peer the co-organiser
     * @return a future of the conference afterwards
     */
    public CompletableFuture<ConferenceView> revokeOrganiser(ConferenceId conference, PeerId peer) {
        return run(() -> engine.setRole(conference, peer, false));
    }

    /**
     * Changes a conference's schedule (organiser or co-organiser, also while the original organiser is away for good):
     * a signed schedule change spread like every membership record. The invitation's signed context is not rewritten:
     * every view shows the context with the schedule in effect, and the conference starts and ends by it. Concurrent
     * changes resolve the same way at every peer: the highest (revision, instant, signer's key) among the valid ones
     * wins (docs/PROTOCOL.md). Listeners hear {@link ConferenceListener#rescheduled}.
     *
     * @param conference the conference
     * @param start the new start, or null to keep the one in effect; bounded as in {@link ConferenceContext}, and for a
     *     scheduled conference not in the past (as at creation); a live conference cannot start later than now
     * @param duration the new duration, or null to keep the one in effect; at most {@link ConferenceContext#MAX_DURATION},
     *     {@link ConferenceContext#STANDING} for a standing room
     * @return a future of the conference afterwards; it fails with {@link NotAllowedException}
     *     ({@link NotAllowedException.Rule#ORGANISERS_ONLY}) if this peer is not an organiser,
     *     {@link ConferenceStateException} if the conference is over, {@link InvalidInputException}
     *     ({@link InvalidInputException#SCHEDULE}) if both are null, a value is out of bounds or the conference had
     *     too many changes, {@link ConferenceNotFoundException} if this peer does not know it
     */
    public CompletableFuture<ConferenceView> reschedule(ConferenceId conference, java.time.Instant start, Duration duration) {
        return run(() -> engine.reschedule(conference, start, duration));
    }

    /**
     * Ends a conference (organiser or co-organiser); before its start this cancels it.
     *
     * @param conference the conference
     * @return a future of the conference afterwards
     */
    public CompletableFuture<ConferenceView> end(ConferenceId conference) {
        return run(() -> engine.end(conference));
    }

    /**
     * Posts a chat message to a live conference. The future completes once it is stored locally and sent;
     * {@link Post#acknowledged()} completes when another participant confirmed storing it,
     * {@link Post#storedByAll()} when every other current participant did.
     *
     * @param conference a live conference this peer takes part in
     * @param text the message, 1 to 16384 bytes in UTF-8, not blank
     * @return a future of the post
     */
    public CompletableFuture<Post> say(ConferenceId conference, String text) {
        // Completed once its batch is signed, stored and sent (engine.lastPostSent): at once when idle.
        return guard(run(() -> {
            Post p = engine.say(conference, text);
            Post out = new Post(p.entry(), guard(p.acknowledged()), guard(p.storedByAll()));
            return engine.lastPostSent().thenApply(v -> out);
        }).thenCompose(f -> f));
    }

    /**
     * Publishes a typed event (docs/EVENTS.md). A {@link Delivery#DURABLE} event travels as a chat message does
     * (signed, stored, in the canonical order, caught up by late joiners) but is not chat: it never shows in
     * {@link #history}, and reaches the listeners of its type ({@link #onEvent}) and {@link #events}. An
     * {@link Delivery#EPHEMERAL} event goes to the participants online now only. Listeners of this peer hear
     * its own events too.
     *
     * @param conference a live conference this peer takes part in
     * @param type a type registered on the builder ({@link Builder#eventType})
     * @param value the value, encoded by the type's codec
     * @param <T> the value type
     * @return a future of the published event, completed once it is stored locally (durable) and sent; failed
     *     with an {@link EventLimitException} (type not registered, value too large, rate exceeded), or as
     *     {@link #say} fails (conference not live, not a participant, no key)
     */
    public <T> CompletableFuture<PublishedEvent<T>> publish(ConferenceId conference, EventType<T> type, T value) {
        return guard(run(() -> {
            PublishedEvent<T> p = engine.publish(conference, type, value);
            PublishedEvent<T> out = new PublishedEvent<>(p.event(), guard(p.acknowledged()), guard(p.storedByAll()));
            if (type.delivery() != Delivery.DURABLE) return CompletableFuture.completedFuture(out);
            return engine.lastPostSent().thenApply(v -> out);
        }).thenCompose(f -> f));
    }

    /**
     * Adds a listener of one event type: it hears each event of that type delivered here (durable ones once, in
     * each author's order; those restored from the store at start are not told again), on the callback thread
     * that runs the {@link ConferenceListener}s.
     *
     * @param type a type registered on the builder
     * @param listener the listener
     * @param <T> the value type
     * @throws IllegalArgumentException if the type is not registered
     */
    public <T> void onEvent(EventType<T> type, java.util.function.Consumer<ConferenceEvent<T>> listener) {
        requireOpen();
        engine.onEvent(type, java.util.Objects.requireNonNull(listener, "listener"));
    }

    /**
     * The durable events of one type delivered in a conference, in canonical order (that of chat). Any thread.
     *
     * @param conference the conference
     * @param type a registered durable type
     * @param <T> the value type
     * @return the events, without those of banned peers
     * @throws ConferenceNotFoundException if this peer cannot read the conference
     */
    public <T> List<ConferenceEvent<T>> events(ConferenceId conference, EventType<T> type) {
        requireOpen();
        return engine.events(conference, type);
    }

    /**
     * Typed-event counters since start: delivered and refused. Any thread.
     *
     * @return the counters, a snapshot
     */
    public EventStats eventStats() {
        return engine.eventStats();
    }

    /**
     * Posts a reply: a chat message that answers another ({@link ChatEntry#replyTo()}), shown in {@link #history}
     * and to the listeners like any message. The message answered may be unknown here; its id is sent as given.
     *
     * @param conference a live conference this peer takes part in
     * @param to the message answered
     * @param text the reply, 1 to 16088 bytes in UTF-8 (the chat limit less the reference), not blank
     * @return a future of the post, as {@link #say}'s
     */
    public CompletableFuture<Post> reply(ConferenceId conference, MessageId to, String text) {
        return guard(run(() -> {
            Post p = engine.reply(conference, to, text);
            Post out = new Post(p.entry(), guard(p.acknowledged()), guard(p.storedByAll()));
            return engine.lastPostSent().thenApply(v -> out);
        }).thenCompose(f -> f));
    }

    /**
     * Posts a chat message that mentions participants: as {@link #say}, and every participant's
     * {@link ChatEntry#mentions()} lists them; a mentioned peer's listeners hear {@link ConferenceListener#mentioned}.
     * Names are not unique (and look-alike names exist), so a mention is by peer id, resolved by the caller when
     * it sends (the CLI resolves {@code @name} among the participants, refusing a name several share); receivers
     * never resolve names themselves. The ids are not checked against the participants: a mention of anyone else
     * is carried and shown, and reaches nobody.
     *
     * @param conference a live conference this peer takes part in
     * @param text the message, 1 to 16384 bytes of UTF-8 with the mentions (20 bytes and 32 per peer), not blank
     * @param mentions the peers mentioned, at most 16 (repeats count once); none is a plain {@link #say}
     * @return a future of the post, as {@link #say}'s; failed with an {@link InvalidInputException} (field
     *     {@code mentions}) for more than 16
     */
    public CompletableFuture<Post> say(ConferenceId conference, String text, java.util.Collection<PeerId> mentions) {
        java.util.List<PeerId> who = java.util.List.copyOf(mentions);
        return run(() -> {
            Post p = engine.say(conference, text, null, who);
            return new Post(p.entry(), guard(p.acknowledged()), guard(p.storedByAll()));
        });
    }

    /**
     * Posts a reply that mentions participants: as {@link #reply}, with mentions as
     * {@link #say(ConferenceId, String, java.util.Collection)} has them.
     *
     * @param conference a live conference this peer takes part in
     * @param to the message answered
     * @param text the reply, as {@link #reply}'s
     * @param mentions the peers mentioned, at most 16
     * @return a future of the post, as {@link #say}'s
     */
    public CompletableFuture<Post> reply(ConferenceId conference, MessageId to, String text, java.util.Collection<PeerId> mentions) {
        java.util.Objects.requireNonNull(to, "to");
        java.util.List<PeerId> who = java.util.List.copyOf(mentions);
        return run(() -> {
            Post p = engine.say(conference, text, to, who);
            return new Post(p.entry(), guard(p.acknowledged()), guard(p.storedByAll()));
        });
    }

    /**
     * Edits an own chat message: a durable {@code convene.edit} event in this peer's sequence, applied by every
     * participant (docs/EVENTS.md, Edits and deletes). {@link #history} then shows the latest text, marked
     * {@link ChatEntry#edited()}, and listeners hear {@link ConferenceListener#edited}. Of two edits, the later in
     * history order (this peer's order) wins everywhere. Only while the conference is live, as {@link #say}.
     *
     * @param conference a live conference this peer takes part in
     * @param message an own chat message (or reply) shown here, not deleted
     * @param text the new text, 1 to 16088 bytes in UTF-8, not blank
     * @return a future of the post, its entry the message as edited; its acknowledgements those of the edit; failed
     *     with a {@link NotAllowedException} ({@code AUTHOR_ONLY}: another peer's message; {@code MESSAGE_NOT_EDITABLE}:
     *     not an own chat message shown here, deleted, or edited {@code 64} times already), an
     *     {@link InvalidInputException} (text), or as {@link #say} fails
     */
    public CompletableFuture<Post> edit(ConferenceId conference, MessageId message, String text) {
        return run(() -> {
            Post p = engine.edit(conference, message, text);
            return new Post(p.entry(), guard(p.acknowledged()), guard(p.storedByAll()));
        });
    }

    /**
     * Deletes an own chat message: a durable {@code convene.delete} event in this peer's sequence. Every participant
     * that applies it shows a tombstone in the message's place ({@link ChatEntry#deleted()}, no text), erases the
     * message and its edits from its store and never sends them again; a peer catching up later gets the tombstone,
     * not the text (docs/EVENTS.md, Edits and deletes, with the limits: a copy kept outside Convene is not bound).
     * Listeners hear {@link ConferenceListener#deleted}. Only while the conference is live, as {@link #say}.
     *
     * @param conference a live conference this peer takes part in
     * @param message an own chat message (or reply) shown here, not deleted, among this peer's last {@code 256}
     *                messages in the conference
     * @return a future of the post, its entry the tombstone; failed as {@link #edit} fails
     */
    public CompletableFuture<Post> delete(ConferenceId conference, MessageId message) {
        return run(() -> {
            Post p = engine.delete(conference, message);
            return new Post(p.entry(), guard(p.acknowledged()), guard(p.storedByAll()));
        });
    }

    /**
     * Edit and delete counters since start. Any thread.
     *
     * @return the counters, a snapshot
     */
    public EditStats editStats() {
        return engine.editStats();
    }

    /**
     * Reacts to a message with an emoji: a durable {@link BuiltInEvents#REACTION} event (listen with
     * {@link #onEvent}). Reacting again with the same emoji changes nothing; {@link #unreact} withdraws it.
     *
     * @param conference a live conference this peer takes part in
     * @param to the message reacted to (it may be unknown here)
     * @param emoji a short emoji, as {@link Reaction#emoji()} describes
     * @return a future of the published event, as {@link #publish}'s; failed with an {@link InvalidInputException}
     *     (field {@link InvalidInputException#EMOJI}) if the emoji is not accepted
     */
    public CompletableFuture<PublishedEvent<Reaction>> react(ConferenceId conference, MessageId to, String emoji) {
        return reaction(conference, to, emoji, true);
    }

    /**
     * Withdraws this peer's reaction with an emoji to a message (a {@link BuiltInEvents#REACTION} event whose
     * {@link Reaction#added()} is false).
     *
     * @param conference a live conference this peer takes part in
     * @param to the message reacted to
     * @param emoji the emoji to withdraw
     * @return a future of the published event, as {@link #react}'s
     */
    public CompletableFuture<PublishedEvent<Reaction>> unreact(ConferenceId conference, MessageId to, String emoji) {
        return reaction(conference, to, emoji, false);
    }

    private CompletableFuture<PublishedEvent<Reaction>> reaction(ConferenceId conference, MessageId to, String emoji, boolean added) {
        Reaction r;
        try {
            r = new Reaction(to, emoji, added);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return publish(conference, BuiltInEvents.REACTION, r);
    }

    /**
     * The reactions to a message now: for each emoji (in the canonical order of its first reaction), the peers
     * whose latest reaction event with it, in canonical order, adds it. Computed from {@link #events} of
     * {@link BuiltInEvents#REACTION}, so every participant that holds the same events sees the same. Any thread.
     *
     * @param conference the conference
     * @param message the message
     * @return emoji to reacting peers (both in a stable order), empty if none
     * @throws ConferenceNotFoundException if this peer cannot read the conference
     */
    public java.util.Map<String, java.util.SortedSet<PeerId>> reactions(ConferenceId conference, MessageId message) {
        java.util.Objects.requireNonNull(message, "message");
        java.util.Map<String, java.util.SortedSet<PeerId>> out = new java.util.LinkedHashMap<>();
        for (ConferenceEvent<Reaction> e : events(conference, BuiltInEvents.REACTION)) {
            Reaction r = e.value();
            if (!r.to().equals(message)) continue;
            if (r.added()) {
                out.computeIfAbsent(r.emoji(), k -> new java.util.TreeSet<>()).add(e.author());
            } else {
                java.util.SortedSet<PeerId> peers = out.get(r.emoji());
                if (peers != null) peers.remove(e.author());
            }
        }
        out.values().removeIf(java.util.Set::isEmpty);
        return out;
    }

    /**
     * Tells the participants online now that this peer is typing: an ephemeral {@link BuiltInEvents#TYPING} event,
     * sent at most once per {@link BuiltInEvents#TYPING_REPEAT} and conference (by the peer's clock); call it on
     * each key stroke. Never stored.
     *
     * @param conference a live conference this peer takes part in
     * @return a future of true if a signal was sent, false if one was sent less than the repeat interval ago (or
     *     less than a second ago by the system's time, the type's rate); failed as {@link #publish} fails otherwise
     */
    public CompletableFuture<Boolean> typing(ConferenceId conference) {
        java.util.Objects.requireNonNull(conference, "conference");
        if (!typing.maySend(conference)) return CompletableFuture.completedFuture(false);
        CompletableFuture<PublishedEvent<Boolean>> p = publish(conference, BuiltInEvents.TYPING, Boolean.TRUE);
        return p.handle((v, e) -> {
            if (e == null) return true;
            typing.unsent(conference);
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof EventLimitException l && l.limit() == EventLimitException.Limit.RATE) return false;
            throw e instanceof java.util.concurrent.CompletionException ce ? ce : new java.util.concurrent.CompletionException(e);
        });
    }

    /**
     * The other participants typing in a conference now: those whose last {@link BuiltInEvents#TYPING} signal
     * arrived less than {@link BuiltInEvents#TYPING_EXPIRY} ago by the peer's clock and who have not posted a
     * message since. Listen to the signals with {@link #onEvent}. Any thread.
     *
     * @param conference the conference
     * @return the peers, sorted; empty if none
     */
    public java.util.SortedSet<PeerId> typingNow(ConferenceId conference) {
        return new java.util.TreeSet<>(typing.typingNow(java.util.Objects.requireNonNull(conference, "conference")));
    }

    /**
     * Opens an encrypted byte stream to another participant of a conference (see {@link ConferenceStream}).
     *
     * @param conference the conference both take part in
     * @param peer the other participant, online
     * @param protocol the protocol the other side registered with {@link #onStream}: 1-64 of a-z 0-9 . _ / -
     * @return the stream once the other side accepted it; failed with a {@link StreamException} (not a
     *     participant at either side, peer offline, no handler, too many streams, no answer in 10 s) or a
     *     {@link ConferenceNotFoundException}
     */
    public CompletableFuture<ConferenceStream> openStream(ConferenceId conference, PeerId peer, String protocol) {
        return run(() -> engine.openStream(conference, peer, protocol)).thenCompose(this::guard);
    }

    /**
     * Registers the handler of incoming streams of a protocol, replacing any earlier one; null removes it. A
     * stream is accepted only if the opener and this peer are participants; the handler runs on a thread of
     * its own per stream and may block on reads and writes.
     *
     * @param protocol the protocol name: 1-64 of a-z 0-9 . _ / -
     * @param handler the handler, or null
     * @throws IllegalArgumentException if the protocol name is not valid
     */
    public void onStream(String protocol, java.util.function.Consumer<ConferenceStream> handler) {
        requireOpen();
        engine.onStream(protocol, handler);
    }

    /**
     * Stream counters since start (opens refused, frames rejected, streams open). Any thread.
     *
     * @return the counters
     */
    public StreamStats streamStats() {
        return engine.streamStats();
    }

    /**
     * How long a fetch waits while no online participant holds any missing chunk before it fails with
     * {@link FileException.Reason#NO_SOURCE} (its verified chunks are kept: a later fetch continues).
     */
    public static final Duration FETCH_STALL = Duration.ofSeconds(30);

    /**
     * Offers a file to a conference (docs/PROTOCOL.md §2 "Files"): hashes it (SHA-256 of each chunk and of the
     * whole) and copies it into this peer's home (so a later change to the original does not change what is
     * served), then publishes the offer as a durable built-in event, so every participant, a late joiner
     * included, sees it ({@link #files}, {@link ConferenceListener#fileOffered}) and may {@link #fetch} it from
     * this peer or any other that holds its chunks. The name offered is the file's name made safe
     * ({@link FileOffer#name()}: unsafe characters become {@code _}). Hashing and copying run on a thread of the
     * peer's file pool, never on the event thread.
     *
     * @param conference a live conference this peer takes part in
     * @param file a readable regular file, at most {@link FileOffer#MAX_SIZE} bytes
     * @return a future of the offer, completed once it is stored locally and sent; failed with a
     *     {@link FileException} ({@link FileException.Reason#NO_HOME}, {@link FileException.Reason#NOT_SHAREABLE},
     *     {@link FileException.Reason#IO}), or as {@link #publish} fails
     */
    public CompletableFuture<FileOffer> share(ConferenceId conference, java.nio.file.Path file) {
        java.util.Objects.requireNonNull(conference, "conference");
        java.util.Objects.requireNonNull(file, "file");
        if (closed.get()) return CompletableFuture.failedFuture(new PeerClosedException(self()));
        return guard(files.share(conference, file));
    }

    /**
     * The files offered in a conference, in the history's canonical order (offers refused for an unsafe name or
     * out of bounds are not listed). Any thread.
     *
     * @param conference the conference
     * @return the offers, without those of banned peers
     * @throws ConferenceNotFoundException if this peer cannot read the conference
     */
    public List<FileOffer> files(ConferenceId conference) {
        requireOpen();
        return files.offers(conference);
    }

    /**
     * Fetches an offered file: its chunks come from every online participant that holds them (the sharer, those
     * that fetched it, those fetching it), several at once, over encrypted streams ({@link ConferenceStream});
     * each chunk is checked against its hash before it is written, and the whole file against the offer's SHA-256
     * at the end. Verified chunks are kept in the home as they arrive: after a restart (or a failure) fetching the
     * same offer again continues where it stopped. Once whole, this peer holds the file and serves it to others;
     * the file is written to {@code dir} under the offer's name (a name already taken there gets {@code " (N)"}),
     * never outside {@code dir}. Fetching an offer that is already being fetched joins that fetch.
     * <p>Cancelling the returned future ({@code cancel}) stops the fetch, for every caller that joined it: its streams
     * close (which tells the sources), the futures of those callers are cancelled, the verified chunks stay in the home
     * so a later fetch resumes, and it is counted in {@link FileStats#fetchesCancelled()}.
     *
     * @param conference a conference this peer takes part in, not over (chunks move on streams, which need it)
     * @param offer the offer's id ({@link FileOffer#id()})
     * @param dir the directory to write the file to, created if needed; null for {@code HOME/downloads/CONFERENCE-ID}
     * @param progress told of the progress on a file thread (must not block), or null
     * @return a future of the verified file; failed with a {@link FileException}: no home, no such offer, no
     *     source for {@link #FETCH_STALL} (or {@link Builder#fetchStall}), a file that does not match its offer, a disk failure, or the peer closed
     */
    public CompletableFuture<FetchedFile> fetch(ConferenceId conference, MessageId offer, java.nio.file.Path dir,
                                                java.util.function.Consumer<FileProgress> progress) {
        java.util.Objects.requireNonNull(conference, "conference");
        java.util.Objects.requireNonNull(offer, "offer");
        if (closed.get()) return CompletableFuture.failedFuture(new PeerClosedException(self()));
        CompletableFuture<FetchedFile> inner = files.fetch(conference, offer, dir, progress);
        CompletableFuture<FetchedFile> out = guard(inner);
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) inner.cancel(false);
        });
        return out;
    }

    /**
     * File sharing counters since start: offers, chunks served and fetched, refusals. Any thread.
     *
     * @return the counters, a snapshot
     */
    public FileStats fileStats() {
        return files.stats();
    }

    /**
     * How much of an offered file this peer holds in its home: the whole size if it shared the file or fetched it
     * whole, the bytes of the verified chunks of a fetch not finished (running now, or stopped and kept for a later
     * fetch to resume), else 0 (and 0 without a home). Reads the home, a few KiB at most; any thread.
     *
     * @param offer an offer, as {@link #files} lists it
     * @return bytes held, 0 to {@code offer.size()}
     */
    public long fileBytesHeld(FileOffer offer) {
        return files.bytesHeld(java.util.Objects.requireNonNull(offer, "offer"));
    }

    /**
     * What the conference layer refused, set aside or rationed since start (docs/SECURITY.md). Any thread.
     *
     * @return the counters, a snapshot
     */
    public ConferenceStats stats() {
        return engine.stats();
    }

    /**
     * Every conference this peer knows, by start time.
     *
     * @return every conference this peer knows, by start time
     */
    public List<ConferenceView> conferences() {
        requireOpen();
        return engine.views();
    }

    /**
     * One conference, if known.
     *
     * @param id the conference's id
     * @return the conference, if known
     */
    public Optional<ConferenceView> conference(ConferenceId id) {
        return conferences().stream().filter(v -> v.id().equals(id)).findFirst();
    }

    /**
     * Conferences this peer is invited to and has not answered, not yet over.
     *
     * @return conferences this peer is invited to and has not answered, not yet over
     */
    public List<ConferenceView> invitations() {
        return conferences().stream().filter(v -> v.myRole() == ConferenceView.Role.INVITED && !v.state().isOver()).toList();
    }

    /**
     * Finds a conference by id, unique id prefix or exact title (case-insensitive).
     *
     * @param reference an id, an id prefix or a title
     * @return the one conference it names
     * @throws ConferenceLookupException if none or several match, with the candidates
     */
    public ConferenceView resolve(String reference) {
        String q = reference.strip();
        List<ConferenceView> all = conferences();
        for (ConferenceView v : all) if (v.id().value().equalsIgnoreCase(q)) return v;
        List<ConferenceView> byTitle = all.stream().filter(v -> v.title().equalsIgnoreCase(q)).toList();
        if (byTitle.size() == 1) return byTitle.get(0);
        List<ConferenceView> matches = byTitle;
        if (byTitle.isEmpty()) {
            String p = q.toLowerCase(Locale.ROOT);
            matches = p.isEmpty() ? List.of() : all.stream().filter(v -> v.id().value().startsWith(p)).toList();
            if (matches.size() == 1) return matches.get(0);
        }
        throw new ConferenceLookupException(q, matches);
    }

    /**
     * One conference as an object with its own say, history, participants and listener.
     *
     * @param conference a conference this peer knows (created, or invited to)
     * @return a handle on it
     * @throws ConferenceNotFoundException if this peer does not know it
     * @throws PeerClosedException after close
     */
    public ConferenceSession session(ConferenceId conference) {
        if (conference(conference).isEmpty()) throw new ConferenceNotFoundException(conference);
        return new ConferenceSession(this, conference);
    }

    /**
     * A page of the history going back: the last {@code limit} entries, in canonical order, that come before the
     * message {@code before} (or the newest {@code limit} entries when {@code before} is null). Pass the first
     * entry's id of a page to get the page before it.
     *
     * @param conference the conference
     * @param before the message the page ends before (excluded), or null
     * @param limit the most entries, at least 1
     * @return up to {@code limit} entries, oldest first
     * @throws InvalidInputException if {@code limit} is below 1 or {@code before} is not a message of the history
     * @throws ConferenceNotFoundException if the conference is unknown
     */
    public List<ChatEntry> historyBefore(ConferenceId conference, MessageId before, int limit) {
        List<ChatEntry> all = history(conference);
        int end = before == null ? all.size() : indexOf(all, before, InvalidInputException.BEFORE);
        return List.copyOf(all.subList(Math.max(0, end - checkLimit(limit)), end));
    }

    /**
     * A page of the history going forward: the first {@code limit} entries, in canonical order, that come after
     * the message {@code after} (or the oldest {@code limit} entries when {@code after} is null). Pass the last
     * entry's id of a page to get the page after it. A message delivered late with an earlier timestamp lands
     * before the cursor, as it does in {@link #history}: re-read a page to see it.
     *
     * @param conference the conference
     * @param after the message the page starts after (excluded), or null
     * @param limit the most entries, at least 1
     * @return up to {@code limit} entries, oldest first
     * @throws InvalidInputException if {@code limit} is below 1 or {@code after} is not a message of the history
     * @throws ConferenceNotFoundException if the conference is unknown
     */
    public List<ChatEntry> historyAfter(ConferenceId conference, MessageId after, int limit) {
        List<ChatEntry> all = history(conference);
        int start = after == null ? 0 : indexOf(all, after, InvalidInputException.AFTER) + 1;
        return List.copyOf(all.subList(start, Math.min(all.size(), start + checkLimit(limit))));
    }

    private static int checkLimit(int limit) {
        if (limit < 1) throw new InvalidInputException(InvalidInputException.LIMIT, Integer.toString(limit), ">= 1");
        return limit;
    }

    private static int indexOf(List<ChatEntry> all, MessageId cursor, String field) {
        for (int i = 0; i < all.size(); i++) if (all.get(i).id().equals(cursor)) return i;
        throw new InvalidInputException(field, "message " + cursor, "a message of this conference's history");
    }

    /**
     * The delivered chat history in canonical order (identical at every participant once synced).
     *
     * @param conference the conference
     * @return the entries, without those of banned peers
     * @throws ConferenceNotFoundException if this peer cannot read the conference
     */
    public List<ChatEntry> history(ConferenceId conference) {
        requireOpen();
        return engine.history(conference);
    }

    /**
     * Adds a conference listener; it hears events from now on (see {@link ConferenceListener} for threading).
     *
     * @param listener the listener
     */
    public void addListener(ConferenceListener listener) {
        listeners.add(listener);
    }

    /**
     * Removes a conference listener.
     *
     * @param listener the listener
     */
    public void removeListener(ConferenceListener listener) {
        listeners.remove(listener);
    }

    /** Stops as a killed process would (no goodbye): for fault tests. Releases the home. */
    public void crash() {
        if (!closed.compareAndSet(false, true)) return;
        timer.shutdownNow();
        files.close();
        overlay.crash();
        callbacks.shutdownNow();
        engine.crashStore();
        releaseHome();
        failPending();
    }

    /**
     * Leaves gracefully: first waits (up to {@link #LEAVE_GRACE}) until every message this peer posted is
     * acknowledged by some participant that is online, so the last message sent is never lost; then
     * leaves the overlay, stops the threads and releases the home. Listeners receive what was already
     * queued. Idempotent: a second call returns at once. From the overlay's event thread (an overlay
     * listener) the shutdown finishes on another thread after this returns; the peer is closed at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        if (presence.onEventThread()) {
            Thread t = new Thread(this::shutDown, "convene-" + name() + "-close");
            t.setDaemon(true);
            t.start();
            return;
        }
        shutDown();
    }

    private void shutDown() {
        long deadline = System.nanoTime() + LEAVE_GRACE.toNanos();
        try {
            // Own posts waiting for an acknowledgement, and messages shown before their author signature was checked
            // (stored once it verifies): both are waited for, within the grace.
            while (System.nanoTime() < deadline
                    && engine.call(() -> engine.unacknowledgedWithSomeoneOnline() + engine.shownUnchecked()).get(1, TimeUnit.SECONDS) > 0) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            // the event thread is gone or stuck: leave anyway
        }
        timer.shutdownNow();
        files.close();
        engine.closeStreams();
        overlay.close();
        engine.closeStore();
        callbacks.shutdown();
        failPending();
        if (Thread.currentThread() != callbackThread) {
            try {
                callbacks.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        releaseHome();
    }

    private void releaseHome() {
        if (lock != null) lock.close();
    }

    private void failPending() {
        for (CompletableFuture<?> f : List.copyOf(pending)) f.completeExceptionally(new PeerClosedException(self()));
        pending.clear();
    }

    private void requireOpen() {
        if (closed.get()) throw new PeerClosedException(self());
    }

    /**
     * Runs {@code op} on the event thread: inline if called there (an overlay listener), else queued. The
     * future is guarded against a blocking wait on the event thread and failed if the peer closes first.
     */
    private <T> CompletableFuture<T> run(Supplier<T> op) {
        if (closed.get()) return CompletableFuture.failedFuture(new PeerClosedException(self()));
        if (presence.onEventThread()) {
            GuardedFuture<T> f = new GuardedFuture<>(presence);
            try {
                f.complete(op.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
            return f;
        }
        try {
            return guard(engine.call(op));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new PeerClosedException(self()));
        }
    }

    /** A guarded copy of {@code f}, failed with {@link PeerClosedException} if it is still pending at close. */
    private <T> CompletableFuture<T> guard(CompletableFuture<T> f) {
        if (f instanceof GuardedFuture<T> already && pending.contains(already)) return already;
        GuardedFuture<T> g = new GuardedFuture<>(presence);
        pending.add(g);
        g.whenComplete((v, e) -> pending.remove(g));
        f.whenComplete((v, e) -> {
            if (e != null) g.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
            else g.complete(v);
        });
        if (closed.get()) g.completeExceptionally(new PeerClosedException(self()));
        return g;
    }

    @Override
    public String toString() {
        return "ConferencePeer[" + name() + " " + self().shortId() + "]";
    }

    /** Configures and starts a {@link ConferencePeer}. Not thread-safe. */
    public static final class Builder {
        private final OverlayConfig config;
        private final Identity identity;
        private final List<ConferenceListener> listeners = new CopyOnWriteArrayList<>();
        private final List<OverlayListener> overlayListeners = new ArrayList<>();
        private Clock clock;
        private Duration tick = Duration.ofMillis(100);
        private Duration syncInterval = Duration.ofSeconds(3);
        private final List<EventType<?>> eventTypes = new ArrayList<>();
        private Duration fetchStall = FETCH_STALL;

        private Builder(OverlayConfig config, Identity identity) {
            this.config = config;
            this.identity = identity;
            this.clock = config.clock();
        }

        /**
         * The clock that decides when conferences start and end (tests inject one).
         *
         * @param clock the clock; by default the overlay configuration's
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * A conference listener, in place before the first event.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(ConferenceListener listener) {
            listeners.add(listener);
            return this;
        }

        /**
         * An overlay presence listener, in place before the first event. It runs on the overlay's event thread:
         * see {@link OverlayListener} and the threading rules of {@link ConferencePeer}.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder overlayListener(OverlayListener listener) {
            overlayListeners.add(listener);
            return this;
        }

        /**
         * How often participants exchange digests to repair anything missed (default 3 s).
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder syncInterval(Duration interval) {
            this.syncInterval = interval;
            return this;
        }

        /**
         * How long a fetch ({@link ConferencePeer#fetch}) waits while no online participant holds a missing chunk
         * before it fails with {@link FileException.Reason#NO_SOURCE}.
         *
         * @param stall the wait, at least 100 ms; by default {@link ConferencePeer#FETCH_STALL}
         * @return this builder
         * @throws IllegalArgumentException if it is shorter than 100 ms
         */
        public Builder fetchStall(Duration stall) {
            if (stall.toMillis() < 100) throw new IllegalArgumentException("fetchStall: " + stall + " (expected: >= 100 ms)");
            this.fetchStall = stall;
            return this;
        }

        /**
         * Registers an application event type (docs/EVENTS.md): this peer publishes and delivers events of it.
         * Durable events of types not registered are stored and relayed, but not delivered.
         *
         * @param type the type; its key ({@link EventType#key()}) registered once
         * @return this builder
         * @throws IllegalArgumentException if another type with the same name and version was registered, or the
         *     name is in the reserved namespace {@code convene.} ({@link BuiltInEvents})
         */
        public Builder eventType(EventType<?> type) {
            java.util.Objects.requireNonNull(type, "type");
            if (BuiltInEvents.reserved(type.name())) {
                throw new IllegalArgumentException("event type " + type.key() + ": the namespace '" + BuiltInEvents.NAMESPACE
                        + ".' is reserved for the built-in types (BuiltInEvents)");
            }
            for (EventType<?> t : eventTypes) {
                if (t.key().equals(type.key())) throw new IllegalArgumentException("event type " + type.key() + " registered twice");
            }
            eventTypes.add(type);
            return this;
        }

        /**
         * Locks the home, opens the store, joins the overlay and starts the clock.
         *
         * @return the running peer
         * @throws HomeLockedException if another running peer holds the home
         * @throws HomeOwnerException if the home's store belongs to another identity
         * @throws StoreException if the store cannot be opened
         * @throws dev.convene.overlay.OverlayException if the network stack cannot start
         */
        public ConferencePeer start() {
            String name = config.name();
            HomeLock lock = config.home() == null ? null : HomeLock.acquire(config.home(), identity.id());
            ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> daemon(r, "convene-" + name + "-callbacks"));
            ConferenceEngine engine = null;
            TypingState typing = new TypingState(clock, identity.id());
            FileSharing fileSharing = new FileSharing(config.home(), name, listeners, fetchStall);
            listeners.add(new ConferenceListener() {
                @Override
                public void message(ChatEntry message) {
                    typing.spoke(message);
                }
            });
            try {
                engine = new ConferenceEngine(identity, config.home(), clock, callbacks, listeners, tick, syncInterval);
                engine.registerEventType(BuiltInEvents.REACTION); // built-in types, every peer (docs/EMBEDDING.md)
                engine.registerEventType(BuiltInEvents.TYPING);
                engine.registerEventType(fileSharing.offerType());
                eventTypes.forEach(engine::registerEventType); // before restore: stored events of these types are delivered
                engine.onEvent(BuiltInEvents.TYPING, typing::heard);
                engine.restore();
            } catch (RuntimeException e) {
                if (engine != null) engine.closeStore(); // and its persistence thread
                callbacks.shutdownNow();
                if (lock != null) lock.close();
                throw e;
            }
            Presence presence = new Presence();
            Overlay.Builder ob = engine.register(Overlay.builder(config, identity)).knownPeers(engine.knownPeers())
                    .addressCache(engine.addressCache()).listener(presence);
            overlayListeners.forEach(l -> ob.listener(presence.marking(l)));
            Overlay overlay;
            try {
                overlay = ob.start();
            } catch (RuntimeException e) {
                callbacks.shutdownNow();
                engine.closeStore();
                if (lock != null) lock.close();
                throw e;
            }
            engine.attach(overlay);
            presence.attach(overlay);
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "convene-" + name + "-timer"));
            // The tick survives a failed hand-off to the event thread (counted by the engine).
            Executor events = overlay.eventExecutor();
            timer.scheduleWithFixedDelay(engine.tickSubmitter(task -> events.execute(() -> {
                presence.mark();
                task.run();
            })), tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
            return new ConferencePeer(overlay, engine, callbacks, timer, listeners, lock, presence, typing, fileSharing);
        }

        private static Thread daemon(Runnable r, String name) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }
    }
}
