package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import dev.convene.overlay.PeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Streams between participants: bytes, half-close, refusals, removal, a stalled reader. */
@Timeout(120)
class StreamClusterTest {

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

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static StreamException.Reason reasonOf(Throwable t) {
        Throwable c = t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException ? t.getCause() : t;
        return ((StreamException) c).reason();
    }

    @Test
    void bytesRoundTripBothWaysAtOnceWithHalfClose() throws Exception {
        long seed = System.nanoTime();
        System.out.println("StreamClusterTest seed " + seed);
        Random r = new Random(seed);
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = live(alice, List.of(bob));
            byte[] up = new byte[1 + r.nextInt(3 << 20)];
            byte[] down = new byte[1 + r.nextInt(1 << 20)];
            r.nextBytes(up);
            r.nextBytes(down);
            CompletableFuture<byte[]> bobGot = new CompletableFuture<>();
            bob.onStream("echo/1", s -> {
                try {
                    assertThat(s.peer()).isEqualTo(alice.self());
                    assertThat(s.conference()).isEqualTo(id);
                    Thread w = new Thread(() -> {
                        try {
                            s.output().write(down);
                            s.output().close(); // half-close: bob is done writing, still reading
                        } catch (IOException e) {
                            bobGot.completeExceptionally(e);
                        }
                    });
                    w.start();
                    bobGot.complete(readAll(s.input()));
                    w.join();
                    s.close();
                } catch (Exception e) {
                    bobGot.completeExceptionally(e);
                }
            });
            ConferenceStream s = alice.openStream(id, bob.self(), "echo/1").get(30, TimeUnit.SECONDS);
            assertThat(s.protocol()).isEqualTo("echo/1");
            CompletableFuture<byte[]> aliceGot = CompletableFuture.supplyAsync(() -> {
                try {
                    return readAll(s.input());
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            });
            for (int off = 0; off < up.length; ) {
                int n = Math.min(up.length - off, 1 + r.nextInt(100_000));
                s.output().write(up, off, n);
                off += n;
            }
            s.output().close();
            assertThat(Arrays.equals(bobGot.get(60, TimeUnit.SECONDS), up)).as("bob read what alice wrote (seed %d)", seed).isTrue();
            assertThat(Arrays.equals(aliceGot.get(60, TimeUnit.SECONDS), down)).as("alice read what bob wrote (seed %d)", seed).isTrue();
            s.close();
            await(() -> alice.streamStats().open() == 0 && bob.streamStats().open() == 0,
                    () -> "streams still open: " + alice.streamStats() + " / " + bob.streamStats());
            assertThat(alice.streamStats().opened()).isEqualTo(1);
            assertThat(bob.streamStats().accepted()).isEqualTo(1);
            assertThat(bob.streamStats().framesRejected()).isZero();
        }
    }

