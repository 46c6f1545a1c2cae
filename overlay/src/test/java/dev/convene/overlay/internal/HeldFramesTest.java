package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.DropReason;
import dev.convene.overlay.TestMessages;
import dev.convene.overlay.wire.FrameCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The pen for early frames (SECURITY.md 2.9): one attacker filling it, from made-up addresses outside the view or
 * from a few addresses, no longer keeps out the frames of a member whose key is not known yet, nor a joiner's.
 */
class HeldFramesTest {
    private static final FrameCodec CODEC = new FrameCodec(List.of(OverlayMessages.AD_REQUEST, OverlayMessages.HELLO, TestMessages.NOTE), 1 << 20);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Counters counters = new Counters();
    private final Set<Address> view = new java.util.HashSet<>();
    private final InboundGate gate = new InboundGate("victim", CODEC, counters, new InboundGate.Membership() {
        public boolean isMember(Address a) {
            return view.contains(a);
        }

        public PeerSession sessionAt(Address a) {
            return null; // nobody's Hello has arrived yet
        }

        public byte[] nonceSentTo(Address a) {
            return null;
        }
    }, new InboundBudget(1 << 20, 4 << 20, 1000), 1000, nanos::get);

    private static byte[] frame(int n) {
        return FrameCodec.seal(CODEC.encodeUnsealed(new TestMessages.Note(n, "x".repeat(100))), n + 1, new byte[32]);
    }

    private InboundGate.Outcome send(Address src, int n) {
        InboundGate.Outcome[] out = new InboundGate.Outcome[1];
        byte[] f = frame(n);
        assertThat(gate.admit(src, f, 0, f.length, out)).isNull();
        return out[0];
    }

    private long dropped(DropReason r) {
        return counters.snapshot(0, 0, 0).drops(r);
    }

    @Test
    void framesFromMadeUpAddressesDoNotKeepOutAMembersFrames() {
        for (int a = 0; a < 8; a++) {
            Address fake = UUID.randomUUID();
            for (int i = 0; i < InboundGate.PEN_PER_ADDRESS; i++) assertThat(send(fake, i)).isEqualTo(InboundGate.Outcome.HELD_NOT_MEMBER);
        }
        assertThat(gate.held()[0]).as("the strangers' pen is full").isEqualTo(InboundGate.PEN_FRAMES);
        Address member = UUID.randomUUID();
        view.add(member);
        for (int i = 0; i < 10; i++) assertThat(send(member, i)).as("a member's frame " + i).isEqualTo(InboundGate.Outcome.HELD_NO_KEY);
        assertThat(gate.release(member)).hasSize(10);
    }

    @Test
    void aNewcomerTakesTheOldestFrameOfTheLargestHolderWhenThePenIsFull() {
        List<Address> fakes = new ArrayList<>();
        for (int a = 0; a < InboundGate.PEN_FRAMES; a++) {
            Address fake = UUID.randomUUID();
            fakes.add(fake);
            assertThat(send(fake, 0)).isEqualTo(InboundGate.Outcome.HELD_NOT_MEMBER);
        }
        long before = dropped(DropReason.NOT_MEMBER);
        Address joiner = UUID.randomUUID();
        // Each attacker address holds one frame: the joiner gets one place (an attacker frame is evicted, counted).
        assertThat(send(joiner, 0)).isEqualTo(InboundGate.Outcome.HELD_NOT_MEMBER);
        assertThat(dropped(DropReason.NOT_MEMBER)).isEqualTo(before + 1);
        assertThat(send(joiner, 1)).as("no more than the largest other holder").isEqualTo(InboundGate.Outcome.DROPPED);

        // Eight addresses with 32 frames each: a joiner keeps taking places until it holds as many as they do.
        HeldFrames pen = new HeldFrames(32, 256, 1 << 20);
        List<Address> few = new ArrayList<>();
        for (int a = 0; a < 8; a++) few.add(UUID.randomUUID());
        for (Address a : few) for (int i = 0; i < 32; i++) assertThat(pen.add(a, new byte[10], 0, () -> { })).isTrue();
        Address newcomer = UUID.randomUUID();
        int[] out = new int[1];
        int held = 0;
        for (int i = 0; i < 32; i++) if (pen.add(newcomer, new byte[10], 0, () -> out[0]++)) held++;
        // It stops at 29: the others then hold 227, at most ceil(227 / 8) = 29 each.
        assertThat(held).as("the newcomer's share of 256 among 9").isEqualTo(29);
        assertThat(pen.size()).isEqualTo(256);
        assertThat(out[0]).isEqualTo(29);
        assertThat(pen.release(newcomer)).hasSize(29);
    }

    @Test
    void thePensStayBoundedInFramesAndBytes() {
        for (int a = 0; a < 600; a++) {
            Address src = UUID.randomUUID();
            if (a % 2 == 0) view.add(src);
            for (int i = 0; i < 40; i++) send(src, i);
        }
        long[] held = gate.held();
        assertThat(held[0]).isLessThanOrEqualTo(2L * InboundGate.PEN_FRAMES);
        assertThat(held[1]).isLessThanOrEqualTo(4L * CODEC.maxFrame());
        // Frames of addresses outside the view are dropped once the grace has passed; members' stay.
        nanos.addAndGet(InboundGate.HELD_NANOS + 1);
        gate.expireHeld();
        assertThat(gate.heldFrom()).isNotEmpty().allMatch(view::contains);
    }
}
