package dev.convene.overlay.internal;

import dev.convene.overlay.AddressCache;
import dev.convene.overlay.DropReason;
import dev.convene.overlay.HostPort;
import dev.convene.overlay.Identity;
import dev.convene.overlay.MessageHandler;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.OverlayException;
import dev.convene.overlay.OverlayListener;
import dev.convene.overlay.OverlayStats;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.FrameCodec;
import dev.convene.overlay.wire.MessageType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.stack.IpAddress;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.Util;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation behind {@link dev.convene.overlay.Overlay}: a small coordinator. JGroups threads pass
 * each frame through the {@link InboundGate} (membership, authentication, replay, budgets) and hand what it
 * admits to the single event thread, which owns {@link Presence} (view, sessions, directory) and runs every
 * handler and listener in order. Every frame out goes through {@link OutboundQueues}, so no caller waits
 * for the network. Counters live in {@link Counters}.
 */
public final class OverlayCore implements Receiver {
    private static final Logger log = LoggerFactory.getLogger(OverlayCore.class);
    /** How often members without a session are checked for a due retry ({@link Presence#retry}). */
    static final long RETRY_TICK_MILLIS = 250;

    private final OverlayConfig config;
    private final Identity identity;
    private final String label;
    private final FrameCodec codec;
    private final Dispatcher dispatcher;
    private final DirectoryImpl directory;
    private final ExecutorService events;
    /** Admitted frames, one queue per proven sender, taken in turn by the event thread. */
    private final FairInbox inbox;
    /** Hands the periodic {@link Presence#retry} to the event thread; does no work of its own. */
    private final java.util.concurrent.ScheduledExecutorService timer;
    private final AddressCache knownPeers;
    private final Counters counters = new Counters();
    private final Presence presence;
    private final InboundBudget budget;
    private final InboundGate gate;
    private final OutboundQueues outbound;
    private final Outbox outbox;
    private final String stackXml;
    private volatile JChannel channel;
    /** The stack's unicast flow control (null until connected, or if the stack has none): what a send can block on. */
    private volatile org.jgroups.protocols.UFC flowControl;
    /** Whether the transport's bundler queues each send for a thread of its own (set when the channel exists). */
    private volatile boolean queuingBundler;
    /** Stretches MERGE3's interval in large views; set once the channel exists, used on the event thread. */
    private volatile ViewScaling scaling;
    private volatile String endpoint = "";
    private volatile PeerAdvertisement selfAd;
    private volatile boolean closed;

