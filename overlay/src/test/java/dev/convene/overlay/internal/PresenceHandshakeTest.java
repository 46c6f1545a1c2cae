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
import java.util.Arrays;
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
 * The handshake's shape, two {@link Presence}s wired through a queue on a fake clock: the member older in the view
 * greets, the younger answers with a {@code Hello} echoing the older's nonce (which proves the younger's binding at
 * once), and the older proves its own with one {@code Confirm}: three frames. A {@code Hello} counts as echoed only if
 * it echoes the nonce the receiver sent to the sender's address (as the gate decides), and a {@code Confirm} proves a
 * binding only under the pair's keys (as its MAC would).
 */
class PresenceHandshakeTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private enum Kind { HELLO, REQUEST, CONFIRM }

    /** A frame in flight: a Hello (nonce and echo), a request, or a Confirm (the sender's send key). */
    private record Sent(Kind kind, Side from, Side to, byte[] nonce, byte[] echo, byte[] key) {
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
                send(new Sent(Kind.CONFIRM, Side.this, other, null, null, session.sendKey()));
            }

            @Override
            public boolean sendHello(Address to, byte[] nonce, byte[] echo) {
                send(new Sent(Kind.HELLO, Side.this, other, nonce.clone(), echo.clone(), null));
                return true;
            }

            @Override
            public void echo(Address to, byte[] echoed, byte[] nonce, int answering) {
            }

            @Override
            public void requestHello(Address to) {
                send(new Sent(Kind.REQUEST, Side.this, other, null, null, null));
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

        boolean proven() {
            return session() != null && session().confirmed();
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
            Presence to = s.to().presence;
            Address src = s.from().address;
            switch (s.kind()) {
                case REQUEST -> to.onRequest(src);
                case HELLO -> {
                    OverlayMessages.Hello hello = new OverlayMessages.Hello(s.from().ad, s.nonce(), s.echo());
                    Frame frame = new Frame(OverlayMessages.HELLO, hello, s.from().identity.id(), s.from().identity.signingKey());
                    byte[] sent = to.nonceSentTo(src);
                    to.onHello(src, frame, hello, sent != null && Arrays.equals(sent, s.echo()));
                }
                case CONFIRM -> {
                    PeerSession session = to.sessionAt(src);
                    if (session != null && Arrays.equals(session.receiveKey(), s.key())) session.confirm(); // its MAC verifies
                }
            }
        }
    }

    private Side[] pair() {
        Side a = new Side();
        Side b = new Side();
        a.other = b;
        b.other = a;
        return new Side[] {a, b};
    }

    private static void assertProven(Side x, Side y) {
        assertThat(x.proven()).as("x proven").isTrue();
        assertThat(y.proven()).as("y proven").isTrue();
        assertThat(x.session().sendKey()).isEqualTo(y.session().receiveKey());
        assertThat(y.session().sendKey()).isEqualTo(x.session().receiveKey());
    }

    private List<Kind> kinds() {
        return log.stream().map(Sent::kind).toList();
    }

    @Test
    void theOlderGreetsTheYoungerEchoesAndTheOlderConfirms() {
        Side[] p = pair();
        Side older = p[0];
        Side younger = p[1];
        View v = View.create(older.address, 1, older.address, younger.address);
        younger.presence.onView(v, true);
        assertThat(log).as("the younger waits for the older's Hello").isEmpty();
        older.presence.onView(v, true);
        pump();
        assertThat(kinds()).containsExactly(Kind.HELLO, Kind.HELLO, Kind.CONFIRM);
        assertThat(log.get(0).from()).isSameAs(older);
        assertThat(log.get(0).echo()).isEqualTo(new byte[PeerSession.NONCE_LENGTH]);
        assertThat(log.get(1).from()).isSameAs(younger);
        assertThat(log.get(1).echo()).as("the answer echoes the older's nonce").isEqualTo(log.get(0).nonce());
        assertThat(log.get(2).from()).isSameAs(older);
        assertProven(older, younger);

        // Proven: nobody is asked again, however long.
        int frames = log.size();
        for (int i = 0; i < 40; i++) {
            now.addAndGet(SECOND / 2);
            older.presence.retry();
            younger.presence.retry();
        }
        assertThat(log).hasSize(frames);
        assertThat(older.drops).isEmpty();
        assertThat(younger.drops).isEmpty();
    }

    @Test
    void aJoinerThatGetsTheOldersHelloBeforeItCanAnswerAnswersWithItsFirstView() {
        Side[] p = pair();
        Side older = p[0];
        Side younger = p[1];
        View v = View.create(older.address, 1, older.address, younger.address);
        older.presence.onView(v, true);
        younger.presence.onView(v, false); // a view handled while connecting
        pump();
        assertProven(older, younger);
        assertThat(kinds()).containsExactly(Kind.HELLO, Kind.HELLO, Kind.CONFIRM);
        younger.presence.onView(v, true); // the announcement after connect: answered already, nothing more
        assertThat(wire).isEmpty();
    }

    @Test
    void crossingHellosAreEachAnsweredWithAnEchoAndBothAreProvenWithoutAConfirm() {
        Side[] p = pair();
        Side a = p[0];
        Side b = p[1];
        // Views that disagree on the order (a merge): each thinks the other is younger and greets it.
        a.presence.onView(View.create(a.address, 1, a.address, b.address), true);
        b.presence.onView(View.create(b.address, 1, b.address, a.address), true);
        pump();
        assertThat(kinds()).containsExactly(Kind.HELLO, Kind.HELLO, Kind.HELLO, Kind.HELLO);
        assertProven(a, b);
    }

    @Test
    void aLostGreetingIsAskedForByTheYoungerAndTheBindingsEndProven() {
        Side[] p = pair();
        Side older = p[0];
        Side younger = p[1];
        View v = View.create(older.address, 1, older.address, younger.address);
        lose = s -> s.from() == older && s.kind() == Kind.HELLO;
        older.presence.onView(v, true);
        younger.presence.onView(v, true);
        pump();
        assertThat(younger.session()).isNull();
        lose = s -> false;
        now.addAndGet(younger.presence.firstWait());
        younger.presence.retry();
        pump();
        assertProven(older, younger);
    }

    @Test
    void aLostConfirmIsRecoveredByAnsweringTheYoungersRepeatedHelloEvenWhenItsRequestsAreRefused() {
        Side[] p = pair();
        Side older = p[0];
        Side younger = p[1];
        View v = View.create(older.address, 1, older.address, younger.address);
        // The Confirm is lost, and every request for a Hello too (as when a flood spends the address's signed budget:
        // only a Hello echoing the receiver's nonce has a budget of its own).
        lose = s -> s.kind() == Kind.CONFIRM || s.kind() == Kind.REQUEST;
        older.presence.onView(v, true);
        younger.presence.onView(v, true);
        pump();
        assertThat(older.proven()).isTrue();
        assertThat(younger.proven()).isFalse();
        now.addAndGet(younger.presence.firstWait());
        younger.presence.retry();
        pump();
        assertProven(older, younger);
        // Both have now sent each other a Hello echoing the other's nonce: nothing more, however long.
        int frames = log.size();
        for (int i = 0; i < 40; i++) {
            now.addAndGet(SECOND / 2);
            older.presence.retry();
            younger.presence.retry();
            pump();
        }
        assertThat(log).hasSize(frames);
    }

    @Test
    void aHelloEchoingAnotherNonceProvesNothing() {
        Side[] p = pair();
        Side older = p[0];
        Side younger = p[1];
        View v = View.create(older.address, 1, older.address, younger.address);
        lose = s -> true;
        older.presence.onView(v, true);
        younger.presence.onView(v, true);
        // A Hello from the younger's address echoing a nonce the older never sent there (a claimant's best guess).
        byte[] guess = new byte[PeerSession.NONCE_LENGTH];
        Arrays.fill(guess, (byte) 5);
        OverlayMessages.Hello hello = new OverlayMessages.Hello(younger.ad, new byte[PeerSession.NONCE_LENGTH], guess);
        Frame frame = new Frame(OverlayMessages.HELLO, hello, younger.identity.id(), younger.identity.signingKey());
        byte[] sent = older.presence.nonceSentTo(younger.address);
        older.presence.onHello(younger.address, frame, hello, sent != null && Arrays.equals(sent, guess));
        assertThat(older.session()).isNotNull();
        assertThat(older.proven()).as("bound, not proven").isFalse();
    }
}
