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
    private static final FrameCodec CODEC = new FrameCodec(List.of(OverlayMessages.AD_REQUEST, OverlayMessages.HELLO), 1 << 20);
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
    }, new InboundBudget(1 << 20, 4 << 20, 1000), 1000, nanos::get);

    private static byte[] hello(Identity who, Address as, byte[] echo) {
        PeerAdvertisement ad = new PeerAdvertisement(who.id(), "m", who.signingKey(), who.agreementKey(), "memory:m", Set.of(), Instant.EPOCH);
        return CODEC.encode(new OverlayMessages.Hello(ad, new byte[16], echo), who, OverlayCore.tag(as));
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
}
