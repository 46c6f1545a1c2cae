package dev.convene.overlay.internal;

import dev.convene.overlay.DropReason;
import dev.convene.overlay.Identity;
import dev.convene.overlay.OverlayListener;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.Frame;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jgroups.Address;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is here: the current view, the verified identity and pair session at each member's address, and the
 * directory. An identity is bound to a member only by its signed {@link OverlayMessages.Hello} (checked over
 * that member's address); a frame from an address outside the view is never answered, and an advertisement
 * or a request for one is answered at most {@link #ANSWER_BURST} times at once and {@link #ANSWERS_PER_SECOND}
 * a second per member. Everything keyed by address is evicted when the address leaves the view. Mutated
 * on the event thread only; {@link #isMember} and {@link #sessionAt} are read from any thread.
 */
final class Presence implements InboundGate.Membership {
    private static final Logger log = LoggerFactory.getLogger(Presence.class);
    static final int ANSWER_BURST = 4;
    static final double ANSWERS_PER_SECOND = 1;
    /** A member still without a session is asked again after this long, then twice as long each time, up to {@link #RETRY_MAX_NANOS}. */
    static final long RETRY_FIRST_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    /**
     * The first wait grows by this much per member of the view ({@link #firstWait}): in a forming group every member
     * works through a Hello from each of the others, so the answer to a greeting takes longer the larger the group.
     * Asking again too early is no cheaper than waiting: it costs the member asked a second Hello to check, a request,
     * and its answer. At 100 peers in one JVM a first wait of 1 s made 152-504 signature checks per peer where 99
     * suffice (three runs, load 1-28); 3 s made none more in a run at load 33-45.
     */
    static final long RETRY_PER_MEMBER_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(30);
    static final long RETRY_MAX_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(8);

    /** When a member without a proven binding may be asked again ({@code due}, nanos), and the wait after that. */
    private record Retry(long due, long backoff) {
        Retry {
            if (backoff <= 0) throw new IllegalArgumentException("backoff: expected > 0, got " + backoff);
        }
    }

    /** How presence reaches the network and the listeners. */
    interface Effects {
        /**
         * Sends a MAC'd {@code Confirm} under a new session: the proof of this peer's binding at a member whose
         * {@code Hello} echoed this peer's nonce, when this peer's own {@code Hello} there did not echo the member's.
         */
        void confirm(PeerSession session);

        /**
         * Sends this peer's {@code Hello} with the nonce meant for {@code to} alone, echoing {@code echo} (the
         * nonce {@code to} sent this peer, or zeros).
         *
         * @return false if nothing was sent (this peer's advertisement does not exist yet)
         */
        boolean sendHello(Address to, byte[] nonce, byte[] echo);

        void requestHello(Address to);

        /**
         * Sends {@code to}, unauthenticated, an echo of {@code echoed} (the nonce in its refused {@code Hello}) and
         * this peer's {@code nonce} to it, unless that is more than the {@code answering} bytes it answers.
         */
        void echo(Address to, byte[] echoed, byte[] nonce, int answering);

        void fire(Consumer<OverlayListener> call);

        void drop(DropReason reason);
    }

    private final String label;
    private final Identity identity;
    private final java.security.SecureRandom random = new java.security.SecureRandom();
    /** The nonce this peer sends each member (a different one to each, so only that member learns it). */
    private final Map<Address, byte[]> nonces = new ConcurrentHashMap<>();
    private final DirectoryImpl directory;
    private final NameConflicts names;
    private final Effects effects;
    private final LongSupplier nanos;
    private final Map<Address, PeerSession> sessions = new ConcurrentHashMap<>();
    /**
     * Members whose binding was made by a {@code Hello} echoing this peer's nonce to them, so sent from their
     * address: a {@code Hello} without that echo (a claim by another member) does not replace it.
     */
    private final Set<Address> echoedBindings = ConcurrentHashMap.newKeySet();
    /**
     * The nonce a member sent this peer, learned from an echo of this peer's nonce to it (so from its address)
     * before its {@code Hello} verified here: echoed in this peer's {@code Hello}s to it until then.
     */
    private final Map<Address, byte[]> heard = new ConcurrentHashMap<>();
    private final Map<Address, RateLimiter> answers = new ConcurrentHashMap<>();
    /**
     * Members this peer's {@code Hello} was sent to in their current membership, with the echo that {@code Hello}
     * carried (zeros if none). A new session with a member is answered only if this peer has not yet sent it a
     * {@code Hello} echoing that session's nonce: with a {@code Hello} that echoes it (which proves this peer's
     * binding there), or, if the member's {@code Hello} echoed this peer's nonce (so it holds this peer's
     * {@code Hello}), with a MAC'd {@code Confirm}. Without it every pair exchanged its {@code Hello}s twice.
     */
    private final Map<Address, byte[]> greeted = new ConcurrentHashMap<>();
    /** Members greeted or asked whose binding is not proven yet: at most one ask per member until it is due. */
    private final Map<Address, Retry> retries = new ConcurrentHashMap<>();
    /**
     * True once a {@link #retry} found nothing to ask now or later: every member of the view has a session and no
     * ask is pending. A member gets an entry in {@link #retries} with the view that brings it, kept until a scan finds
     * its session proven, and a proven session is replaced only by a proven one; so only a new view gives the scan
     * work again. A {@code Hello} and an ask clear the flag too (they touch sessions and entries: kept simple rather
     * than argued); a session that a frame confirms meanwhile only removes work.
     * Written on the event thread, read by the timer ({@link #settled()}) so that a settled group's timers do not
     * wake the event thread every {@code RETRY_TICK} for a scan of every member that asks nobody.
     */
    private volatile boolean settled;
    private volatile Set<Address> members = Set.of();
    private volatile View view;
    /** This peer's own address (the channel's; it exists before the first view is handled). */
    private final java.util.function.Supplier<Address> self;

    Presence(String label, Identity identity, DirectoryImpl directory, Effects effects, LongSupplier nanos,
             java.util.function.Supplier<Address> self) {
        this.self = self;
        this.label = label;
        this.identity = identity;
        this.directory = directory;
        this.names = new NameConflicts();
        this.effects = effects;
        this.nanos = nanos;
    }

    /** Remembers a name for conflict reports without reporting it: this peer's, and peers known from earlier runs. */
    void registerName(PeerAdvertisement ad) {
        names.register(ad);
    }

    /** As {@link #registerName(PeerAdvertisement)}, by identity and name: this peer's own, before its channel connects. */
    void registerName(dev.convene.overlay.PeerId id, String name) {
        names.register(id, name);
    }


    @Override
    public boolean isMember(Address a) {
        return members.contains(a);
    }

    @Override
    public PeerSession sessionAt(Address a) {
        return sessions.get(a);
    }

    @Override
    public byte[] nonceSentTo(Address a) {
        return nonces.get(a);
    }

    /**
     * What a {@code Hello} to {@code a} echoes: the nonce learned from its echo (it came from the address), else
     * the nonce of the session at {@code a} (which may be a claim by another member), else zeros.
     */
    private byte[] echoFor(Address a) {
        byte[] h = heard.get(a);
        if (h != null) return h.clone();
        PeerSession s = sessions.get(a);
        return s == null ? new byte[OverlayMessages.Hello.ECHO_LENGTH] : s.theirNonce();
    }

    /** Any thread (the gate's): answers a {@code Hello} refused unchecked with an echo of its nonce. */
    @Override
    public void refusedHello(Address src, byte[] theirNonce, int length) {
        if (!isMember(src) || src.equals(self.get())) return;
        effects.echo(src, theirNonce, nonceFor(src), length);
    }

    /**
     * An echo of this peer's nonce from member {@code src} (checked by the gate): {@code nonce} is the one src sent
     * this peer. Remembered and echoed at once in this peer's {@code Hello} (with a request for src's), so src
     * charges it to the budget that frames forged in this peer's name cannot spend; once per nonce.
     */
    void onEcho(Address src, byte[] nonce) {
        if (!isMember(src)) return;
        // Even if src's binding is proven here: the echo says src refused this peer's Hello, so this peer's own binding
        // is not proven there (src sends echoes only while it is not).
        byte[] known = heard.get(src);
        if (known != null && java.util.Arrays.equals(known, nonce)) return;
        heard.put(src, nonce.clone());
        ask(src, firstWait(), nanos.getAsLong());
    }

    /** The session with an online peer, or null. */
    PeerSession sessionWith(PeerId id) {
        Address a = directory.addressOf(id);
        return a == null ? null : sessions.get(a);
    }

    View view() {
        return view;
    }

    Set<PeerId> peers() {
        Set<PeerId> out = new HashSet<>();
        sessions.values().forEach(s -> out.add(s.peer()));
        return out;
    }

    Set<Address> members() {
        return members;
    }

    int sessionCount() {
        return sessions.size();
    }

    /**
     * True if {@link #retry} has nothing to do until a view, a {@code Hello} or an ask arrives (any thread: the timer
     * skips its tick then; the flag is cleared on the event thread before such an event is handled, so a tick read
     * just before is at most one tick late).
     */
    boolean settled() {
        return settled;
    }

    /** Members awaiting an answer (bounded by the view). */
    int retryCount() {
        return retries.size();
    }

    /**
     * A verified {@code Hello} from member {@code src}; {@code echoed} if it echoed the nonce this peer sent
     * to {@code src} (so it came from there).
     *
     * @return true if it opened a new session (frames held for {@code src} may now be admitted)
     */
    boolean onHello(Address src, Frame frame, OverlayMessages.Hello hello, boolean echoed) {
        settled = false; // it may replace a session with an unproven one, or drop one (a new member asks again)
        PeerAdvertisement ad = hello.ad();
        if (!ad.id().equals(frame.signer())) {
            effects.drop(DropReason.SIGNER_MISMATCH);
            log.debug("{}: advertisement for {} signed by {}", label, ad.id(), frame.signer());
            return false;
        }
        if (ad.id().equals(identity.id())) {
            effects.drop(DropReason.REJECTED); // our own identity from another address: a clone or a replay
            log.warn("{}: another process at {} uses this peer's identity; stop one of them", label, src);
            return false;
        }
        if (!isMember(src)) {
            effects.drop(DropReason.NOT_MEMBER); // left between the gate and here
            return false;
        }
        PeerId bound = directory.peerAt(src);
        PeerSession current = sessions.get(src);
        if (bound != null && !bound.equals(ad.id())) {
            if (current != null && current.confirmed() || !echoed && echoedBindings.contains(src)) {
                // Proven by a frame, or made by a Hello that came from the address: a claim does not replace it.
                effects.drop(DropReason.SIGNER_MISMATCH);
                log.debug("{}: {} is bound to {}, not {}", label, src, bound, ad.id());
                return false;
            }
            // Claimed but never proven by a frame (only the member at that address learns the nonce sent to it):
            // a later Hello from the address replaces the claim.
            log.debug("{}: unproven binding of {} to {} replaced by {}", label, src, bound, ad.id());
            sessions.remove(src);
            echoedBindings.remove(src);
            current = null;
            directory.remove(src).ifPresent(old -> effects.fire(l -> l.peerLeft(old)));
        }
        boolean fresh = current == null || !current.sameSession(hello.session()) || !current.peer().equals(ad.id());
        if (fresh && !echoed && current != null && current.confirmed()) {
            // A proven session is replaced only by a Hello echoing this peer's nonce to src: a signed Hello of the
            // same member made for another receiver (replayed with src forged by that receiver) carries the nonce
            // meant for it and does not echo ours. An honest member with a new nonce echoes this peer's Hello,
            // sent in answer (within the budget), and that Hello replaces the session (SECURITY.md 2.1).
            effects.drop(DropReason.REPLAYED);
            log.debug("{}: proven session with {} kept; a Hello not echoing our nonce", label, src);
            answer(src);
            return false;
        }
        if (fresh) {
            try {
                sessions.put(src, PeerSession.derive(identity, nonceFor(src), ad, hello.session(), src));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                effects.drop(DropReason.REJECTED);
                log.debug("{}: unusable agreement key from {}: {}", label, src, e.toString());
                return false;
            }
        }
        PeerSession session = sessions.get(src);
        if (echoed) {
            // Signed by the identity it names, over src's address, and echoing the nonce only the process at src
            // received: the binding is proven as a MAC'd frame would prove it (SECURITY.md 2.1).
            echoedBindings.add(src);
            session.confirm();
        }
        boolean joined = directory.put(ad, src);
        List<PeerAdvertisement> conflicts = names.add(ad, directory);
        for (PeerAdvertisement other : conflicts) {
            log.warn("{}: {} uses a name confusable with that of {} with another key (fingerprints {} and {}); names are not identity",
                    label, ad.id().shortId(), other.id().shortId(), ad.fingerprint(), other.fingerprint());
            effects.fire(l -> l.peerNameConflict(ad, other));
        }
        if (joined) {
            log.info("{}: {} joined", label, ad.id().shortId());
            log.debug("{}: {} ({}) joined from {}", label, ad.id().shortId(), ad.name(), ad.endpoint()); // the endpoint may carry the name
            effects.fire(l -> l.peerJoined(ad));
        }
        // This peer's binding at src is proven there once src verifies a Hello of this peer echoing src's nonce, or
        // a MAC'd frame. Until this peer has sent src a Hello echoing src's nonce, answer: a new session whose Hello
        // echoed this peer's nonce (src holds this peer's Hello, which did not echo src's) with a Confirm; anything
        // else with a Hello echoing src's nonce, within the budget: src may not know this peer's session at all (its
        // Hello can be lost in a view race, refused for the budget, or was never sent), and a repeated Hello is src
        // asking again (its retry: the Confirm or this peer's Hello did not arrive). Once that Hello is sent, a
        // repeat is not answered, so two peers never answer each other for ever.
        if (!provenAt(src, hello.session())) {
            if (fresh && echoed && greeted.containsKey(src)) effects.confirm(session);
            else answer(src);
        }
        return fresh;
    }

    /** A verified request for this peer's advertisement from member {@code src}. */
    void onRequest(Address src) {
        if (!isMember(src)) {
            effects.drop(DropReason.NOT_MEMBER);
            return;
        }
        answer(src);
    }

    /**
     * A member sent a MAC'd frame before its key was known (or one failing the MAC of an unproven binding):
     * ask it for its {@code Hello}, unless it was asked and the answer is not due yet (then {@link #retry}
     * asks again). Frames that race a {@code Hello} thus cost one ask, not one each.
     */
    void askFor(Address src) {
        if (!isMember(src) || src.equals(self.get())) return;
        long now = nanos.getAsLong();
        Retry r = retries.get(src);
        if (r != null && now - r.due() < 0) return;
        ask(src, r == null ? firstWait() : r.backoff(), now);
    }

    /**
     * The timer's turn: asks again every member of the view still without a session, or with one no frame has
     * proven yet, whose answer is due,
     * waiting twice as long each time (up to {@link #RETRY_MAX_NANOS}), until a {@code Hello} from it arrives
     * or it leaves the view. A lost {@code Hello} (or request) is thus recovered while no other frame flows.
     */
    void retry() {
        retry(false);
    }

    /**
     * As {@link #retry()}; {@code busy}: frames wait in this peer's own queue, the answers perhaps among them, so
     * only a member overdue by {@link #RETRY_MAX_NANOS} is asked now (a flood cannot hold a retry off for longer).
     * Under load the answer to a greeting takes longer than the first wait (the queues of both sides are long), and
     * asking then costs the other side a second {@code Hello} to check, a request and an answer: more load.
     */
    void retry(boolean busy) {
        if (settled) return;
        long now = nanos.getAsLong();
        Address me = self.get();
        for (Address a : members) {
            if (a.equals(me)) continue;
            PeerSession s = sessions.get(a);
            if (s != null && s.confirmed()) {
                retries.remove(a); // proven: nothing more to ask
                continue;
            }
            Retry r = retries.get(a);
            if (r == null) {
                // An unproven binding without an entry was never asked for: its member answered our greeting.
                if (s == null) retries.put(a, new Retry(now + firstWait(), firstWait()));
            } else if (now - r.due() >= (busy ? RETRY_MAX_NANOS : 0)) {
                // No session, or one that no frame has proven yet (a claim by another member may sit at the address,
                // and the real member's frames fail its MAC): ask again, so the real member's Hello replaces it.
                ask(a, r.backoff(), now);
            }
        }
        retries.keySet().retainAll(members);
        // Every member has a session (one without got an entry above) and nobody waits for an answer: until a view, a
        // Hello or an ask, every later scan would do nothing. An unproven session without an entry is never asked by
        // the scan (its member answered this peer's greeting; a frame failing its MAC asks through askFor).
        settled = retries.isEmpty();
    }

    /**
     * Sends {@code a} this peer's {@code Hello} (new to it if its earlier one was lost: it answers with its own)
     * and a request for its {@code Hello} (in case only its answer was lost). Paced by {@link #retries}, not
     * charged to the answer budget.
     */
    private void ask(Address a, long backoff, long now) {
        log.debug("{}: asking {} for its Hello (next in {} ms)", label, a, backoff / 1_000_000);
        settled = false;
        greet(a);
        effects.requestHello(a);
        retries.put(a, new Retry(now + backoff, Math.min(RETRY_MAX_NANOS, backoff * 2)));
    }

    /** The first wait for an answer: {@link #RETRY_FIRST_NANOS}, or more in a large view (at most {@link #RETRY_MAX_NANOS}). */
    long firstWait() {
        return Math.min(RETRY_MAX_NANOS, Math.max(RETRY_FIRST_NANOS, members.size() * RETRY_PER_MEMBER_NANOS));
    }

    private void answer(Address src) {
        if (spend(src)) {
            greet(src);
        } else {
            effects.drop(DropReason.AD_BUDGET);
        }
    }

    private void greet(Address a) {
        byte[] echo = echoFor(a);
        if (effects.sendHello(a, nonceFor(a), echo)) greeted.put(a, echo);
    }

    /** True if this peer's last {@code Hello} to {@code a} echoed {@code theirNonce} (so proves this peer there). */
    private boolean provenAt(Address a, byte[] theirNonce) {
        byte[] sent = greeted.get(a);
        return sent != null && java.security.MessageDigest.isEqual(sent, theirNonce);
    }

    private byte[] nonceFor(Address member) {
        return nonces.computeIfAbsent(member, a -> {
            byte[] n = new byte[PeerSession.NONCE_LENGTH];
            random.nextBytes(n);
            return n;
        });
    }

    private boolean spend(Address src) {
        return answers.computeIfAbsent(src, a -> new RateLimiter(ANSWERS_PER_SECOND, ANSWER_BURST, nanos.getAsLong()))
                .tryAcquire(nanos.getAsLong());
    }

    /**
     * Installs a view: forgets everything about members that left and greets the joiners.
     *
     * @return the addresses that left
     */
    List<Address> onView(View v, boolean first) {
        View old = this.view;
        if (old != null && v.getViewId().compareTo(old.getViewId()) <= 0) {
            if (!first) return List.of();
            // The announcement queued after connect() carries the view of that moment; a newer view may have
            // been handled since. Rolling back to the older one would mark its newer members as left (and
            // nothing would mark them online again), so announce to the newest view instead.
            v = old;
        }
        this.view = v;
        this.settled = false; // joiners to greet and ask, or a merge that replaces members
        this.members = Set.copyOf(v.getMembers());
        // Sets, not View.containsMember (a scan of the view): each view of n members is compared with the last in O(n),
        // not O(n^2); a group of 100 forming in one JVM installs about 100 views at each of its 100 peers.
        Set<Address> before = old == null ? Set.of() : Set.copyOf(old.getMembers());
        List<Address> joiners = new ArrayList<>();
        for (Address a : v.getMembers()) {
            if (a.equals(self.get())) continue;
            if (first || old == null || !before.contains(a)) joiners.add(a);
        }
        List<Address> left = new ArrayList<>();
        if (old != null) {
            for (Address a : old.getMembers()) {
                if (members.contains(a)) continue;
                left.add(a);
                sessions.remove(a);
                echoedBindings.remove(a);
                heard.remove(a);
                directory.remove(a).ifPresent(ad -> {
                    log.info("{}: {} left", label, ad.id().shortId());
                    effects.fire(l -> l.peerLeft(ad));
                });
            }
        }
        answers.keySet().retainAll(members);
        sessions.keySet().retainAll(members);
        echoedBindings.retainAll(members);
        heard.keySet().retainAll(members);
        nonces.keySet().retainAll(members);
        retries.keySet().retainAll(members);
        greeted.keySet().retainAll(members);
        // Greeting a joiner is this peer's own doing, once per address per membership: not charged to the
        // answer budget (a remote Hello or request is). If the greeting is lost, retry() asks again.
        // Of each pair the member older in the view greets first; the younger waits for that Hello and answers it
        // with one echoing its nonce, which proves the younger's binding at once, so the older proves its own with
        // one Confirm: three frames per pair, where crossing Hellos cost four. A member whose Hello arrived while
        // this peer could not answer (its advertisement did not exist yet) is answered now. Views list members in
        // the order they joined, the same at every member; if a merge disagrees, the retry asks.
        List<Address> order = v.getMembers();
        int selfIndex = order.indexOf(self.get());
        long now = nanos.getAsLong();
        long firstWait = firstWait();
        for (Address a : joiners) {
            PeerSession s = sessions.get(a);
            // The announcement after connect() names every member; those greeted by a view handled since are not
            // greeted twice.
            boolean younger = selfIndex < 0 || order.indexOf(a) > selfIndex;
            if (s != null ? !provenAt(a, s.theirNonce()) : younger && !greeted.containsKey(a)) greet(a);
            if (s == null) retries.put(a, new Retry(now + firstWait, firstWait));
        }
        return left;
    }
}
