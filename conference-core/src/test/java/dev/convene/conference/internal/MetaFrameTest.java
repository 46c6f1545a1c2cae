package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static dev.convene.conference.internal.Fixtures.START;
import static dev.convene.conference.internal.Fixtures.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.ConferenceContext;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireBytes;
import dev.convene.overlay.wire.WireFormatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The {@code Meta} frame carries the signed context once; its invitations refer to it (PROTOCOL.md, "Meta"). */
class MetaFrameTest {
    private static final byte[] KEY = ContentCrypto.newKey();

    private static SignedContext signed(List<PeerId> invitees, int version) {
        return Fixtures.signed(Fixtures.context(ALICE, START, Duration.ofHours(1), "Design review", "1. wire\n2. timings", invitees, version));
    }

    @Test
    void invitationsSharingTheFramesContextAndOneWithItsOwnRoundTripAndVerify() {
        SignedContext now = signed(List.of(BOB.id(), CAROL.id()), 2);
        SignedContext older = signed(List.of(BOB.id()), 1);
        Invitation shared = Fixtures.invitation(now, ALICE, CAROL, KEY);
        // An equal context decoded separately (not the same object) is still written as the frame's.
        Invitation equalCopy = Fixtures.invitation(WireBytes.decode(Protocol.SIGNED_CONTEXT, encode(Protocol.SIGNED_CONTEXT, now)), ALICE, BOB, KEY);
        Invitation own = Fixtures.invitation(older, ALICE, BOB, KEY);
        Meta m = new Meta(now, List.of(shared, equalCopy, own), List.of(), null);

        byte[] bytes = encode(Protocol.META, m);
        Meta back = WireBytes.decode(Protocol.META, bytes);

        assertThat(back.invitations()).hasSize(3).allSatisfy(i -> assertThat(i.verifies()).isTrue());
        for (int k = 0; k < 3; k++) {
            assertThat(encode(Protocol.INVITATION, back.invitations().get(k))).as("invitation " + k)
                    .isEqualTo(encode(Protocol.INVITATION, m.invitations().get(k)));
        }
        assertThat(back.invitations().get(0).context()).isSameAs(back.context());
        assertThat(back.invitations().get(1).context()).isSameAs(back.context());
        assertThat(back.invitations().get(2).context().context().version()).isEqualTo(1);
        assertThat(encode(Protocol.META, back)).isEqualTo(bytes);
        int contextBytes = encode(Protocol.SIGNED_CONTEXT, now).length;
        assertThat(bytes.length).as("the shared context written once, the older one once")
                .isLessThan(encode(Protocol.STORED_META, m).length - 2 * contextBytes + 16);
    }

    @Test
    void aWholeMetaOfAHundredInvitationsIsSmallNowAndWasNot() {
        List<Identity> invitees = IntStream.range(0, 100).mapToObj(i -> Identity.generate()).toList();
        SignedContext ctx = signed(invitees.stream().map(Identity::id).toList(), 1);
        List<Invitation> inv = new ArrayList<>();
        for (Identity p : invitees) inv.add(Fixtures.invitation(ctx, ALICE, p, KEY));
        Meta whole = new Meta(ctx, inv, List.of(), null);

        int now = encode(Protocol.META, whole).length;
        int before = encode(Protocol.STORED_META, whole).length; // the frame format before: every invitation with its context
        assertThat(before).as("old encoding").isGreaterThan(300_000);
        assertThat(now).as("new encoding").isLessThan(40_000);
        assertThat(WireBytes.decode(Protocol.META, encode(Protocol.META, whole)).invitations())
                .allSatisfy(i -> assertThat(i.verifies()).isTrue());
    }

    @Test
    void aConferenceOfAHundredGoesInOneChunkNotSeveral() {
        List<Identity> invitees = IntStream.range(0, 100).mapToObj(i -> Identity.generate()).toList();
        ConferenceContext cc = Fixtures.context(ALICE, START, Duration.ofHours(1), "Design review", "", invitees.stream().map(Identity::id).toList(), 1);
        SignedContext ctx = Fixtures.signed(cc);
        Conference c = new Conference(ctx);
        for (Identity p : invitees) c.invitations.put(p.id(), Fixtures.invitation(ctx, ALICE, p, KEY));
        List<Meta> chunks = c.metaChunks(ConferenceEngine.META_CHUNK_BYTES);
        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).invitations()).hasSize(100);
        assertThat(encode(Protocol.META, chunks.get(0)).length).isLessThan(ConferenceEngine.META_CHUNK_BYTES);
    }

    @Test
    void anUnknownContextFlagIsRefused() {
        SignedContext ctx = signed(List.of(BOB.id()), 1);
        byte[] bytes = encode(Protocol.META, new Meta(ctx, List.of(Fixtures.invitation(ctx, ALICE, BOB, KEY)), List.of(), null));
        int flagAt = encode(Protocol.SIGNED_CONTEXT, ctx).length + 1; // after the context and the count (1)
        assertThat(bytes[flagAt]).isEqualTo((byte) Meta.SAME_CONTEXT);
        for (int flag : new int[] {2, 0x7f, 0xff}) {
            byte[] bad = bytes.clone();
            bad[flagAt] = (byte) flag;
            assertThatThrownBy(() -> WireBytes.decode(Protocol.META, bad)).isInstanceOf(WireFormatException.class);
        }
        byte[] cut = Arrays.copyOf(bytes, flagAt + 1);
        assertThatThrownBy(() -> WireBytes.decode(Protocol.META, cut)).isInstanceOf(WireFormatException.class);
    }

    @Test
    void anInvitationPlacedUnderAnotherContextDoesNotVerify() {
        SignedContext signedFor = signed(List.of(BOB.id()), 1);
        SignedContext other = signed(List.of(BOB.id(), CAROL.id()), 2);
        Invitation inv = Fixtures.invitation(signedFor, ALICE, BOB, KEY);
        byte[] honest = encode(Protocol.META, new Meta(signedFor, List.of(inv), List.of(), null));
        // The same invitation bytes, flag 0, under a frame whose context is another: it is read as an invitation of
        // that context, whose signed bytes are not what was signed.
        byte[] frameContext = encode(Protocol.SIGNED_CONTEXT, other);
        byte[] tail = Arrays.copyOfRange(honest, encode(Protocol.SIGNED_CONTEXT, signedFor).length, honest.length);
        byte[] forged = new byte[frameContext.length + tail.length];
        System.arraycopy(frameContext, 0, forged, 0, frameContext.length);
        System.arraycopy(tail, 0, forged, frameContext.length, tail.length);
        Meta back = WireBytes.decode(Protocol.META, forged);
        assertThat(back.invitations()).hasSize(1);
        assertThat(back.invitations().get(0).verifies()).isFalse();
        assertThat(WireBytes.decode(Protocol.META, honest).invitations().get(0).verifies()).isTrue();
    }
}
