package dev.convene.conference;

import dev.convene.conference.internal.ConferenceEngine;
import dev.convene.overlay.Directory;
import dev.convene.overlay.Identity;
import dev.convene.overlay.Overlay;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.OverlayListener;
import dev.convene.overlay.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 * <p>Lifecycle: {@link Builder#start()} joins the overlay; {@link #close()} leaves it. Operations that
 * change state or wait on other peers return a {@link CompletableFuture}; a refused operation completes
 * it exceptionally with a {@link ConferenceException} whose message says what to do. Queries
 * ({@link #conferences()}, {@link #history}) return snapshots at once.
 *
 * <p>Threading: thread-safe. State changes run on the overlay's event thread; listeners run on a separate
 * callback thread, in order (see {@link ConferenceListener}), so a callback may call this peer and even
 * wait on the returned future.
 */
public final class ConferencePeer implements AutoCloseable {
    /** How long {@link #close()} waits for outstanding acknowledgements. */
    public static final Duration LEAVE_GRACE = Duration.ofSeconds(5);
    private final Overlay overlay;
    private final ConferenceEngine engine;
    private final ExecutorService callbacks;
    private final ScheduledExecutorService timer;
    private final List<ConferenceListener> listeners;

    private ConferencePeer(Overlay overlay, ConferenceEngine engine, ExecutorService callbacks, ScheduledExecutorService timer,
                           List<ConferenceListener> listeners) {
        this.overlay = overlay;
        this.engine = engine;
        this.callbacks = callbacks;
        this.timer = timer;
        this.listeners = listeners;
    }

    /** Starts building a peer. */
    public static Builder builder(OverlayConfig config, Identity identity) {
        return new Builder(config, identity);
    }

    /** The overlay underneath (directory, stats). */
    public Overlay overlay() {
        return overlay;
    }

    /** This peer's id. */
    public PeerId self() {
        return overlay.self();
    }

    /** This peer's display name. */
    public String name() {
        return overlay.config().name();
    }

    /** The peers known on the overlay. */
    public Directory directory() {
        return overlay.directory();
    }

    /** Creates a conference and sends the invitations (kept for offline invitees until they come online). */
    public CompletableFuture<ConferenceView> create(NewConference spec) {
        return engine.call(() -> engine.create(spec));
    }

    /** Invites more peers (the organiser; participants too if the context allows it) while scheduled or live. */
    public CompletableFuture<ConferenceView> invite(ConferenceId conference, Collection<PeerId> peers) {
        List<PeerId> copy = List.copyOf(peers);
        return engine.call(() -> engine.invite(conference, copy));
    }

    /** Accepts an invitation: this peer becomes a participant and fetches the history so far. */
    public CompletableFuture<ConferenceView> accept(ConferenceId conference) {
        return engine.call(() -> engine.answer(conference, Answer.ACCEPT, ""));
    }

    /** Declines an invitation, with an optional reason (may be empty). */
    public CompletableFuture<ConferenceView> decline(ConferenceId conference, String reason) {
        return engine.call(() -> engine.answer(conference, Answer.DECLINE, reason));
    }

    /** Leaves a conference this peer takes part in; accepting again rejoins it. */
    public CompletableFuture<ConferenceView> leave(ConferenceId conference) {
        return engine.call(() -> engine.answer(conference, Answer.LEAVE, "left"));
    }

    /**
     * Removes a member (organiser or co-organiser; docs/PROTOCOL.md says how concurrent removals resolve). The
     * content key is rotated and granted to every remaining member, so the removed peer reads nothing sent
     * afterwards.
     */
    public CompletableFuture<ConferenceView> remove(ConferenceId conference, PeerId peer) {
        return engine.call(() -> engine.remove(conference, peer));
    }

    /**
     * Bans a peer locally: nothing from it is accepted, shown or relayed by this peer, in any conference.
     * Kept across restarts. Completes with true if it was not banned before.
     */
    public CompletableFuture<Boolean> ban(PeerId peer) {
        return engine.call(() -> engine.ban(peer));
    }

    /** Lifts a ban. Completes with true if the peer was banned. */
    public CompletableFuture<Boolean> unban(PeerId peer) {
        return engine.call(() -> engine.unban(peer));
    }

    /** The banned peers. */
    public java.util.Set<PeerId> bans() {
        return engine.bans();
    }

    /**
     * Grants a member the organiser role (the organiser only): a co-organiser may invite, remove and end the conference,
     * also while the organiser is away for good. Signed, spread like every membership record.
     */
    public CompletableFuture<ConferenceView> grantOrganiser(ConferenceId conference, PeerId peer) {
        return engine.call(() -> engine.setRole(conference, peer, true));
    }

    /** Revokes a co-organiser's role (the organiser only); what it did while it held the role stays valid. */
    public CompletableFuture<ConferenceView> revokeOrganiser(ConferenceId conference, PeerId peer) {
        return engine.call(() -> engine.setRole(conference, peer, false));
    }

    /** Ends a conference (organiser or co-organiser); before its start this cancels it. */
    public CompletableFuture<ConferenceView> end(ConferenceId conference) {
        return engine.call(() -> engine.end(conference));
    }

    /**
     * Posts a chat message to a live conference. The future completes once it is stored locally and sent;
     * {@link Post#acknowledged()} completes when another participant confirmed storing it.
     */
    public CompletableFuture<Post> say(ConferenceId conference, String text) {
        return engine.call(() -> engine.say(conference, text));
    }

    /** Every conference this peer knows, by start time. */
    public List<ConferenceView> conferences() {
        return engine.views();
    }

    /** One conference, if known. */
    public Optional<ConferenceView> conference(ConferenceId id) {
        return conferences().stream().filter(v -> v.id().equals(id)).findFirst();
    }

    /** Conferences this peer is invited to and has not answered, not yet over. */
    public List<ConferenceView> invitations() {
        return conferences().stream().filter(v -> v.myRole() == ConferenceView.Role.INVITED && !v.state().isOver()).toList();
    }

    /**
     * Finds a conference by id, unique id prefix or exact title (case-insensitive).
     *
     * @throws ConferenceLookupException if none or several match, listing them
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
        if (matches.isEmpty()) {
            throw new ConferenceLookupException("no conference matches '" + q + "'; run 'conferences' to list them", List.of());
        }
        List<String> names = new ArrayList<>();
        matches.forEach(v -> names.add(v.title() + " (" + v.id().shortId() + ")"));
        throw new ConferenceLookupException("'" + q + "' matches " + matches.size() + " conferences: " + String.join(", ", names)
                + "; use the id", matches);
    }

    /** The delivered chat history in canonical order (identical at every participant once synced). */
    public List<ChatEntry> history(ConferenceId conference) {
        return engine.history(conference);
    }

    public void addListener(ConferenceListener listener) {
        listeners.add(listener);
    }

    public void removeListener(ConferenceListener listener) {
        listeners.remove(listener);
    }

    /** Stops as a killed process would (no goodbye): for fault tests. */
    public void crash() {
        timer.shutdownNow();
        overlay.crash();
        callbacks.shutdownNow();
        engine.closeStore();
    }

    /**
     * Leaves gracefully: first waits (up to {@link #LEAVE_GRACE}) until every message this peer posted is
     * acknowledged by some participant that is online, so the last message sent is never lost; then
     * leaves the overlay and stops the threads. Listeners receive what was already queued.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + LEAVE_GRACE.toNanos();
        try {
            while (System.nanoTime() < deadline && engine.call(engine::unacknowledgedWithSomeoneOnline).get(1, TimeUnit.SECONDS) > 0) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the event thread is gone or stuck: leave anyway
        }
        timer.shutdownNow();
        overlay.close();
        engine.closeStore();
        callbacks.shutdown();
        try {
            callbacks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

        private Builder(OverlayConfig config, Identity identity) {
            this.config = config;
            this.identity = identity;
            this.clock = config.clock();
        }

        /** The clock that decides when conferences start and end (tests inject one). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** A conference listener, in place before the first event. */
        public Builder listener(ConferenceListener listener) {
            listeners.add(listener);
            return this;
        }

        /** An overlay presence listener, in place before the first event. */
        public Builder overlayListener(OverlayListener listener) {
            overlayListeners.add(listener);
            return this;
        }

        /** How often participants exchange digests to repair anything missed (default 3 s). */
        public Builder syncInterval(Duration interval) {
            this.syncInterval = interval;
            return this;
        }

        /** Joins the overlay and starts the clock. */
        public ConferencePeer start() {
            String name = config.name();
            ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> daemon(r, "convene-" + name + "-callbacks"));
            ConferenceEngine engine;
            try {
                engine = new ConferenceEngine(identity, config.home(), clock, callbacks, listeners, tick, syncInterval);
                engine.restore();
            } catch (RuntimeException e) {
                callbacks.shutdownNow();
                throw e;
            }
            Overlay.Builder ob = engine.register(Overlay.builder(config, identity)).knownPeers(engine.knownPeers());
            overlayListeners.forEach(ob::listener);
            Overlay overlay;
            try {
                overlay = ob.start();
            } catch (RuntimeException e) {
                callbacks.shutdownNow();
                engine.closeStore();
                throw e;
            }
            engine.attach(overlay);
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "convene-" + name + "-timer"));
            timer.scheduleWithFixedDelay(() -> overlay.eventExecutor().execute(engine::tick), tick.toMillis(), tick.toMillis(),
                    TimeUnit.MILLISECONDS);
            return new ConferencePeer(overlay, engine, callbacks, timer, listeners);
        }

        private static Thread daemon(Runnable r, String name) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }
    }
}
