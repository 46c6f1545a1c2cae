package dev.convene.conference.internal;

import static dev.convene.conference.internal.ConferenceEngine.META_CHUNK_BYTES;

import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.Identity;
import dev.convene.overlay.Overlay;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every part of {@link ConferenceEngine} shares: this peer, its clocks, its conferences and their published
 * views, the store, the bans, the counters and budgets, and the overlay once attached. Changed on the engine thread
 * only; {@link #views}, {@link #readable} and {@link #banned} are read from any thread.
 */
final class EngineState {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    static final SecureRandom RANDOM = new SecureRandom();

    final Identity identity;
    final PeerId self;
    final Clock clock;
    final HybridClock hlc;
    final Map<ConferenceId, Conference> conferences = new HashMap<>();
    final Map<ConferenceId, ConferenceView> views = new ConcurrentHashMap<>();
    final Map<ConferenceId, Conference> readable = new ConcurrentHashMap<>();
    volatile Overlay overlay;
    Executor events;
    final ConferenceStore store;
    /** Peers this peer refuses to hear from (kept across restarts). Written on the engine thread, read anywhere. */
    final Set<PeerId> banned = ConcurrentHashMap.newKeySet();
    final Counters counters = new Counters();
    final SignatureGate gate = new SignatureGate(counters, System::nanoTime);
    final HistoryBudget history = new HistoryBudget(System::nanoTime);
    /** Anti-backdating: the frontier rules and the acknowledgement marks that detect under-reporting. */
    final Frontiers frontiers = new Frontiers(counters);
    /** Told after every change of a conference (streams break when an end stops being a participant). */
    java.util.function.Consumer<Conference> changed = c -> { };
    /** Received chat rows and own acknowledgement marks, written in batches; acknowledgements wait for its commits. */
    final ChatWriter writer;
    /** Author signatures of incoming chat, checked on a worker pool (or at once, without one). */
    final ChatVerifier verifier;

    /** State whose chat rows are written at once on the engine thread (no store, or tests). */
    EngineState(Identity identity, ConferenceStore store, Clock clock) {
        this(identity, store, null, false, clock);
    }

    /**
     * State whose chat rows are written by a persistence thread to {@code chatStore} (null: at once to {@code store})
     * and whose chat signatures are checked on a worker pool if {@code verifierWorkers} (else at once).
     */
    EngineState(Identity identity, ConferenceStore store, ConferenceStore chatStore, boolean verifierWorkers, Clock clock) {
        this.identity = identity;
        this.self = identity.id();
        this.clock = clock;
        this.hlc = new HybridClock(clock);
        this.store = store;
        this.writer = chatStore == null ? ChatWriter.inline(this, store) : ChatWriter.threaded(this, chatStore);
        this.verifier = verifierWorkers ? ChatVerifier.pooled(this) : ChatVerifier.inline(this);
    }

    String label() {
        return self.shortId(); // no display name: content stays at DEBUG
    }

    /** Runs one conference's step (tick, anti-entropy, a peer joining or leaving) so that its failure is counted and logged, and never stops the others'. */
    void isolated(Conference c, String step, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            counters.conferenceFailures.increment();
            log.warn("{}: {} of conference {} failed: {}", label(), step, c.id.shortId(), e.toString());
        }
    }

    void spread(Conference c) {
        sendMeta(c, onlineOthers(c.members()));
    }

    /** Sends this peer's answer (with what it needs to be checked) to the online members: {@link Conference#answerMeta}. */
    void spreadAnswer(Conference c) {
        List<PeerId> to = onlineOthers(c.members());
        if (!to.isEmpty()) overlay.multicast(to, c.answerMeta(self));
    }

    void sendMeta(Conference c, List<PeerId> to) {
        if (to.isEmpty()) return;
        for (Meta chunk : c.metaChunks(META_CHUNK_BYTES)) overlay.multicast(to, chunk);
    }

    List<PeerId> onlineOthers(Collection<PeerId> peers) {
        return peers.stream().filter(p -> !p.equals(self) && overlay.directory().isOnline(p)).toList();
    }

    void publish(Conference c) {
        views.put(c.id, c.view(self));
    }

    String nameOf(PeerId p) {
        if (overlay == null) return p.shortId(); // not attached yet (or driven directly in tests)
        return overlay.directory().get(p).map(PeerAdvertisement::name).orElse(p.shortId());
    }
}