    @Test
    void nonParticipantsAndMissingHandlersAreRefusedAndCounted() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer mallory = cl.start("mallory");
            cl.awaitDirectories(alice, bob, mallory);
            ConferenceId id = live(alice, List.of(bob));
            bob.onStream("x", s -> s.close());
            // Mallory is no participant: its own side refuses before anything is sent
            assertThatThrownBy(() -> mallory.openStream(id, bob.self(), "x").join()).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(ConferenceNotFoundException.class);
            // Alice asks bob for a protocol he has no handler for
            assertThatThrownBy(() -> alice.openStream(id, bob.self(), "nothing").get(30, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(StreamException.Reason.NO_HANDLER));
            assertThat(bob.streamStats().refusedOther()).isEqualTo(1);
            // Alice to a non-participant
            assertThatThrownBy(() -> alice.openStream(id, mallory.self(), "x").join())
                    .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(StreamException.Reason.NOT_A_PARTICIPANT));
        }
    }

    @Test
    void aRemovedPeerIsRefusedAndCountedAndRemovalBreaksItsOpenStream() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = live(alice, List.of(bob, carol));
            CompletableFuture<Throwable> bobsRead = new CompletableFuture<>();
            bob.onStream("x", s -> {
                try {
                    readAll(s.input());
                    bobsRead.complete(null);
                } catch (IOException e) {
                    bobsRead.complete(e);
                }
            });
            ConferenceStream open = carol.openStream(id, bob.self(), "x").get(30, TimeUnit.SECONDS);
            open.output().write(new byte[1000]);
            alice.remove(id, carol.self()).join();
            Throwable t = bobsRead.get(30, TimeUnit.SECONDS);
            assertThat(t).isInstanceOf(StreamIOException.class);
            assertThat(((StreamIOException) t).reason()).isEqualTo(StreamException.Reason.NOT_A_PARTICIPANT);
            await(() -> bob.conference(id).orElseThrow().participants().equals(java.util.Set.of(alice.self(), bob.self()))
                    && bob.streamStats().open() == 0, () -> "bob still has carol's stream: " + bob.streamStats());
            // Broken by the removal at whichever end learnt of it first (the other end then gets its reset, not the change).
            await(() -> bob.streamStats().brokenByMembership() + carol.streamStats().brokenByMembership() >= 1,
                    () -> "no end counted the stream broken by the removal: " + bob.streamStats() + " / " + carol.streamStats());
            assertThat(bob.streamStats().brokenByMembership()).isLessThanOrEqualTo(1);
            // Carol's writes now fail
            await(() -> {
                try {
                    open.output().write(new byte[10]);
                    return false;
                } catch (IOException e) {
                    return true;
                }
            }, () -> "carol can still write");
            // Carol opens again: refused, by her own side if she already knows of her removal, else by bob
            // (the network path is StreamAttackClusterTest's)
            assertThatThrownBy(() -> carol.openStream(id, bob.self(), "x").get(30, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(StreamException.Reason.NOT_A_PARTICIPANT));
        }
    }

    @Test
    void aReaderThatStopsStallsOnlyItsStreamNotChatAndTooManyStreamsAreRefused() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = live(alice, List.of(bob));
            bob.onStream("sink", s -> { }); // never reads
            ConferenceStream s = alice.openStream(id, bob.self(), "sink").get(30, TimeUnit.SECONDS);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    s.output().write(new byte[1 << 20]);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            });
            // the writer blocks on credit, while chat goes on both ways
            alice.say(id, "still here").join().acknowledged().get(30, TimeUnit.SECONDS);
            bob.say(id, "me too").join().acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> alice.history(id).size() == 2 && bob.history(id).size() == 2, () -> "chat stalled");
            assertThat(writer).isNotDone();
            // bounded: at most MAX_PER_PEER streams with one peer
            for (int i = 1; i < 8; i++) alice.openStream(id, bob.self(), "sink").get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> alice.openStream(id, bob.self(), "sink").get(30, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(StreamException.Reason.TOO_MANY));
            s.close(); // wakes the blocked writer well before its 30 s credit timeout
            assertThatThrownBy(() -> writer.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StreamIOException.class)
                    .satisfies(e -> assertThat(((StreamIOException) e.getCause()).reason()).isEqualTo(StreamException.Reason.CLOSED));
        }
    }

    @Test
    void theEndOfTheConferenceAndAPeerGoingOfflineBreakOpenStreams() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = live(alice, List.of(bob, carol));
            java.util.Map<PeerId, CompletableFuture<Throwable>> reads = new java.util.concurrent.ConcurrentHashMap<>();
            bob.onStream("x", s -> {
                CompletableFuture<Throwable> f = reads.computeIfAbsent(s.peer(), p -> new CompletableFuture<>());
                try {
                    readAll(s.input());
                    f.complete(null);
                } catch (IOException e) {
                    f.complete(e);
                }
            });
            carol.openStream(id, bob.self(), "x").get(30, TimeUnit.SECONDS);
            ConferenceStream fromAlice = alice.openStream(id, bob.self(), "x").get(30, TimeUnit.SECONDS);
            await(() -> reads.size() == 2, () -> "bob has not both streams");
            carol.crash();
            Throwable offline = reads.get(carol.self()).get(30, TimeUnit.SECONDS);
            assertThat(offline).isInstanceOf(StreamIOException.class);
            assertThat(((StreamIOException) offline).reason()).isEqualTo(StreamException.Reason.PEER_OFFLINE);
            alice.end(id).join();
            Throwable ended = reads.get(alice.self()).get(30, TimeUnit.SECONDS);
            assertThat(ended).isInstanceOf(StreamIOException.class);
            assertThat(((StreamIOException) ended).reason()).isEqualTo(StreamException.Reason.NOT_A_PARTICIPANT);
            assertThatThrownBy(() -> fromAlice.output().write(new byte[10])).isInstanceOf(StreamIOException.class);
            await(() -> bob.streamStats().open() == 0 && alice.streamStats().open() == 0, () -> "streams left open");
        }
    }
}
