package dev.convene.overlay;

import dev.convene.overlay.internal.OverlayCore;
import dev.convene.overlay.wire.MessageType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * A peer on the Convene overlay: one JGroups channel carrying typed messages between verified peers, each
 * frame authenticated to its sender (a signed advertisement binds an identity to a view member, then a MAC
 * under a key the two peers share), with a {@link Directory} of who is online.
 *
 * <pre>{@code
 * Overlay overlay = Overlay.builder(OverlayConfig.builder("alice").home(home).build(), Identity.loadOrCreate(home))
 *         .handle(MY_TYPE, (from, msg) -> ...)
 *         .listener(new OverlayListener() { ... })
 *         .start();
 * overlay.send(peerId, new MyMessage(...));
 * overlay.close();
 * }</pre>
 *
 * <p>Lifecycle: {@link Builder#start()} joins the group (it returns once this peer is a member);
 * {@link #close()} leaves it gracefully. Message types are a closed set fixed before start.
 *
 * <p>Delivery: every send is a reliable, FIFO unicast (JGroups UNICAST3) to each addressed peer, so
 * order holds per sender and receiver whatever mix of {@link #send}, {@link #multicast} and
 * {@link #broadcast} is used. A message is never delivered back to its sender by {@code multicast} or
 * {@code broadcast}; {@code send} to oneself is delivered locally. Sends never wait for the network: each
 * frame goes into a bounded queue per receiver; a receiver that does not read gets its frames dropped (and
 * counted in {@link OverlayStats#outboundDropped()}) once its queue is full, without slowing the others.
 *
 * <p>Threading: the send methods may be called from any thread. Handlers and listeners run on one event
 * thread per overlay, in order, never on a JGroups thread.
 */
public final class Overlay implements AutoCloseable {
    private final OverlayCore core;

    private Overlay(OverlayCore core) {
        this.core = core;
    }

    /**
     * Starts building an overlay peer.
     *
     * @param config the configuration
     * @param identity this peer's keys
     * @return a builder
     */
    public static Builder builder(OverlayConfig config, Identity identity) {
        return new Builder(config, identity);
    }

    /**
     * This peer's id.
     *
     * @return this peer's id
     */
    public PeerId self() {
        return core.self();
    }

    /**
     * This peer's identity (keys).
     *
     * @return this peer's identity (keys)
     */
    public Identity identity() {
        return core.identity();
    }

    /**
     * The configuration it started with.
     *
     * @return the configuration it started with
     */
    public OverlayConfig config() {
        return core.config();
    }

    /**
     * This peer's own current advertisement.
     *
     * @return this peer's own current advertisement
     */
    public PeerAdvertisement advertisement() {
        return core.selfAdvertisement();
    }

    /**
     * The transport address other peers reach this one at: {@code 127.0.0.1:7801} over TCP or UDP,
     * {@code relay:HOST:PORT,...} (its routers) in relay mode, {@code memory:NAME} in memory mode.
     *
     * @return the address, for people
     */
    public String listeningAddress() {
        return core.endpoint();
    }

    /**
     * The verified peers.
     *
     * @return the verified peers
     */
    public Directory directory() {
        return core.directory();
    }

    /**
     * This peer's {@link ContactCard}, to hand to someone who has never been online at the same time.
     *
     * @return the card's text
     */
    public String contactCard() {
        return ContactCard.create(core.identity(), core.config().name(), core.config().clock().instant());
    }

    /**
     * Makes the peer of a {@link ContactCard} known (offline until it advertises itself), so that it can be
     * invited now. A peer already known is left as it is. Not kept across restarts by the overlay.
     *
     * @param card the card's text
     * @return the verified advertisement it carries
     * @throws IllegalArgumentException if the card is malformed or its signature does not verify, or it is this
     *     peer's own card
     */
    public PeerAdvertisement addContact(String card) {
        PeerAdvertisement ad = ContactCard.parse(card);
        if (ad.id().equals(self())) throw new IllegalArgumentException("contact card: it is this peer's own");
        core.directory().addKnown(ad);
        return ad;
    }

    /**
     * Queues a message for one peer, to be sent reliably and in order; returns at once.
     *
     * @param to the peer
     * @param message an instance of a registered message type
     * @throws OverlayException if the peer is not online, the message type is not registered, the message is
     *     over the frame cap, or this peer has stopped (a full queue drops the frame and counts it instead)
     */
    public void send(PeerId to, Object message) {
        core.send(to, message);
    }

    /**
     * Sends one message to each online peer of {@code to} (this peer skipped), encoding it once.
     *
     * @param to the peers
     * @param message an instance of a registered message type
     * @return the peers it was sent to; the others were offline
     */
    public Set<PeerId> multicast(Collection<PeerId> to, Object message) {
        return core.multicast(to, message);
    }

    /**
     * Sends a message to every online peer. Returns the peers it was sent to.
     *
     * @param message an instance of a registered message type
     * @return the peers it was sent to
     */
    public Set<PeerId> broadcast(Object message) {
        return core.multicast(core.directory().online().stream().map(PeerAdvertisement::id).toList(), message);
    }

    /**
     * Adds a presence listener (also possible before start through the builder).
     *
     * @param listener the listener
     */
    public void addListener(OverlayListener listener) {
        core.addListener(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     */
    public void removeListener(OverlayListener listener) {
        core.removeListener(listener);
    }

    /**
     * The executor that runs this overlay's callbacks, one task at a time in submission order. Layers above
     * may run their own state changes on it to stay in order with presence events and messages.
     *
     * @return the event executor
     */
    public Executor eventExecutor() {
        return core.eventExecutor();
    }

    /**
     * Counts a frame that a layer above refused outside a handler.
     *
     * @param reason why it was refused
     */
    public void countDrop(DropReason reason) {
        core.countDrop(reason);
    }

    /**
     * Counters since start.
     *
     * @return counters since start
     */
    public OverlayStats stats() {
        return core.stats();
    }

    /**
     * The JGroups stack this peer runs, as XML, for diagnostics.
     *
     * @return the JGroups stack this peer runs, as XML, for diagnostics
     */
    public String stackDescription() {
        return core.stackXml();
    }

    /**
     * Stops as a killed process would: no goodbye, the others find out through failure detection. For
     * fault tests; the overlay cannot be used afterwards.
     */
    public void crash() {
        core.crash();
    }

    /** Leaves the group gracefully and stops the event thread. Idempotent. */
    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "Overlay[" + core.config().name() + " " + self().shortId() + "]";
    }

    /**
     * The implementation, for bad-input tests that must send raw or forged frames ({@code OverlayCore.sendRaw},
     * {@code encodeAs}). Package-private on purpose: tests reach it through {@code OverlayTestHooks} in the
     * overlay test-jar; it is not API.
     */
    OverlayCore core() {
        return core;
    }

    /** Collects message types, handlers and listeners, then starts the peer. Not thread-safe. */
    public static final class Builder {
        private final OverlayConfig config;
        private final Identity identity;
        private final Map<MessageType<?>, MessageHandler<?>> handlers = new LinkedHashMap<>();
        private final List<OverlayListener> listeners = new ArrayList<>();
        private final List<PeerAdvertisement> known = new ArrayList<>();
        private AddressCache addressCache;

        private Builder(OverlayConfig config, Identity identity) {
            this.config = config;
            this.identity = identity;
        }

        /**
         * Registers a message type with the handler for incoming messages of it.
         *
         * @param <T> the message class
         * @param type the message type (id, class, codec)
         * @param handler what receives its messages, on the event thread
         * @return this builder
         */
        public <T> Builder handle(MessageType<T> type, MessageHandler<? super T> handler) {
            if (handlers.keySet().stream().anyMatch(t -> t.id() == type.id())) {
                throw new IllegalArgumentException("type id " + type.id() + " registered twice");
            }
            handlers.put(type, handler);
            return this;
        }

        /**
         * Peers remembered from earlier runs (a directory cache kept by the layer above): they are known,
         * with their keys, but offline until they advertise again.
         *
         * @param peers their advertisements
         * @return this builder
         */
        public Builder knownPeers(java.util.Collection<PeerAdvertisement> peers) {
            known.addAll(peers);
            return this;
        }

        /**
         * Where to remember the addresses of peers seen, instead of the default file {@code HOME/known-peers}.
         *
         * @param cache the cache; see its threading rules
         * @return this builder
         */
        public Builder addressCache(AddressCache cache) {
            this.addressCache = java.util.Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * Adds a presence listener, in place before the first event.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(OverlayListener listener) {
            listeners.add(listener);
            return this;
        }

        /**
         * Joins the group and returns once this peer is a member.
         *
         * @return the running overlay
         * @throws OverlayException if the stack cannot start (address in use, bad address), saying what to do
         */
        public Overlay start() {
            return new Overlay(OverlayCore.start(config, identity, handlers, listeners, known, addressCache));
        }
    }
}
