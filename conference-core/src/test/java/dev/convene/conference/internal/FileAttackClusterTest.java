package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceStream;
import dev.convene.conference.FetchedFile;
import dev.convene.conference.FileOffer;
import dev.convene.conference.MessageId;
import dev.convene.conference.StreamException;
import dev.convene.overlay.Identity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile file sharing: offers from a non-participant, offers whose name is a path, a device or has control
 * characters, offers out of bounds, a holder serving chunks that do not match their hashes, requests for what a
 * peer does not hold, and a removed participant asking for chunks. Each is refused and counted, nothing is written
 * outside the home or the directory asked for, and the peer goes on.
 */
@Timeout(120)
class FileAttackClusterTest {
    @TempDir
    Path dir;

    private ConferencePeer startAt(ConferenceCluster cl, String name) {
        Path home = dir.resolve(name);
        return cl.start(name, home, Identity.loadOrCreate(home), cl.clock);
    }

    /** An offer's value as raw bytes, with no check at all. */
    private static byte[] rawOffer(byte[] name, long size, int chunkSize) {
        return ByteBuffer.allocate(2 + name.length + 76).putShort((short) name.length).put(name).putLong(size).putInt(chunkSize)
                .put(new byte[32]).put(new byte[32]).array();
    }

    private static byte[] offerPlain(byte[] value) {
        return TypedEvents.plaintext(FileCodecs.NAME, FileCodecs.VERSION, value);
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    private Path randomFile(String name, int size) throws IOException {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        Path f = dir.resolve("src").resolve(name);
        Files.createDirectories(f.getParent());
        return Files.write(f, b);
    }

    private static List<Path> tree(Path root) throws IOException {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.toList();
        }
    }

