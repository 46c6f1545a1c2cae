package dev.convene.bench;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.NewConference;
import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Convene peers in this JVM, each a full {@link ConferencePeer} with its own keys and (when durable) its own
 * SQLite store, in a group of their own on loopback TCP ({@code local} mode) or on the {@code memory}
 * network, with the default timings: the stack a user gets. Closing leaves gracefully.
 */
final class ConveneGroup implements AutoCloseable {
    static final Duration SETUP = Duration.ofSeconds(60);
    private final Workspace ws;
    private final NetworkMode mode;
    private final boolean durable;
    private final String cluster;
    private final int basePort;
    private final int portRange;
    private final List<ConferencePeer> peers = new ArrayList<>();
    private final List<ConferencePeer> lateJoiners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** How long starting and forming may take ({@link #SETUP} unless the size part asks for more). */
    private Duration setup = SETUP;
    /** What every peer of the group registers on its builder before it starts (event types). */
    private java.util.function.Consumer<ConferencePeer.Builder> configure = b -> { };

    private ConveneGroup(Workspace ws, String purpose, NetworkMode mode, boolean durable, int size) {
        this.ws = ws;
        this.mode = mode;
        this.durable = durable;
        this.cluster = ws.cluster(purpose);
        this.basePort = ws.basePort();
        this.portRange = Math.max(OverlayConfig.DEFAULT_PORT_RANGE, size + 4);
    }

    /** Starts {@code size} peers: the first alone (it becomes the coordinator), the others a few at a time. */
    static ConveneGroup start(Workspace ws, String purpose, int size, NetworkMode mode, boolean durable) throws InterruptedException {
        return start(ws, purpose, size, mode, durable, SETUP, b -> { });
    }

    /** As above, allowing {@code setup} for each peer's start and for the group to form. */
    static ConveneGroup start(Workspace ws, String purpose, int size, NetworkMode mode, boolean durable, Duration setup)
            throws InterruptedException {
        return start(ws, purpose, size, mode, durable, setup, b -> { });
    }

    /** {@link #start(Workspace, String, int, NetworkMode, boolean)} with {@code configure} applied to each peer's builder first. */
    static ConveneGroup start(Workspace ws, String purpose, int size, NetworkMode mode, boolean durable,
                              java.util.function.Consumer<ConferencePeer.Builder> configure) throws InterruptedException {
        return start(ws, purpose, size, mode, durable, SETUP, configure);
    }

    private static ConveneGroup start(Workspace ws, String purpose, int size, NetworkMode mode, boolean durable, Duration setup,
                                      java.util.function.Consumer<ConferencePeer.Builder> configure) throws InterruptedException {
        ConveneGroup g = new ConveneGroup(ws, purpose, mode, durable, size);
        g.setup = setup;
        g.configure = configure;
        try {
            g.peers.add(g.open(purpose + "0"));
            ExecutorService starters = Executors.newFixedThreadPool(3, r -> new Thread(r, "bench-start"));
            BenchException failure = null;
            try {
                List<Future<ConferencePeer>> started = new ArrayList<>();
                for (int i = 1; i < size; i++) {
                    String name = purpose + i;
                    started.add(starters.submit(() -> g.open(name)));
                }
                for (Future<ConferencePeer> f : started) {
                    try {
                        g.peers.add(f.get(setup.toSeconds(), TimeUnit.SECONDS));
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        failure = failure != null ? failure : new BenchException("a " + mode.cliName() + " peer did not start: " + e, e);
                    }
                }
            } finally {
                starters.shutdownNow();
            }
            if (failure != null) throw failure;
            g.awaitDirectories(g.peers);
            return g;
        } catch (RuntimeException | InterruptedException e) {
            g.close();
            throw e;
        }
    }

    /** One more peer of this group (a late joiner), not yet in any conference; closed with the group. */
    ConferencePeer join(String name) {
        ConferencePeer p = open(name);
        lateJoiners.add(p);
        return p;
    }

    private ConferencePeer open(String name) {
        OverlayConfig.Builder config = config(name, mode, cluster, basePort, portRange);
        if (durable) config.home(ws.home(name));
        ConferencePeer.Builder builder = ConferencePeer.builder(config.build(), Identity.generate());
        configure.accept(builder);
        return builder.start();
    }

    /**
     * The configuration of a bench peer, Convene or raw: loopback, the default timings, a group and port
     * range of its own. Raw JGroups channels get their stack from the same config through
     * {@code Stacks.xml}, so both sides run the same protocols with the same settings.
     */
    static OverlayConfig.Builder config(String name, NetworkMode mode, String cluster, int basePort, int portRange) {
        OverlayConfig.Builder config = OverlayConfig.builder(name).mode(mode).bindAddress("127.0.0.1").cluster(cluster);
        if (mode != NetworkMode.MEMORY) config.port(basePort).portRange(portRange);
        return config;
    }

    List<ConferencePeer> peers() {
        return List.copyOf(peers);
    }

    NetworkMode mode() {
        return mode;
    }

    int basePort() {
        return basePort;
    }

    int portRange() {
        return portRange;
    }

    String cluster() {
        return cluster;
    }

    /** Waits until each of {@code group} sees every other one online; if not in time, says who is missing where ({@link #incomplete}). */
    void awaitDirectories(List<ConferencePeer> group) throws InterruptedException {
        Waits.until(setup, () -> group.stream().allMatch(p -> group.stream().allMatch(q -> q == p || p.directory().isOnline(q.self()))),
                () -> "full directories in a group of " + group.size() + "; " + incomplete(group));
    }

    /**
     * Why a group's directories are not complete, in one line: how many peers lack someone, the worst few (how many
     * they lack, the size of their JGroups view: a view of the whole group with members missing from the directory
     * means joined but not proven, a smaller view means not joined), and the peers missing most often.
     */
    static String incomplete(List<ConferencePeer> group) {
        java.util.Map<String, Integer> missingFrom = new java.util.TreeMap<>();
        List<String> lacking = new ArrayList<>();
        List<ConferencePeer> byMissing = new ArrayList<>();
        java.util.Map<ConferencePeer, Integer> missing = new java.util.HashMap<>();
        for (ConferencePeer p : group) {
            int lacks = 0;
            for (ConferencePeer q : group) {
                if (q != p && !p.directory().isOnline(q.self())) {
                    lacks++;
                    missingFrom.merge(q.name(), 1, Integer::sum);
                }
            }
            if (lacks > 0) {
                missing.put(p, lacks);
                byMissing.add(p);
            }
        }
        if (byMissing.isEmpty()) return "every directory is complete now";
        byMissing.sort(java.util.Comparator.comparing((ConferencePeer p) -> -missing.get(p)).thenComparing(ConferencePeer::name));
        for (ConferencePeer p : byMissing.subList(0, Math.min(5, byMissing.size()))) {
            lacking.add(p.name() + " lacks " + missing.get(p) + " (view of " + p.overlay().stats().members() + ")");
        }
        String often = missingFrom.entrySet().stream().sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(5).map(e -> e.getKey() + " from " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
        return byMissing.size() + " of " + group.size() + " peers lack someone: " + String.join(", ", lacking)
                + (byMissing.size() > 5 ? ", ..." : "") + "; missing most often: " + often;
    }

    /**
     * The first peer creates a conference that starts now and invites {@code invitees}; each in-JVM invitee
     * accepts (one in another process accepts by itself). Returns once every peer listed in {@code
     * participants} sees all of them as participants of the live conference.
     */
    static ConferenceId openConference(ConferencePeer organiser, List<ConferencePeer> acceptors, List<PeerId> invitees)
            throws InterruptedException {
        return openConference(organiser, acceptors, invitees, SETUP);
    }

    /** As above, giving up once the whole opening (every accept and the final wait) has taken {@code total} (at least {@link #SETUP}). */
    static ConferenceId openConference(ConferencePeer organiser, List<ConferencePeer> acceptors, List<PeerId> invitees, Duration total)
            throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(total.toNanos(), SETUP.toNanos());
        try {
            ConferenceId id = organiser.create(NewConference.titled("bench").lasting(Duration.ofHours(2)).invite(invitees))
                    .get(SETUP.toSeconds(), TimeUnit.SECONDS).id();
            int accepted = 0;
            for (ConferencePeer p : acceptors) {
                if (System.nanoTime() > deadline) {
                    throw new BenchException("opening the conference took over " + total.toSeconds() + " s: " + accepted + " of "
                            + acceptors.size() + " invitees had accepted");
                }
                accepted++;
                Waits.until(SETUP, () -> p.conference(id).isPresent(), () -> "the invitation to reach " + p.name());
                p.accept(id).get(SETUP.toSeconds(), TimeUnit.SECONDS);
            }
            List<ConferencePeer> local = new ArrayList<>(acceptors);
            local.add(organiser);
            Waits.until(SETUP, () -> local.stream().allMatch(p -> p.conference(id)
                            .filter(v -> v.state() == ConferenceState.LIVE && v.participants().size() == invitees.size() + 1).isPresent()),
                    () -> "every peer to see " + (invitees.size() + 1) + " participants");
            return id;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new BenchException("could not open the bench conference: " + e.getMessage(), e);
        }
    }

    /** Records each chat message by {@code author} in {@code conference} arriving at {@code receiver} as receiver {@code r}. */
    static void recordArrivals(ConferencePeer receiver, int r, ConferenceId conference, PeerId author, Arrivals arrivals) {
        receiver.addListener(new ConferenceListener() {
            @Override
            public void message(ChatEntry e) {
                long now = System.nanoTime();
                if (e.author().equals(author) && e.conference().equals(conference)) arrivals.record(r, (int) (e.id().sequence() - 1), now);
            }
        });
    }

    @Override
    public void close() {
        List<ConferencePeer> all = new ArrayList<>(peers);
        all.addAll(lateJoiners);
        // Closing waits (up to ConferencePeer.LEAVE_GRACE) for acknowledgements; close in parallel.
        all.parallelStream().forEach(p -> {
            try {
                p.close();
            } catch (RuntimeException e) {
                // leaving is best effort at the end of a run
            }
        });
    }
}
