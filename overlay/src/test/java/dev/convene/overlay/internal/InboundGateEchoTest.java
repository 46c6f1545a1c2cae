package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.DropReason;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.wire.FrameCodec;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The signed-frame budget of an address, spent by frames forged in its member's name, does not keep out that
 * member's {@code Hello} when it echoes the nonce this peer sent to the address; a {@code Hello} echoing
 * anything else is charged to the spent budget.
 */
class InboundGateEchoTest {
    private static final FrameCodec CODEC = new FrameCodec(List.of(OverlayMessages.AD_REQUEST, OverlayMessages.HELLO, OverlayMessages.ECHO),
            1 << 20);
    private final List<byte[]> answered = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Counters counters = new Counters();
    private final Address member = UUID.randomUUID();
    private final byte[] nonceToMember = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private final InboundGate gate = new InboundGate("victim", CODEC, counters, new InboundGate.Membership() {
        public boolean isMember(Address a) {
            return a.equals(member);
        }

        public PeerSession sessionAt(Address a) {
            return null;
        }

        public byte[] nonceSentTo(Address a) {
            return a.equals(member) ? nonceToMember : null;
        }

        public void refusedHello(Address src, byte[] theirNonce, int length) {
            answered.add(theirNonce);
        }
    }, new InboundBudget(1 << 20, 4 << 20, 1000), 1000, nanos::get);

    private static byte[] hello(Identity who, Address as, byte[] echo) {
        return hello(who, as, new byte[16], echo);
    }

    private static byte[] hello(Identity who, Address as, byte[] session, byte[] echo) {
        PeerAdvertisement ad = new PeerAdvertisement(who.id(), "m", who.signingKey(), who.agreementKey(), "memory:m", Set.of(), Instant.EPOCH);
        return CODEC.encode(new OverlayMessages.Hello(ad, session, echo), who, OverlayCore.tag(as));
    }

    private InboundGate.Admitted admit(byte[] frame) {
        return gate.admit(member, frame, 0, frame.length, new InboundGate.Outcome[1]);
    }

    @Test
    void aHelloEchoingTheNonceSentToItsAddressGetsThroughABudgetSpentByForgeries() {
        Identity forger = Identity.generate();
        Identity real = Identity.generate();
        byte[] forged = hello(forger, member, new byte[16]);
        forged[forged.length - 1] ^= 1; // a broken signature: costs a check if it gets one
        for (int i = 0; i < 100; i++) admit(forged);
        assertThat(counters.snapshot(0, 0, 0).drops(DropReason.AD_BUDGET)).as("the address's budget is spent").isEqualTo(100 - InboundGate.SIGNED_BURST);

        // A guess at the echo (the forger never saw the nonce) is charged to the spent budget.
        byte[] guess = nonceToMember.clone();
        guess[0] ^= 1;
        assertThat(admit(hello(forger, member, guess))).isNull();
        assertThat(admit(hello(real, member, new byte[16]))).as("no echo: the spent budget").isNull();
        long checks = counters.signatureChecks.sum();

        InboundGate.Admitted in = admit(hello(real, member, nonceToMember));
        assertThat(in).isInstanceOf(InboundGate.Signed.class);
        InboundGate.Signed signed = (InboundGate.Signed) in;
        assertThat(signed.echoed()).isTrue();
        assertThat(signed.frame().signer()).isEqualTo(real.id());
        assertThat(counters.signatureChecks.sum()).isEqualTo(checks + 1);
        gate.done(in);

        // The echo budget is a budget too: a burst, then a few a second.
        int admitted = 1;
        for (int i = 0; i < 20; i++) {
            InboundGate.Admitted a = admit(hello(real, member, nonceToMember));
            if (a != null) {
                admitted++;
                gate.done(a);
            }
        }
        assertThat(admitted).isEqualTo(InboundGate.ECHOED_BURST);
    }

    @Test
    void aRefusedHelloIsAnsweredWithItsNonceAndOnlyAnEchoOfOwnNonceIsAdmittedUnauthenticated() {
        Identity real = Identity.generate();
        byte[] forged = hello(Identity.generate(), member, new byte[16]);
        forged[forged.length - 1] ^= 1;
        for (int i = 0; i < InboundGate.SIGNED_BURST; i++) admit(forged);
        byte[] realNonce = new byte[16];
        java.util.Arrays.fill(realNonce, (byte) 7);
        assertThat(admit(hello(real, member, realNonce, new byte[16]))).as("over the budget").isNull();
        assertThat(answered).hasSize(1);
        assertThat(answered.get(0)).as("the nonce the refused Hello carried").isEqualTo(realNonce);

        // An echo of anything but this peer's nonce to the address is refused; an echo of it is admitted with the sender's nonce.
        byte[] wrong = nonceToMember.clone();
        wrong[15] ^= 1;
        long unauthenticated = counters.snapshot(0, 0, 0).drops(DropReason.UNAUTHENTICATED);
        assertThat(admit(CODEC.encodeUnauthenticated(new OverlayMessages.Echo(real.id(), wrong, realNonce)))).isNull();
        PeerAdvertisement ad = new PeerAdvertisement(real.id(), "m", real.signingKey(), real.agreementKey(), "memory:m", Set.of(), Instant.EPOCH);
        assertThat(admit(CODEC.encodeUnauthenticated(new OverlayMessages.Hello(ad, realNonce, nonceToMember)))).as("only an echo").isNull();
        assertThat(counters.snapshot(0, 0, 0).drops(DropReason.UNAUTHENTICATED)).as("%s", counters.snapshot(0, 0, 0).drops())
                .isEqualTo(unauthenticated + 2);
        InboundGate.Admitted in = admit(CODEC.encodeUnauthenticated(new OverlayMessages.Echo(real.id(), nonceToMember, realNonce)));
        assertThat(in).isInstanceOfSatisfying(InboundGate.Echoed.class, e -> assertThat(e.nonce()).isEqualTo(realNonce));
        gate.done(in);
        assertThat(counters.signatureChecks.sum()).as("no signature checked for an echo").isEqualTo(InboundGate.SIGNED_BURST);
    }
}