    @Test
    void offersFromAnOutsiderOrWithUnsafeNamesOrOutOfBoundsAreRefusedAndCounted() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory");
                 HostilePeer eve = HostilePeer.besides(alice, "eve")) {
                cl.awaitDirectories(alice, bob);
                eve.awaitSeenBy(List.of(alice, bob));
                ConferenceId id = Scenarios.live("Files", alice, List.of(bob), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                List<Path> before = tree(dir.resolve("alice"));

                // An offer by a peer that is not a participant (it got the key somehow): refused with chat, before delivery.
                long rejected = HostilePeer.rejected(alice);
                byte[] fine = rawOffer("eve.txt".getBytes(StandardCharsets.UTF_8), 10, FileOffer.DEFAULT_CHUNK_SIZE);
                eve.send(alice, EventAttackClusterTest.typed(eve.identity(), id, 1, eve.now(), key, offerPlain(fine)));
                Scenarios.awaitRejected(alice, rejected + 1);

                // A participant's offers with unsafe names, or out of bounds: each counted, none listed.
                List<byte[]> bad = new ArrayList<>();
                for (String name : List.of("../../x", "/etc/passwd", "C:\\x", "a/b", "CON", "nul.txt", "com1", "LPT9.log", "", ".", "..",
                        "a\u0000b", "line\nbreak", "bell\u0007", "esc\u001B[31m", "rtl\u202Etxt.exe", "trailing.", " lead", "x:y",
                        "a".repeat(256))) {
                    bad.add(rawOffer(name.getBytes(StandardCharsets.UTF_8), 10, FileOffer.DEFAULT_CHUNK_SIZE));
                }
                bad.add(rawOffer(new byte[] {(byte) 0xC0, (byte) 0xAF, 'x'}, 10, FileOffer.DEFAULT_CHUNK_SIZE)); // overlong '/'
                bad.add(rawOffer("big".getBytes(StandardCharsets.UTF_8), FileOffer.MAX_SIZE + 1, FileOffer.MAX_CHUNK_SIZE));
                bad.add(rawOffer("many".getBytes(StandardCharsets.UTF_8), (FileOffer.MAX_CHUNKS + 1L) * FileOffer.MIN_CHUNK_SIZE,
                        FileOffer.MIN_CHUNK_SIZE));
                bad.add(rawOffer("odd".getBytes(StandardCharsets.UTF_8), 10, 100_000));
                bad.add(rawOffer("neg".getBytes(StandardCharsets.UTF_8), -1, FileOffer.DEFAULT_CHUNK_SIZE));
                bad.add(java.util.Arrays.copyOf(fine, fine.length + 1)); // trailing bytes
                long seq = 0;
                for (byte[] v : bad) mallory.send(alice, EventAttackClusterTest.typed(mallory.identity(), id, ++seq, mallory.now(), key, offerPlain(v)));
                mallory.send(alice, EventAttackClusterTest.typed(mallory.identity(), id, ++seq, mallory.now(), key,
                        offerPlain(rawOffer("report.pdf".getBytes(StandardCharsets.UTF_8), 10, FileOffer.DEFAULT_CHUNK_SIZE))));
                await(() -> alice.files(id).size() == 1, () -> "alice: " + alice.files(id) + " " + alice.fileStats());
                assertThat(alice.files(id)).extracting(FileOffer::name).containsExactly("report.pdf");
                assertThat(alice.fileStats().offersRefused()).isEqualTo(bad.size());
                assertThat(tree(dir.resolve("alice"))).as("nothing written for offers").isEqualTo(before);
                assertThat(Files.exists(dir.resolve("x"))).isFalse();

                Scenarios.stillChats(alice, id, bob);
            }
        }
    }

    @Test
    void chunksThatDoNotMatchTheirHashAreNotWrittenAndTheFetchCompletesFromAnHonestHolder() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            ConferencePeer carol = startAt(cl, "carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = Scenarios.live("Files", alice, List.of(bob, carol), List.of());
            FileOffer offer = alice.share(id, randomFile("data.bin", 1 << 20)).get(30, TimeUnit.SECONDS);
            await(() -> bob.files(id).size() == 1 && carol.files(id).size() == 1, () -> "offer not seen");
            bob.fetch(id, offer.id(), dir.resolve("bob-out"), null).get(60, TimeUnit.SECONDS);
            // Bob's stored copy goes bad (a lying or broken holder): its chunk hash list is still right.
            byte[] junk = new byte[(int) offer.size()];
            new Random(7).nextBytes(junk);
            Files.write(dir.resolve("bob").resolve("files").resolve(offer.sha256()), junk);
            alice.close(); // bob is the only holder online

            Path out = dir.resolve("carol-out");
            CompletableFuture<FetchedFile> fetch = carol.fetch(id, offer.id(), out, null);
            await(() -> carol.fileStats().chunksRejected() >= 1, () -> "carol: " + carol.fileStats());
            assertThat(carol.fileStats().chunksFetched()).isZero();
            assertThat(tree(out)).isEmpty();
            assertThat(fetch).isNotDone();

            // The sharer comes back: the fetch completes from it, with the offer's hash.
            ConferencePeer alice2 = startAt(cl, "alice");
            FetchedFile got = fetch.get(60, TimeUnit.SECONDS);
            assertThat(sha256(got.path())).isEqualTo(offer.sha256());
            assertThat(alice2.fileStats().chunksServed()).isPositive();
            assertThat(got.path().getParent()).isEqualTo(out.toAbsolutePath().normalize());
        }
    }

    @Test
    void requestsForWhatAPeerDoesNotHoldAndFromARemovedPeerAreRefused() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            ConferencePeer carol = startAt(cl, "carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = Scenarios.live("Files", alice, List.of(bob, carol), List.of());
            FileOffer offer = alice.share(id, randomFile("held.bin", 100_000)).get(30, TimeUnit.SECONDS);
            await(() -> bob.files(id).size() == 1 && carol.files(id).size() == 1, () -> "offer not seen");

            // Carol holds nothing: she answers NOT_HELD, for a known offer and for an unknown one, and counts both.
            ConferenceStream toCarol = bob.openStream(id, carol.self(), FileServer.PROTOCOL).get(30, TimeUnit.SECONDS);
            toCarol.output().write(FileServer.request(FileServer.CHUNK, offer.id(), 0));
            assertThat(toCarol.input().readNBytes(5)).containsExactly(FileServer.NOT_HELD, 0, 0, 0, 0);
            toCarol.output().write(FileServer.request(FileServer.HAVE, new MessageId(bob.self(), 99), 0));
            assertThat(toCarol.input().readNBytes(5)).containsExactly(FileServer.NOT_HELD, 0, 0, 0, 0);
            assertThat(carol.fileStats().requestsRefused()).isEqualTo(2);
            // A malformed request ends the stream.
            toCarol.output().write(new byte[FileServer.REQUEST_BYTES]);
            assertThat(toCarol.input().readNBytes(5)).isEmpty();
            assertThat(carol.fileStats().requestsRefused()).isEqualTo(3);

            // Alice holds it and answers bob; once bob is removed his stream breaks and a new one is refused.
            ConferenceStream toAlice = bob.openStream(id, alice.self(), FileServer.PROTOCOL).get(30, TimeUnit.SECONDS);
            toAlice.output().write(FileServer.request(FileServer.HAVE, offer.id(), 0));
            InputStream in = toAlice.input();
            assertThat(in.readNBytes(5)).containsExactly(FileServer.OK, 0, 0, 0, 1);
            assertThat(in.readNBytes(1)).containsExactly(1);
            long served = alice.fileStats().chunksServed();
            alice.remove(id, bob.self()).join();
            assertThatThrownBy(() -> {
                toAlice.output().write(FileServer.request(FileServer.CHUNK, offer.id(), 0));
                in.readNBytes(5 + 100_000);
            }).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> bob.openStream(id, alice.self(), FileServer.PROTOCOL).get(30, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(((StreamException) e.getCause()).reason()).isEqualTo(StreamException.Reason.NOT_A_PARTICIPANT));
            assertThat(alice.fileStats().chunksServed()).isEqualTo(served);

            // Carol still fetches it.
            FetchedFile got = carol.fetch(id, offer.id(), null, null).get(60, TimeUnit.SECONDS);
            assertThat(got.sha256()).isEqualTo(offer.sha256());
        }
    }
}
