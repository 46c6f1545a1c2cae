package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.DropReason;
import dev.convene.overlay.Identity;
import dev.convene.overlay.OverlayListener;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.wire.Frame;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two {@link Presence}s wired to each other through a queue that can lose frames, on a fake clock: a lost
 * {@code Hello} (or a lost answer) is recovered by {@link Presence#retry}, with backoff, and racing frames cost
 * one ask, not one each.
 */
class PresenceRetryTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** A signed frame in flight: a Hello (with its nonce) or a request for one. */
    private record Sent(Side from, Side to, byte[] helloNonce) {
    }

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final Deque<Sent> wire = new ArrayDeque<>();
    private final List<Sent> log = new ArrayList<>();
    private Predicate<Sent> lose = s -> false;

    private final class Side {
        final Identity identity = Identity.generate();
        final Address address = UUID.randomUUID();
        final PeerAdvertisement ad = new PeerAdvertisement(identity.id(), "p", identity.signingKey(), identity.agreementKey(),
                "memory:p", Set.of(), Instant.EPOCH);
        final List<DropReason> drops = new ArrayList<>();
        Side other;
        final Presence presence = new Presence("t", identity, new DirectoryImpl(identity.id()), new Presence.Effects() {
            @Override
            public void confirm(PeerSession session) {
            }

            @Override
            public boolean sendHello(Address to, byte[] nonce, byte[] echo) {
                send(new Sent(Side.this, other, nonce.clone()));
                return true;
            }

            @Override
            public void echo(Address to, byte[] echoed, byte[] nonce, int answering) {
            }

            @Override
            public void requestHello(Address to) {
                send(new Sent(Side.this, other, null));
            }

            @Override
            public void fire(Consumer<OverlayListener> call) {
            }

            @Override
            public void drop(DropReason reason) {
                drops.add(reason);
            }
        }, now::get, () -> address);

        PeerSession session() {
            return presence.sessionAt(other.address);
        }
    }

    private void send(Sent s) {
        log.add(s);
        if (!lose.test(s)) wire.add(s);
    }

    /** Delivers everything in flight, and what that causes, in order. */
    private void pump() {
        Sent s;
        while ((s = wire.poll()) != null) {
            if (s.helloNonce() == null) {
                s.to().presence.onRequest(s.from().address);
            } else {
                OverlayMessages.Hello hello = new OverlayMessages.Hello(s.from().ad, s.helloNonce());
                Frame frame = new Frame(OverlayMessages.HELLO, hello, s.from().identity.id(), s.from().identity.signingKey());
                s.to().presence.onHello(s.from().address, frame, hello, false);
            }
        }
    }

    private Side[] pairInOneView() {
        Side a = new Side();
        Side b = new Side();
        a.other = b;
        b.other = a;
        View v = View.create(a.address, 1, a.address, b.address);
        a.presence.onView(v, true);
        b.presence.onView(v, true);
        return new Side[] {a, b};
    }

    private static void assertBound(Side x, Side y) throws Exception {
        assertThat(x.session()).as("session at x").isNotNull();
        assertThat(y.session()).as("session at y").isNotNull();
        // Both derived the same pair of keys: each side's send key is the other's receive key.
        assertThat(x.session().sendKey()).isEqualTo(y.session().receiveKey());
        assertThat(y.session().sendKey()).isEqualTo(x.session().receiveKey());
    }

    @Test
    void bothGreetingsLostAreRecoveredByTheRetryAfterASecond() throws Exception {
        lose = s -> true;
        Side[] p = pairInOneView();
        Side a = p[0];
        Side b = p[1];
        pump();
        assertThat(a.session()).isNull();
        lose = s -> false;

        now.addAndGet(SECOND / 2);
        a.presence.retry();
        b.presence.retry();
        assertThat(wire).as("nothing asked before the first retry is due").isEmpty();

        now.addAndGet(SECOND / 2);
        a.presence.retry();
        pump();
        assertBound(a, b);
        assertThat(a.drops).isEmpty();
        assertThat(b.drops).isEmpty();
    }

    @Test
    void aLostAnswerIsRecoveredByTheRequestThatGoesWithTheRetry() throws Exception {
        Side a0 = new Side();
        Side b0 = new Side();
        // b's Hellos to a are lost (its greeting and its answer to a's greeting): b is bound, a is not.
        lose = s -> s.from() == b0 && s.helloNonce() != null;
        a0.other = b0;
        b0.other = a0;
        View v = View.create(a0.address, 1, a0.address, b0.address);
        a0.presence.onView(v, true);
        b0.presence.onView(v, true);
        pump();
        assertThat(b0.session()).isNotNull();
        assertThat(a0.session()).isNull();
        lose = s -> false;

        now.addAndGet(SECOND);
        a0.presence.retry();
        pump();
        assertBound(a0, b0);
        assertThat(b0.drops).isEmpty();
    }

    @Test
    void retriesBackOffWhileEverythingIsLostAndStopOnceBound() throws Exception {
        lose = s -> true;
        Side[] p = pairInOneView();
        Side a = p[0];
        Side b = p[1];
        List<Long> askedAt = new ArrayList<>();
        for (int tick = 0; tick < 4 * 20; tick++) { // 20 s in quarter seconds
            now.addAndGet(SECOND / 4);
            int before = log.size();
            a.presence.retry();
            if (log.size() > before) askedAt.add(now.get());
        }
        // Asked at 1 s, then after 1, 2, 4, 8 s (capped at 8): 1, 2, 4, 8, 16 s after the greeting.
        assertThat(askedAt).hasSize(5);
        for (int i = 1; i < askedAt.size(); i++) {
            long gap = askedAt.get(i) - askedAt.get(i - 1);
            assertThat(gap).isEqualTo(Math.min(8, 1L << (i - 1)) * SECOND);
        }
        lose = s -> false;
        wire.clear();
        now.addAndGet(8 * SECOND);
        a.presence.retry();
        pump();
        assertBound(a, b);
        a.session().confirm();
        b.session().confirm();
        int sent = log.size();
        for (int tick = 0; tick < 4 * 20; tick++) {
            now.addAndGet(SECOND / 4);
            a.presence.retry();
            b.presence.retry();
        }
        assertThat(log).as("no ask once bound").hasSize(sent);
        assertThat(a.presence.retryCount()).isZero();
        assertThat(b.presence.retryCount()).isZero();
    }

    @Test
    void framesRacingAHelloCostOneAskUntilItIsDue() {
        lose = s -> true;
        Side[] p = pairInOneView();
        Side a = p[0];
        Side b = p[1];
        int greetings = log.size();
        for (int i = 0; i < 50; i++) a.presence.askFor(b.address); // 50 MAC'd frames from b before its Hello
        assertThat(log).as("no ask before the greeting's answer is due").hasSize(greetings);
        now.addAndGet(SECOND);
        for (int i = 0; i < 50; i++) a.presence.askFor(b.address);
        assertThat(log).as("one Hello and one request").hasSize(greetings + 2);
        assertThat(a.drops).isEmpty();
    }

    @Test
    void aMemberOutsideTheViewIsNeverAskedAndLeavingForgetsTheRetry() {
        lose = s -> true;
        Side[] p = pairInOneView();
        Side a = p[0];
        Side b = p[1];
        assertThat(a.presence.retryCount()).isEqualTo(1);
        a.presence.onView(View.create(a.address, 2, a.address), false);
        assertThat(a.presence.retryCount()).isZero();
        int sent = log.size();
        now.addAndGet(30 * SECOND);
        a.presence.retry();
        a.presence.askFor(b.address);
        assertThat(log).hasSize(sent);
    }
    @Test
    void inALargeViewTheFirstAskWaitsLonger() {
        lose = s -> true;
        Side a = new Side();
        Side b = new Side();
        a.other = b;
        b.other = a;
        // A view of 100: b and 98 others that never answer (only b's frames are modelled).
        List<Address> members = new ArrayList<>(List.of(a.address, b.address));
        for (int i = 0; i < 98; i++) members.add(UUID.randomUUID());
        a.presence.onView(new View(new org.jgroups.ViewId(a.address, 1), members), true);
        assertThat(a.presence.firstWait()).isEqualTo(100 * Presence.RETRY_PER_MEMBER_NANOS);
        int greetings = log.size();
        for (int tick = 0; tick < 11; tick++) { // up to 2.75 s
            now.addAndGet(SECOND / 4);
            a.presence.retry();
        }
        assertThat(log).as("nobody asked before 3 s in a view of 100").hasSize(greetings);
        now.addAndGet(SECOND / 4);
        a.presence.retry();
        assertThat(log.size()).as("each of the 99 asked (a Hello and a request) at 3 s").isEqualTo(greetings + 2 * 99);
    }

    @Test
    void aBusyPeerHoldsItsRetriesOffUntilTheyAreOverdue() {
        lose = s -> true;
        Side[] p = pairInOneView();
        Side a = p[0];
        int greetings = log.size();
        now.addAndGet(SECOND);
        a.presence.retry(true);
        assertThat(log).as("due, but frames wait in a's own queue").hasSize(greetings);
        now.addAndGet(Presence.RETRY_MAX_NANOS - SECOND / 4);
        a.presence.retry(true);
        assertThat(log).hasSize(greetings);
        now.addAndGet(SECOND / 4);
        a.presence.retry(true);
        assertThat(log).as("overdue by the longest wait: asked even while busy").hasSize(greetings + 2);
    }

    /** Binds a and b (Hellos delivered, both sessions proven as a frame or an echoed Hello proves them) and settles both. */
    private Side[] settledPair() throws Exception {
        Side[] p = pairInOneView();
        pump();
        assertBound(p[0], p[1]);
        p[0].session().confirm();
        p[1].session().confirm();
        for (Side x : p) {
            assertThat(x.presence.settled()).as("not settled before a scan").isFalse();
            x.presence.retry();
            assertThat(x.presence.settled()).as("every member proven, nothing pending").isTrue();
        }
        return p;
    }

    @Test
    void aSettledPeerStillAsksAJoinerWhoseGreetingWasLost() throws Exception {
        Side[] p = settledPair();
        Side a = p[0];
        Side b = p[1];
        lose = s -> true;
        int sent = log.size();
        for (int tick = 0; tick < 8; tick++) { // settled: two seconds of ticks ask nobody
            now.addAndGet(SECOND / 4);
            a.presence.retry();
        }
        assertThat(log).hasSize(sent);
        Address c = UUID.randomUUID();
        a.presence.onView(View.create(a.address, 2, a.address, b.address, c), false);
        assertThat(a.presence.settled()).as("a joiner to prove").isFalse();
        assertThat(log).as("a greets the joiner (lost)").hasSize(sent + 1);
        now.addAndGet(a.presence.firstWait());
        a.presence.retry();
        assertThat(log).as("the joiner asked again once due: a Hello and a request").hasSize(sent + 3);
        assertThat(a.presence.settled()).isFalse();
    }

    @Test
    void aMemberThatLeftAndCameBackIsAskedAgainAfterItsPeerSettled() throws Exception {
        Side[] p = settledPair();
        Side a = p[0];
        Side b = p[1];
        lose = s -> true;
        a.presence.onView(View.create(a.address, 2, a.address), false);
        assertThat(a.session()).isNull();
        a.presence.retry();
        assertThat(a.presence.settled()).as("alone: nothing to ask").isTrue();
        // b comes back (a merge) but its Hello is lost: a, older, greets it and must ask again when due.
        a.presence.onView(View.create(a.address, 3, a.address, b.address), false);
        int sent = log.size();
        now.addAndGet(a.presence.firstWait());
        a.presence.retry();
        assertThat(log).as("asked again: a Hello and a request").hasSize(sent + 2);
        lose = s -> false;
        now.addAndGet(2 * a.presence.firstWait());
        a.presence.retry();
        pump();
        assertThat(a.session()).as("b's answer to the next ask binds it again").isNotNull();
    }
}
