package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.Scenarios.engineOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferencePeer;
import dev.convene.overlay.Identity;
import dev.convene.overlay.wire.MessageType;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code Meta} frame carries the signed context once and its invitations refer to it (PROTOCOL.md, "Meta"). A
 * hostile organiser splices an invitation it signed for one conference under the context of another: read under
 * that frame's context, the invitation's signed bytes are not what was signed. Under a context that does not name
 * the invitee, the frame is refused whole before anything is stored (no conference, no listener event, counted);
 * under one that names it (the conference is the invitee's by that signed context), the spliced invitation is not
 * kept (no invitation, no key, its nonce unspent) and the invitee's own invitation is taken after it. With the
 * invitation's signature check removed from {@code MetaMerge.mergeInvitations} the second part fails (checked).
 */
@Timeout(120)
class SplicedContextClusterTest {
    /** Metadata as raw bytes, under the type id of {@code Meta}: what a hostile peer can put on the wire. */
    private static final MessageType<byte[]> RAW = new MessageType<>(Protocol.META_TYPE.id(), byte[].class, new WireCodec<>() {
        public void write(WireWriter out, byte[] b) {
            for (byte x : b) out.writeByte(x & 0xff); // verbatim: the frame is a few KiB
        }

        public byte[] read(WireReader in) {
            throw new UnsupportedOperationException("sent only");
        }
    });

    @TempDir
    Path dir;

    /** {@code invitation}'s bytes in its honest {@code Meta} frame, with the frame's context replaced by {@code under}. */
    private static byte[] spliced(SignedContext own, Invitation invitation, SignedContext under) {
        byte[] honest = Fixtures.encode(Protocol.META, new Meta(own, List.of(invitation), List.of(), null));
        byte[] ownContext = Fixtures.encode(Protocol.SIGNED_CONTEXT, own);
        byte[] underContext = Fixtures.encode(Protocol.SIGNED_CONTEXT, under);
        byte[] out = new byte[underContext.length + honest.length - ownContext.length];
        System.arraycopy(underContext, 0, out, 0, underContext.length);
        System.arraycopy(honest, ownContext.length, out, underContext.length, honest.length - ownContext.length);
        Meta read = dev.convene.overlay.wire.WireBytes.decode(Protocol.META, out);
        assertThat(read.context().context().id()).isEqualTo(under.context().id());
        assertThat(read.invitations()).singleElement().satisfies(i -> {
            assertThat(i.invitee()).isEqualTo(invitation.invitee());
            assertThat(i.verifies()).as("the spliced invitation verifies").isFalse();
        });
        return out;
    }

    private static SignedContext context(Identity organiser, Instant start, int daysBefore, String title, List<dev.convene.overlay.PeerId> invitees) {
        return SignedContext.sign(Fixtures.context(dev.convene.conference.ConferenceId.derive(organiser.signingKey(),
                start.minus(Duration.ofDays(daysBefore))), organiser, start, Duration.ofHours(1), title, "", invitees, 1), organiser);
    }

    @Test
    void anInvitationSplicedUnderAnotherConferencesContextIsRefusedBeforeAnythingIsStored() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            Identity carolKey = Identity.loadOrCreate(dir.resolve("carol"));
            ConferencePeer carol = cl.start("carol", dir.resolve("carol"), carolKey, cl.clock);
            Identity malloryKey = Identity.generate();
            Identity bobKey = Identity.generate();
            dev.convene.conference.ConferenceId oneId;
            try (HostilePeer mallory = HostilePeer.besides(carol, "mallory", malloryKey, List.of(RAW))) {
                mallory.awaitSeenBy(List.of(carol));
                Instant start = cl.clock.instant().plus(Duration.ofHours(1));
                byte[] key = ContentCrypto.newKey();
                // Conferences mallory organises: "Two" invites carol; "Bob only" names bob alone; "One" names carol too.
                SignedContext two = context(malloryKey, start, 2, "Two", List.of(carol.self()));
                SignedContext bobOnly = context(malloryKey, start, 3, "Bob only", List.of(bobKey.id()));
                SignedContext one = context(malloryKey, start, 1, "One", List.of(carol.self()));
                oneId = one.context().id();
                Invitation forTwo = Fixtures.invitation(two, malloryKey, carolKey, key);
                assertThat(forTwo.verifies()).isTrue();

                // Under a context that does not name carol, the spliced invitation is all that names her: refused
                // whole, before anything is stored, and counted.
                long rejected = HostilePeer.rejected(carol);
                int eventsBefore = cl.events(carol).events.size();
                mallory.overlay().send(carol.self(), spliced(two, forTwo, bobOnly));
                await(() -> HostilePeer.rejected(carol) == rejected + 1, () -> "carol refused " + (HostilePeer.rejected(carol) - rejected)
                        + " frames; drops " + carol.overlay().stats().drops() + "; conferences " + carol.conferences());
                assertThat(carol.conference(bobOnly.context().id())).as("a conference from a spliced invitation").isEmpty();
                assertThat(carol.conferences()).isEmpty();
                assertThat(cl.events(carol).events.subList(eventsBefore, cl.events(carol).events.size())).as("listener events").isEmpty();

                // Under a context that names carol (mallory did invite her to "One"), the conference is hers by that
                // signed context, but the spliced invitation is not kept: no invitation, no key, its nonce unspent.
                mallory.overlay().send(carol.self(), spliced(two, forTwo, one));
                await(() -> carol.conference(one.context().id()).isPresent(), () -> "carol never took conference one's context");
                assertThat(engineOf(carol).onConferenceForTest(one.context().id(),
                        c -> c.invitations.containsKey(carol.self()) || c.nonces.contains(forTwo.nonceHex())).get(30, java.util.concurrent.TimeUnit.SECONDS))
                        .as("the spliced invitation or its nonce kept").isFalse();
                // Its own invitation to "One" is then taken (nothing the splice left behind blocks it).
                Invitation forOne = Fixtures.invitation(one, malloryKey, carolKey, key);
                mallory.overlay().send(carol.self(), Fixtures.encode(Protocol.META, new Meta(one, List.of(forOne), List.of(), null)));
                await(() -> holdsInvitation(carol, one), () -> "carol never took her own invitation to conference one");
            }
            carol.close();
            ConferencePeer again = cl.start("carol", dir.resolve("carol"), carolKey, cl.clock);
            await(() -> !again.conferences().isEmpty(), () -> "carol's store lost conference one");
            assertThat(again.conferences().stream().map(dev.convene.conference.ConferenceView::id).toList())
                    .as("what carol's store holds after a restart").containsExactly(oneId);
        }
    }

    private static boolean holdsInvitation(ConferencePeer p, SignedContext of) {
        try {
            return engineOf(p).onConferenceForTest(of.context().id(), c -> c.invitations.containsKey(p.self()))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
