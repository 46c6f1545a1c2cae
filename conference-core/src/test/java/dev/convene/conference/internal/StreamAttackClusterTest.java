package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.NewConference;
import dev.convene.conference.StreamException.Reason;
import dev.convene.conference.StreamIOException;
import dev.convene.overlay.Identity;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stream frames sent by hand, by a hostile peer holding a participant's key (the participant crashed, the
 * hostile peer took its place): a removed peer's open, replayed and tampered frames.
 */
@Timeout(120)
class StreamAttackClusterTest {

    private static ConferenceId live(ConferencePeer organiser, List<ConferencePeer> invitees) {
        ConferenceId id = organiser.create(NewConference.titled("Streams").invite(invitees.stream().map(ConferencePeer::self).toList()))
                .join().id();
        for (ConferencePeer p : invitees) {
            await(() -> p.conference(id).isPresent(), () -> p.name() + " has no invitation");
            p.accept(id).join();
        }
        for (ConferencePeer p : invitees) {
            await(() -> p.conference(id).orElseThrow().participants().size() == invitees.size() + 1
                    && organiser.conference(id).orElseThrow().participants().contains(p.self()), () -> "participants incomplete");
        }
        return id;
    }

    private static List<StreamFrame> framesAt(HostilePeer h, int kind, long stream) {
        return h.received(StreamFrame.class).stream().filter(f -> f.kind() == kind && f.stream() == stream).toList();
    }

    @Test
    void replayedAndTamperedFramesBreakTheStreamAndAreCountedAndARemovedPeerIsRefused() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            Identity carolKey = Identity.generate();
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol", null, carolKey, cl.clock);
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = live(alice, List.of(bob, carol));
            List<Object> outcomes = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> twoOutcomes = new CompletableFuture<>();
            bob.onStream("x", s -> {
                byte[] buf = new byte[64];
                try {
                    while (s.input().read(buf) >= 0) outcomes.add("data");
                    outcomes.add("eof");
                } catch (IOException e) {
                    outcomes.add(e);
                }
                if (outcomes.stream().filter(o -> o instanceof StreamIOException).count() >= 2) twoOutcomes.complete(null);
            });
            carol.crash();
            await(() -> !bob.directory().isOnline(carolKey.id()), () -> "bob still sees carol");
            try (HostilePeer h = HostilePeer.besides(bob, "carol", carolKey).awaitSeenBy(List.of(bob))) {
                byte[] bobAgreement = bob.overlay().identity().agreementKey();
                // stream 1: a valid frame, then the same frame again (a replay)
                h.send(bob, new StreamFrame(id, 1, true, StreamFrame.OPEN, 0, "x".getBytes()));
                await(() -> framesAt(h, StreamFrame.ACCEPT, 1).size() == 1, () -> "no accept: " + h.received(StreamFrame.class));
                byte[][] k1 = Streams.keys(carolKey, bobAgreement, id, carolKey.id(), bob.self(), 1);
                StreamFrame data = new StreamFrame(id, 1, true, StreamFrame.DATA, 0,
                        StreamImpl.crypt(Cipher.ENCRYPT_MODE, k1[0], id, 1, StreamFrame.DATA, 0, "hello".getBytes()));
                h.send(bob, data);
                h.send(bob, data);
                // stream 2: a tampered frame
                h.send(bob, new StreamFrame(id, 2, true, StreamFrame.OPEN, 0, "x".getBytes()));
                await(() -> framesAt(h, StreamFrame.ACCEPT, 2).size() == 1, () -> "no accept of stream 2");
                byte[][] k2 = Streams.keys(carolKey, bobAgreement, id, carolKey.id(), bob.self(), 2);
                byte[] box = StreamImpl.crypt(Cipher.ENCRYPT_MODE, k2[0], id, 2, StreamFrame.DATA, 0, "hello".getBytes());
                box[3] ^= 1;
                h.send(bob, new StreamFrame(id, 2, true, StreamFrame.DATA, 0, box));
                twoOutcomes.get(30, TimeUnit.SECONDS);
                assertThat(outcomes).filteredOn(o -> o instanceof StreamIOException)
                        .allSatisfy(o -> assertThat(((StreamIOException) o).reason()).isEqualTo(Reason.PROTOCOL));
                assertThat(bob.streamStats().framesRejected()).isEqualTo(2);
                await(() -> framesAt(h, StreamFrame.RESET, 1).size() == 1 && framesAt(h, StreamFrame.RESET, 2).size() == 1,
                        () -> "no resets");
                assertThat(bob.streamStats().open()).isZero();

                // carol is removed: her open is refused and counted
                alice.remove(id, carolKey.id()).join();
                await(() -> !bob.conference(id).orElseThrow().participants().contains(carolKey.id()), () -> "bob still counts carol");
                h.send(bob, new StreamFrame(id, 3, true, StreamFrame.OPEN, 0, "x".getBytes()));
                await(() -> framesAt(h, StreamFrame.REFUSE, 3).size() == 1, () -> "no refusal");
                assertThat(framesAt(h, StreamFrame.REFUSE, 3).get(0).seq()).isEqualTo(Reason.NOT_A_PARTICIPANT.ordinal());
                assertThat(bob.streamStats().refusedNotParticipant()).isEqualTo(1);
                assertThat(bob.streamStats().accepted()).isEqualTo(2);
            }
        }
    }
}
