package dev.convene.overlay.internal;

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
import dev.convene.overlay.RejectedMessageException;
import dev.convene.overlay.wire.Frame;
import dev.convene.overlay.wire.FrameCodec;
import dev.convene.overlay.wire.FrameException;
import dev.convene.overlay.wire.MessageType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
import org.jgroups.util.UUID;
import org.jgroups.util.Util;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation behind {@link dev.convene.overlay.Overlay}. JGroups threads only verify frames and
 * hand them to the single event thread; the directory, bindings and every callback live on that thread.
 */
public final class OverlayCore implements Receiver {
    private static final Logger log = LoggerFactory.getLogger(OverlayCore.class);

    private final OverlayConfig config;
    private final Identity identity;
    private final String label;
    private final FrameCodec codec;
    private final Map<Integer, MessageHandler<Object>> handlers = new HashMap<>();
    private final List<OverlayListener> listeners = new CopyOnWriteArrayList<>();
    private final DirectoryImpl directory;
    private final ExecutorService events;
    private final KnownPeers knownPeers;
    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);
    private final Map<Integer, LongAdder> receivedByType = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Address, RateLimiter> limiters = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger queuedFrames = new java.util.concurrent.atomic.AtomicInteger();
    private final Set<Address> adRequested = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Pairs of peer ids already reported as sharing a name (event thread only). */
    private final Set<String> reportedConflicts = new java.util.HashSet<>();
    private final String stackXml;
    private volatile JChannel channel;
    private volatile byte[] selfTag;
    private volatile String endpoint = "";
    private volatile PeerAdvertisement selfAd;
    private volatile View view;
    private volatile boolean closed;

    @SuppressWarnings("unchecked")
    private OverlayCore(OverlayConfig config, Identity identity, Map<MessageType<?>, MessageHandler<?>> userHandlers,
                        List<OverlayListener> initialListeners) {
        this.config = config;
        this.identity = identity;
        this.label = config.name() + "/" + identity.id().shortId();
        for (DropReason r : DropReason.values()) drops.put(r, new LongAdder());
        List<MessageType<?>> types = new ArrayList<>(List.of(OverlayMessages.ADVERTISEMENT, OverlayMessages.AD_REQUEST));
        types.addAll(userHandlers.keySet());
        userHandlers.forEach((t, h) -> {
            if (t.id() < 100) throw new IllegalArgumentException("type id " + t.id() + " is reserved for the overlay (expected: >= 100)");
            handlers.put(t.id(), (MessageHandler<Object>) h);
        });
        this.codec = new FrameCodec(types, config.maxFrameBytes());
        this.listeners.addAll(initialListeners);
        this.directory = new DirectoryImpl(identity.id());
        String threadName = "convene-" + config.name() + "-events";
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.knownPeers = new KnownPeers(config.home());
        List<HostPort> cached = config.mode() == NetworkMode.LOCAL || config.mode() == NetworkMode.SEEDS ? knownPeers.load() : List.of();
        this.stackXml = Stacks.xml(config, cached);
    }

    /** Builds the stack, joins and publishes this peer's advertisement. */
    public static OverlayCore start(OverlayConfig config, Identity identity, Map<MessageType<?>, MessageHandler<?>> handlers,
                                    List<OverlayListener> listeners) {
        return start(config, identity, handlers, listeners, List.of());
    }

    /** As above, with advertisements remembered from earlier runs, known (offline) until their peers return. */
    public static OverlayCore start(OverlayConfig config, Identity identity, Map<MessageType<?>, MessageHandler<?>> handlers,
                                    List<OverlayListener> listeners, Collection<PeerAdvertisement> known) {
        OverlayCore core = new OverlayCore(config, identity, handlers, listeners);
        known.stream().filter(a -> !a.id().equals(identity.id())).forEach(core.directory::addKnown);
        core.connect();
        return core;
    }

    private void connect() {
        try {
            JChannel ch = new JChannel(Stacks.configurator(config, stackXml));
            ch.name(config.name() + "-" + identity.id().shortId());
            ch.getProtocolStack().insertProtocol(new SuspectTap(this::onSuspect), ProtocolStack.Position.ABOVE, VERIFY_SUSPECT2.class);
            ch.setReceiver(this);
            this.channel = ch;
            ch.connect(config.cluster());
            this.selfTag = tag(ch.getAddress());
            this.endpoint = describeEndpoint(ch);
            this.selfAd = new PeerAdvertisement(identity.id(), config.name(), identity.signingKey(), identity.agreementKey(),
                    endpoint, Set.of("overlay/1"), config.clock().instant());
            directory.setSelf(selfAd);
            View v = ch.getView();
            events.execute(() -> onView(v, true));
            log.info("{}: joined '{}' in {} mode at {} ({} members)", label, config.cluster(), config.mode().cliName(), endpoint,
                    v == null ? 1 : v.size());
        } catch (Exception e) {
            events.shutdownNow();
            if (channel != null) channel.close();
            throw new OverlayException(startFailure(e), e);
        }
    }

    /**
     * What other peers reach this one at, as shown in its advertisement. Only TCP and UDP have a real
     * listening address: SHARED_LOOPBACK reports a fake {@code 127.0.0.1:1} for every member, and TUNNEL's
     * physical address is a datagram socket nobody sends to (all traffic goes through the routers), so
     * those modes say how the peer is really reached. Kept short: the advertisement codec reads at most
     * {@link OverlayMessages#MAX_ENDPOINT} bytes.
     */
    private String describeEndpoint(JChannel ch) {
        String described = switch (config.mode()) {
            case MEMORY -> "memory:" + ch.getName();
            case RELAY -> "relay:" + config.routers().stream().map(HostPort::toString)
                    .collect(java.util.stream.Collectors.joining(","));
            case LOCAL, SEEDS, LAN -> {
                Object phys = ch.down(new Event(Event.GET_PHYSICAL_ADDRESS, ch.getAddress()));
                yield phys instanceof IpAddress ip && ip.getIpAddress() != null
                        ? ip.getIpAddress().getHostAddress() + ":" + ip.getPort() : String.valueOf(ch.getAddress());
            }
        };
        return OverlayMessages.fitEndpoint(described);
    }

    private String startFailure(Exception e) {
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (what.contains("Cannot assign requested address") || what.contains("unknown") || what.contains("UnknownHost")) {
            return "cannot bind to " + config.bindAddress() + ": it is not an address of this machine; choose one with --bind";
        }
        if (what.contains("BindException") || what.contains("Address already in use") || what.contains("no port available")
                || e instanceof java.net.BindException) {
            return "cannot listen on " + config.bindAddress() + " ports " + config.port() + "-" + (config.port() + config.portRange())
                    + " (all in use or not allowed: " + what + "): choose another with --port, or stop other peers";
        }
        return "cannot start the " + config.mode().cliName() + " network stack: " + what + "; check --bind, --port and --network";
    }

    static byte[] tag(Address address) {
        ByteBuffer b = ByteBuffer.allocate(FrameCodec.TAG_LENGTH);
        if (address instanceof UUID u) {
            b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        } else {
            byte[] s = String.valueOf(address).getBytes(StandardCharsets.UTF_8);
            b.put(com.google.common.hash.Hashing.sha256().hashBytes(s).asBytes(), 0, FrameCodec.TAG_LENGTH);
        }
        return b.array();
    }

    // ---- receiving (JGroups threads) --------------------------------------------------------------------

    @Override
    public void receive(Message msg) {
        received.increment();
        Address src = msg.getSrc();
        if (!msg.hasArray() || src == null) {
            countDrop(DropReason.BAD_MAGIC);
            return;
        }
        // Cheap checks first, before a signature is verified: the sender's rate, then the queue's bound.
        if (!limiters.computeIfAbsent(src, a -> new RateLimiter(config.maxFramesPerSecond())).tryAcquire(System.nanoTime())) {
            countDrop(DropReason.RATE_LIMITED);
            return;
        }
        if (queuedFrames.get() >= config.maxQueuedFrames()) {
            countDrop(DropReason.OVERLOADED);
            return;
        }
        Frame frame;
        try {
            frame = codec.decode(msg.getArray(), msg.getOffset(), msg.getLength(), tag(src));
        } catch (FrameException e) {
            countDrop(e.reason());
            log.debug("{}: dropped frame from {}: {}", label, src, e.getMessage());
            return;
        } catch (RuntimeException e) {
            countDrop(DropReason.MALFORMED_BODY);
            log.debug("{}: dropped frame from {}: {}", label, src, e.toString());
            return;
        }
        receivedByType.computeIfAbsent(frame.type().id(), k -> new LongAdder()).increment();
        queuedFrames.incrementAndGet();
        submit(() -> {
            queuedFrames.decrementAndGet();
            dispatch(src, frame);
        });
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
                    log.info("{}: suspecting {}", label, ad.label());
                    fire(l -> l.peerSuspected(ad));
                });
            }
        });
    }

    private void submit(Runnable task) {
        if (closed) return;
        try {
            events.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    log.error("{}: event task failed; going on", label, e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("{}: event after close ignored", label);
        }
    }

    // ---- the event thread --------------------------------------------------------------------------------

    private void dispatch(Address src, Frame frame) {
        PeerId bound = directory.peerAt(src);
        if (bound != null && !bound.equals(frame.signer())) {
            countDrop(DropReason.SIGNER_MISMATCH);
            log.debug("{}: frame from {} signed by {} but the address is bound to {}", label, src, frame.signer(), bound);
            return;
        }
        if (frame.body() instanceof PeerAdvertisement ad) {
            onAdvertisement(src, frame, ad);
            return;
        }
        if (frame.body() instanceof OverlayMessages.AdvertisementRequest) {
            delivered.increment();
            sendAdvertisement(src);
            return;
        }
        if (bound == null && adRequested.add(src)) {
            sendFrame(src, new OverlayMessages.AdvertisementRequest(identity.id()));
        }
        deliver(frame.signer(), frame.type().id(), frame.body());
    }

    private void deliver(PeerId from, int typeId, Object body) {
        MessageHandler<Object> handler = handlers.get(typeId);
        if (handler == null) {
            countDrop(DropReason.UNKNOWN_TYPE);
            return;
        }
        try {
            handler.onMessage(from, body);
            delivered.increment();
        } catch (RejectedMessageException e) {
            countDrop(DropReason.REJECTED);
            log.debug("{}: rejected {} from {}: {}", label, body.getClass().getSimpleName(), from.shortId(), e.getMessage());
        } catch (RuntimeException e) {
            countDrop(DropReason.HANDLER_FAILED);
            log.warn("{}: handler for {} failed on a message from {}", label, body.getClass().getSimpleName(), from.shortId(), e);
        }
    }

    private void onAdvertisement(Address src, Frame frame, PeerAdvertisement ad) {
        if (!ad.id().equals(frame.signer())) {
            countDrop(DropReason.SIGNER_MISMATCH);
            log.debug("{}: advertisement for {} signed by {}", label, ad.id(), frame.signer());
            return;
        }
        if (ad.id().equals(identity.id())) {
            countDrop(DropReason.REJECTED); // our own identity from another address: a clone or a replay
            log.warn("{}: another process at {} uses this peer's identity; stop one of them", label, src);
            return;
        }
        View v = view;
        if (v != null && !v.containsMember(src)) {
            log.debug("{}: advertisement from {} which is not in the view; kept", label, src);
        }
        delivered.increment();
        adRequested.remove(src);
        boolean joined = directory.put(ad, src);
        reportNameConflicts(ad);
        if (joined) {
            log.info("{}: {} joined from {}", label, ad.label(), ad.endpoint());
            fire(l -> l.peerJoined(ad));
        }
    }

    /**
     * Warns, once per pair of peers, when a verified advertisement uses the name of another known peer: the
     * name may be the same, but the key is not, and only the key is identity.
     */
    private void reportNameConflicts(PeerAdvertisement ad) {
        for (PeerAdvertisement other : directory.known()) {
            if (other.id().equals(ad.id()) || !other.name().equalsIgnoreCase(ad.name())) continue;
            boolean first = ad.id().compareTo(other.id()) < 0;
            String pair = first ? ad.id().value() + "/" + other.id().value() : other.id().value() + "/" + ad.id().value();
            if (!reportedConflicts.add(pair)) continue;
            log.warn("{}: {} uses the name '{}' of {} with another key (fingerprints {} and {}); names are not identity",
                    label, ad.label(), ad.name(), other.label(), ad.fingerprint(), other.fingerprint());
            fire(l -> l.peerNameConflict(ad, other));
        }
    }

    private void onView(View v, boolean first) {
        View old = this.view;
        if (old != null && v.getViewId().compareTo(old.getViewId()) <= 0) {
            if (!first) return;
            // The announcement queued after connect() carries the view of that moment; a newer view may have
            // been handled since. Rolling back to the older one would mark its newer members as left (and
            // nothing would mark them online again), so announce to the newest view instead.
            v = old;
        }
        this.view = v;
        List<Address> joiners = new ArrayList<>();
        for (Address a : v.getMembers()) {
            if (a.equals(channel.getAddress())) continue;
            if (first || old == null || !old.containsMember(a)) joiners.add(a);
        }
        if (old != null) {
            for (Address a : old.getMembers()) {
                if (v.containsMember(a)) continue;
                adRequested.remove(a);
                limiters.remove(a);
                directory.remove(a).ifPresent(ad -> {
                    log.info("{}: {} left", label, ad.label());
                    fire(l -> l.peerLeft(ad));
                });
            }
        }
        for (Address a : joiners) sendAdvertisement(a);
        rememberMembers(v);
        int size = v.size();
        fire(l -> l.viewChanged(size));
    }

    private void rememberMembers(View v) {
        if (config.mode() != NetworkMode.LOCAL && config.mode() != NetworkMode.SEEDS) return;
        List<HostPort> seen = new ArrayList<>();
        for (Address a : v.getMembers()) {
            Object phys = channel.down(new Event(Event.GET_PHYSICAL_ADDRESS, a));
            if (phys instanceof IpAddress ip && ip.getIpAddress() != null) {
                seen.add(new HostPort(ip.getIpAddress().getHostAddress(), ip.getPort()));
            }
        }
        knownPeers.remember(seen);
    }

    private void sendAdvertisement(Address to) {
        // Views that arrive while connecting come before the advertisement exists; the first view handled
        // after connect sends it to every member.
        if (selfAd != null) sendFrame(to, selfAd);
    }

    private void fire(java.util.function.Consumer<OverlayListener> call) {
        for (OverlayListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn("{}: listener {} failed", label, l, e);
            }
        }
    }

    // ---- sending (any thread) ----------------------------------------------------------------------------

    public void send(PeerId to, Object message) {
        if (to.equals(identity.id())) {
            MessageType<?> type = requireType(message);
            submit(() -> deliver(to, type.id(), message));
            return;
        }
        Address address = directory.addressOf(to);
        if (address == null) {
            throw new OverlayException("peer " + to.shortId() + " is not online; wait until it joins (see 'peers')");
        }
        transmit(address, encode(message));
    }

    public Set<PeerId> multicast(Collection<PeerId> to, Object message) {
        byte[] frame = null;
        Set<PeerId> reached = new LinkedHashSet<>();
        for (PeerId id : new LinkedHashSet<>(to)) {
            if (id.equals(identity.id())) continue;
            Address address = directory.addressOf(id);
            if (address == null) continue;
            if (frame == null) frame = encode(message);
            try {
                transmit(address, frame);
                reached.add(id);
            } catch (OverlayException e) {
                log.debug("{}: could not send to {}: {}", label, id.shortId(), e.getMessage());
            }
        }
        return reached;
    }

    private MessageType<?> requireType(Object message) {
        MessageType<?> type = codec.typeOf(message);
        if (type == null) throw new OverlayException(message.getClass().getName() + " is not a registered message type");
        return type;
    }

    private byte[] encode(Object message) {
        requireType(message);
        try {
            return codec.encode(message, identity, selfTag);
        } catch (IllegalArgumentException e) {
            throw new OverlayException(e.getMessage(), e);
        }
    }

    private void sendFrame(Address to, Object message) {
        try {
            transmit(to, encode(message));
        } catch (OverlayException e) {
            log.debug("{}: could not send {} to {}: {}", label, message.getClass().getSimpleName(), to, e.getMessage());
        }
    }

    private void transmit(Address to, byte[] frame) {
        if (closed) throw new OverlayException("this peer has stopped; start it again to send");
        try {
            channel.send(new BytesMessage(to, frame));
            sent.increment();
        } catch (Exception e) {
            throw new OverlayException("sending to " + to + " failed: " + e.getMessage() + "; the peer may have left", e);
        }
    }

    /** Sends raw bytes as if they were a frame: for bad-input tests only. */
    public void sendRaw(PeerId to, byte[] bytes) {
        Address address = directory.addressOf(to);
        if (address == null) throw new OverlayException("peer " + to.shortId() + " is not online");
        transmit(address, bytes);
    }

    /** Encodes and signs a message with another identity's key, as a forger would: for tests only. */
    public byte[] encodeAs(Identity signer, Object message) {
        return codec.encode(message, signer, selfTag);
    }

    /**
     * The tag of this peer's transport address that every frame it sends is signed over (a copy): for
     * bad-input tests that build frames by hand.
     */
    public byte[] senderTag() {
        return selfTag.clone();
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

    /** The JGroups channel, for fault-injection tests (DISCARD, injected views); not for applications. */
    public JChannel channel() {
        return channel;
    }

    public String stackXml() {
        return stackXml;
    }

    public void addListener(OverlayListener l) {
        listeners.add(l);
    }

    public void removeListener(OverlayListener l) {
        listeners.remove(l);
    }

    public void countDrop(DropReason reason) {
        drops.get(reason).increment();
    }

    public OverlayStats stats() {
        Map<DropReason, Long> d = new EnumMap<>(DropReason.class);
        drops.forEach((r, n) -> d.put(r, n.sum()));
        View v = view;
        Map<Integer, Long> byType = new HashMap<>();
        receivedByType.forEach((t, n) -> byType.put(t, n.sum()));
        return new OverlayStats(sent.sum(), received.sum(), delivered.sum(), d, v == null ? 1 : v.size(), byType);
    }

    public void crash() {
        if (closed) return;
        closed = true;
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
        log.info("{}: leaving", label);
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