    @SuppressWarnings("unchecked")
    private OverlayCore(OverlayConfig config, Identity identity, Map<MessageType<?>, MessageHandler<?>> userHandlers,
                        List<OverlayListener> initialListeners, AddressCache cache) {
        this.config = config;
        this.identity = identity;
        this.label = identity.id().shortId(); // no names above DEBUG: an embedding host's logs end up in bug reports
        List<MessageType<?>> types = new ArrayList<>(List.of(OverlayMessages.ADVERTISEMENT, OverlayMessages.AD_REQUEST, OverlayMessages.HELLO,
                OverlayMessages.CONFIRM, OverlayMessages.ECHO));
        types.addAll(userHandlers.keySet());
        Map<Integer, MessageHandler<Object>> handlers = new HashMap<>();
        userHandlers.forEach((t, h) -> {
            if (t.id() < 100) throw new IllegalArgumentException("type id " + t.id() + " is reserved for the overlay (expected: >= 100)");
            handlers.put(t.id(), (MessageHandler<Object>) h);
        });
        this.codec = new FrameCodec(types, config.maxFrameBytes());
        this.dispatcher = new Dispatcher(label, handlers, initialListeners, counters, () -> closed);
        this.directory = new DirectoryImpl(identity.id());
        String threadName = "convene-" + config.name() + "-events";
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.inbox = new FairInbox(events);
        String timerName = "convene-" + config.name() + "-overlay-timer";
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, timerName);
            t.setDaemon(true);
            return t;
        });
        this.knownPeers = cache == null ? new KnownPeers(config.home()) : cache;
        List<HostPort> cached = config.mode() == NetworkMode.LOCAL || config.mode() == NetworkMode.SEEDS ? loadCache() : List.of();
        this.stackXml = Stacks.xml(config, cached);
        this.presence = new Presence(label, identity, directory, new Presence.Effects() {
            @Override
            public boolean sendHello(Address to, byte[] nonce, byte[] echo) {
                return OverlayCore.this.sendHello(to, nonce, echo);
            }

            @Override
            public void confirm(PeerSession session) {
                outbox.sendSealed(session, new OverlayMessages.Confirm(identity.id()));
            }

            @Override
            public void requestHello(Address to) {
                outbox.sendSigned(to, new OverlayMessages.AdvertisementRequest(identity.id()));
            }

            @Override
            public void echo(Address to, byte[] echoed, byte[] nonce, int answering) {
                outbox.sendUnauthenticated(to, new OverlayMessages.Echo(identity.id(), echoed, nonce), answering);
            }

            @Override
            public void fire(java.util.function.Consumer<OverlayListener> call) {
                dispatcher.fire(call);
            }

            @Override
            public void drop(DropReason reason) {
                counters.drop(reason);
            }
        }, System::nanoTime, () -> channel == null ? null : channel.getAddress());
        long frame = config.maxFrameBytes();
        this.budget = new InboundBudget(perPeerBytes(frame), totalBytes(frame), config.maxQueuedFrames());
        this.gate = new InboundGate(label, codec, counters, presence, budget, config.maxFramesPerSecond(), System::nanoTime);
        this.outbound = new OutboundQueues(config.name(), label, new OutboundQueues.Transport() {
            @Override
            public void send(Address to, byte[] bytes) throws Exception {
                channel.send(new BytesMessage(to, bytes));
            }

            @Override
            public boolean mayBlock(Address to, int bytes) {
                // Only UFC blocks a unicast send here (the bundler and TCP_NIO2 drop instead), and only without credits;
                // this peer's frames to `to` leave from one drainer at a time, so credits seen here are still there.
                // And only a transport whose bundler queues (JGroups' per-destination bundler, ours) hands a frame on without
                // writing it on the caller's thread; a stack customised to another bundler is treated as always blocking.
                org.jgroups.protocols.UFC ufc = flowControl;
                return !queuingBundler || ufc == null || ufc.getSenderCreditsFor(to) < bytes;
            }
        }, perPeerBytes(frame), totalBytes(frame));
        this.outbox = new Outbox(label, identity, codec, presence, directory, outbound, counters, () -> closed);
    }

    /** Bytes of frames one peer may have queued, in and out: four frames of the largest size, at least 4 MiB. */
    static long perPeerBytes(long maxFrame) {
        return Math.max(4L << 20, 4 * maxFrame);
    }

    /** Bytes of frames all peers together may have queued, in and (separately) out: at least 16 MiB. */
    static long totalBytes(long maxFrame) {
        return Math.max(16L << 20, 8 * maxFrame);
    }

    /** Builds the stack, joins and publishes this peer's advertisement. */
    public static OverlayCore start(OverlayConfig config, Identity identity, Map<MessageType<?>, MessageHandler<?>> handlers,
                                    List<OverlayListener> listeners) {
        return start(config, identity, handlers, listeners, List.of());
    }

    /** As above, with advertisements remembered from earlier runs, known (offline) until their peers return. */
    public static OverlayCore start(OverlayConfig config, Identity identity, Map<MessageType<?>, MessageHandler<?>> handlers,
                                    List<OverlayListener> listeners, Collection<PeerAdvertisement> known) {
        return start(config, identity, handlers, listeners, known, null);
    }

    /** As above, keeping seen addresses in {@code cache} instead of {@code HOME/known-peers} (null: the file). */
    public static OverlayCore start(OverlayConfig config, Identity identity, Map<MessageType<?>, MessageHandler<?>> handlers,
                                    List<OverlayListener> listeners, Collection<PeerAdvertisement> known, AddressCache cache) {
        OverlayCore core = new OverlayCore(config, identity, handlers, listeners, cache);
        known.stream().filter(a -> !a.id().equals(identity.id())).forEach(a -> {
            core.directory.addKnown(a);
            core.presence.registerName(a);
        });
        core.connect();
        return core;
    }

    private void connect() {
        try {
            JChannel ch = new JChannel(Stacks.configurator(config, stackXml));
            ch.name(config.name() + "-" + identity.id().shortId());
            ch.getProtocolStack().insertProtocol(new SuspectTap(this::onSuspect), ProtocolStack.Position.ABOVE, VERIFY_SUSPECT2.class);
            ch.setReceiver(this);
            this.scaling = ViewScaling.of(ch);
            this.flowControl = ch.getProtocolStack().findProtocol(org.jgroups.protocols.UFC.class);
            this.queuingBundler = ch.getProtocolStack().getTransport().getBundler() instanceof org.jgroups.protocols.PerDestinationBundler;
            this.channel = ch;
            // Before connecting: once connected, the event thread registers others' names in the same map.
            presence.registerName(identity.id(), config.name());
            ch.connect(config.cluster());
            outbox.setSelfTag(tag(ch.getAddress()));
            this.endpoint = Endpoints.describe(config, ch);
            this.selfAd = new PeerAdvertisement(identity.id(), config.name(), identity.signingKey(), identity.agreementKey(),
                    endpoint, Set.of("overlay/1"), config.clock().instant());
            directory.setSelf(selfAd);
            View v = ch.getView();
            events.execute(() -> onView(v, true));
            // Once every member is proven and nothing is pending (Presence.settled), a tick does not wake the event thread.
            timer.scheduleWithFixedDelay(() -> {
                if (!presence.settled()) submit(() -> presence.retry(inbox.waiting() > 0));
            }, RETRY_TICK_MILLIS, RETRY_TICK_MILLIS, TimeUnit.MILLISECONDS);
            // The endpoint (and in memory mode the JGroups name) carries the display name: DEBUG only.
            log.info("{}: joined '{}' in {} mode ({} members)", label, config.cluster(), config.mode().cliName(), v == null ? 1 : v.size());
            log.debug("{}: listening at {}", label, endpoint);
        } catch (Exception e) {
            timer.shutdownNow();
            events.shutdownNow();
            outbound.shutdownNow();
            if (channel != null) channel.close();
            throw new OverlayException(Endpoints.startFailure(config, e), e);
        }
    }

    /** The 16-byte tag of a transport address that signed frames are signed over. */
    public static byte[] tag(Address address) {
        return Endpoints.tag(address);
    }

    // ---- receiving (JGroups threads) --------------------------------------------------------------------

    @Override
    public void receive(Message msg) {
        counters.received.increment();
        Address src = msg.getSrc();
        if (!msg.hasArray() || src == null) {
            counters.drop(DropReason.BAD_MAGIC);
            return;
        }
        admit(src, msg.getArray(), msg.getOffset(), msg.getLength(), false);
    }

    /** Runs a frame through the gate; on the event thread ({@code onEvents}) it is handled at once, else queued. */
    private void admit(Address src, byte[] buf, int offset, int length, boolean onEvents) {
        InboundGate.Outcome[] outcome = new InboundGate.Outcome[1];
        InboundGate.Admitted a = gate.admit(src, buf, offset, length, outcome);
        if (a == null) {
            if (outcome[0] == InboundGate.Outcome.HELD_NO_KEY) {
                if (onEvents) heldForKey(src);
                else submit(() -> heldForKey(src));
            } else if (outcome[0] == InboundGate.Outcome.DROPPED_UNCONFIRMED) {
                if (onEvents) presence.askFor(src);
                else submit(() -> presence.askFor(src));
            }
            return;
        }
        if (onEvents) {
            handle(a);
        } else if (closed || !inbox.put(a instanceof InboundGate.Authenticated au ? au.from() : SIGNED, () -> runHandle(a))) {
            gate.done(a);
        }
    }

    /**
     * Event thread: a MAC'd frame from {@code src} was held for want of its key. Usually the sender's {@code Hello} was
     * verified on the JGroups thread just before and waits here, in this peer's own queue: once it made the session
     * (now, or between the gate's check and the hold), the held frames are admitted under it, and nobody is asked for
     * a {@code Hello} this peer already has. Without a session, the sender is asked ({@link Presence#askFor}). Under
     * load, asking here cost each pair of a forming group of 100 a second {@code Hello} each way and a request.
     */
    private void heldForKey(Address src) {
        if (presence.sessionAt(src) == null) {
            presence.askFor(src);
            return;
        }
        for (byte[] held : gate.release(src)) admit(src, held, 0, held.length, true);
    }

    @Override
    public void viewAccepted(View v) {
        submit(() -> onView(v, false));
    }

    private void onSuspect(Collection<Address> suspects) {
        List<Address> copy = List.copyOf(suspects);
        submit(() -> {
            for (Address a : copy) {
                PeerId id = directory.peerAt(a);
                if (id == null) continue;
                directory.get(id).ifPresent(ad -> {
                    log.info("{}: suspecting {}", label, ad.id().shortId());
                    dispatcher.fire(l -> l.peerSuspected(ad));
                });
            }
        });
    }

    private boolean submit(Runnable task) {
        if (closed) return false;
        try {
            events.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    log.error("{}: event task failed; going on", label, e);
                }
            });
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("{}: event after close ignored", label);
            return false;
        }
    }

    /** The queue key of frames authenticated by a signature (not yet by a session MAC). */
    private static final Object SIGNED = new Object();

    // ---- the event thread --------------------------------------------------------------------------------

    /** {@link #handle} as a task of the event thread: a failure is logged, never stops the thread. */
    private void runHandle(InboundGate.Admitted a) {
        try {
            handle(a);
        } catch (RuntimeException | Error e) {
            log.error("{}: event task failed; going on", label, e);
        }
    }

    private void handle(InboundGate.Admitted admitted) {
        try {
            if (admitted instanceof InboundGate.Signed s) {
                onSigned(s);
            } else if (admitted instanceof InboundGate.Echoed e) {
                counters.delivered.increment();
                presence.onEcho(e.src(), e.nonce());
            } else if (admitted instanceof InboundGate.Authenticated a) {
                if (a.body() instanceof OverlayMessages.Confirm) {
                    counters.delivered.increment(); // the gate confirmed the session when its MAC verified
                    return;
                }
                dispatcher.deliver(a.from(), a.type().id(), a.body());
            }
        } finally {
            gate.done(admitted);
        }
    }

    private void onSigned(InboundGate.Signed s) {
        Address src = s.src();
        PeerId bound = directory.peerAt(src);
        if (bound != null && !bound.equals(s.frame().signer()) && !(s.frame().body() instanceof OverlayMessages.Hello)) {
            // (a Hello may replace a binding never proven by a frame: Presence decides)
            counters.drop(DropReason.SIGNER_MISMATCH);
            log.debug("{}: frame from {} signed by {} but the address is bound to {}", label, src, s.frame().signer(), bound);
            return;
        }
        if (s.frame().body() instanceof OverlayMessages.Hello hello) {
            boolean fresh = presence.onHello(src, s.frame(), hello, s.echoed());
            if (fresh) {
                counters.delivered.increment();
                for (byte[] held : gate.release(src)) admit(src, held, 0, held.length, true);
            } else if (directory.peerAt(src) != null) {
                counters.delivered.increment(); // a repeated advertisement of a known session: nothing to do
            }
            return;
        }
        if (s.frame().body() instanceof OverlayMessages.AdvertisementRequest) {
            counters.delivered.increment();
            presence.onRequest(src);
        }
    }

    private void onView(View v, boolean first) {
        List<Address> left = presence.onView(v, first);
        for (Address a : left) outbound.forget(a);
        gate.evict(presence.members(), presence.peers());
        gate.expireHeld(); // frames held from addresses still outside the view: dropped after a grace
        for (Address a : gate.heldFrom()) {
            // Held because the sender was not a member yet: admit them again now that it is.
            if (presence.isMember(a) && presence.sessionAt(a) == null) {
                List<byte[]> held = gate.release(a);
                for (byte[] f : held) admit(a, f, 0, f.length, true);
            }
        }
        rememberMembers(presence.view());
        int size = presence.view().size();
        scaling.apply(size);
        dispatcher.fire(l -> l.viewChanged(size));
    }

    private void rememberMembers(View v) {
        if (config.mode() != NetworkMode.LOCAL && config.mode() != NetworkMode.SEEDS) return;
        // Without a home there is nothing to write: skip the transport's lookup of every member's physical address,
        // per view (a group of 100 forming in one JVM made each of its peers look up about 100 addresses 100 times).
        if (knownPeers instanceof KnownPeers k && !k.writes()) return;
        List<HostPort> seen = new ArrayList<>();
        for (Address a : v.getMembers()) {
            Object phys = channel.down(new Event(Event.GET_PHYSICAL_ADDRESS, a));
            if (phys instanceof IpAddress ip && ip.getIpAddress() != null) {
                seen.add(new HostPort(ip.getIpAddress().getHostAddress(), ip.getPort()));
            }
        }
        try {
            knownPeers.remember(List.copyOf(seen));
        } catch (RuntimeException e) {
            log.warn("{}: the address cache failed: {}", label, e.toString());
        }
    }

    /** The cached addresses, at most {@link AddressCache#MAX}; a failing cache counts as empty. */
    private List<HostPort> loadCache() {
        try {
            List<HostPort> all = knownPeers.load();
            return all.size() > AddressCache.MAX ? List.copyOf(all.subList(0, AddressCache.MAX)) : List.copyOf(all);
        } catch (RuntimeException e) {
            log.warn("{}: the address cache failed: {}", label, e.toString());
            return List.of();
        }
    }

    private boolean sendHello(Address to, byte[] nonce, byte[] echo) {
        // Views that arrive while connecting come before the advertisement exists; the first view handled
        // after connect sends it to every member.
        PeerAdvertisement ad = selfAd;
        if (ad == null) return false;
        return outbox.sendSigned(to, new OverlayMessages.Hello(ad, nonce, echo));
    }

    // ---- sending (any thread; never waits for the network) ------------------------------------------------

    public void send(PeerId to, Object message) {
        if (to.equals(identity.id())) {
            MessageType<?> type = outbox.requireType(message);
            submit(() -> dispatcher.deliver(to, type.id(), message));
            return;
        }
        outbox.send(to, message);
    }

    public Set<PeerId> multicast(Collection<PeerId> to, Object message) {
        return outbox.multicast(to, message);
    }

    /** Sends raw bytes as if they were a frame, in order with this peer's other frames: for bad-input tests only. */
    public void sendRaw(PeerId to, byte[] bytes) {
        outbox.sendRaw(to, bytes);
    }

    /** Encodes and signs a message with another identity's key, as a forger would (a version-1 frame): for tests only. */
    public byte[] encodeAs(Identity signer, Object message) {
        return outbox.encodeAs(signer, message);
    }

    /**
     * The frame this peer would send {@code to} for {@code message} next (it takes a sequence number, so the
     * frames this peer sends afterwards still verify): for replay and forgery tests only.
     */
    public byte[] sealFor(PeerId to, Object message) {
        return outbox.sealFor(to, message);
    }

    /** A frame around any body bytes, MAC'd as this peer's next frame to {@code to}: for bad-input tests only. */
    public byte[] sealBodyFor(PeerId to, int typeId, byte[] body) {
        return outbox.sealBodyFor(to, typeId, body);
    }

    /**
     * The tag of this peer's transport address that every signed frame it sends is signed over (a copy): for
     * bad-input tests that build frames by hand.
     */
    public byte[] senderTag() {
        return outbox.senderTag();
    }

    // ---- accessors, stats and shutdown --------------------------------------------------------------------

    public PeerId self() {
        return identity.id();
    }

    public Identity identity() {
        return identity;
    }

    public OverlayConfig config() {
        return config;
    }

    public PeerAdvertisement selfAdvertisement() {
        return selfAd;
    }

    public String endpoint() {
        return endpoint;
    }

    public DirectoryImpl directory() {
        return directory;
    }

    public java.util.concurrent.Executor eventExecutor() {
        return this::submit;
    }

    /** For diagnostics in tests: the outbound queues that hold frames or are being drained, and their counters. */
    public String describeOutbound() {
        return outbound.describe();
    }

    /** The JGroups channel, for fault-injection tests (DISCARD, injected views); not for applications. */
    public JChannel channel() {
        return channel;
    }

    public String stackXml() {
        return stackXml;
    }

    public void addListener(OverlayListener l) {
        dispatcher.add(l);
    }

    public void removeListener(OverlayListener l) {
        dispatcher.remove(l);
    }

    public void countDrop(DropReason reason) {
        counters.drop(reason);
    }

    public OverlayStats stats() {
        View v = presence.view();
        return counters.snapshot(v == null ? 1 : v.size(), budget.queuedBytes(), outbound.dropped());
    }

    /**
     * Sizes of the maps a remote peer could make grow (limiters, sessions, inbound senders, outbound queues):
     * each is bounded by the view, for tests that check memory stays bounded under attack.
     */
    public Map<String, Integer> bookkeeping() {
        return Map.of("limiters", gate.limiterCount(), "sessions", presence.sessionCount(), "inboundSenders", budget.senders(),
                "outboundQueues", outbound.destinations(), "held", gate.heldFrom().size(), "retries", presence.retryCount());
    }

    /** Bytes of outgoing frames queued now, all destinations together. */
    public long outboundQueuedBytes() {
        return outbound.queuedBytes();
    }

    public void crash() {
        if (closed) return;
        closed = true;
        timer.shutdownNow();
        outbound.shutdownNow();
        try {
            Util.shutdown(channel);
        } catch (Exception e) {
            log.debug("{}: crash shutdown: {}", label, e.toString());
        }
        channel.close();
        events.shutdownNow();
    }

    public void close() {
        if (closed) return;
        closed = true;
        timer.shutdownNow();
        log.info("{}: leaving", label);
        outbound.close(2000); // what was queued before close goes out first, for up to two seconds
        channel.close();
        events.shutdown();
        try {
            if (!events.awaitTermination(5, TimeUnit.SECONDS)) events.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            events.shutdownNow();
        }
    }
}
