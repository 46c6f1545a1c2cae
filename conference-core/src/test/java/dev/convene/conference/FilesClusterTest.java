package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files shared in a conference, between peers in one JVM: share and fetch with identical SHA-256, several sources,
 * the sharer gone mid-transfer, a fetch resumed after a restart, offers kept across restarts and seen by a late
 * joiner.
 */
@Timeout(120)
class FilesClusterTest {
    @TempDir
    Path dir;

    private ConferencePeer startAt(ConferenceCluster cl, String name) {
        Path home = dir.resolve(name);
        return cl.start(name, home, Identity.loadOrCreate(home), cl.clock);
    }

    private static ConferenceId live(ConferencePeer organiser, List<ConferencePeer> invitees) {
        ConferenceId id = organiser.create(NewConference.titled("Files").invite(invitees.stream().map(ConferencePeer::self).toList()))
                .join().id();
        for (ConferencePeer p : invitees) {
            await(() -> p.conference(id).isPresent(), () -> p.name() + " has no invitation");
            p.accept(id).join();
        }
        for (ConferencePeer p : invitees) {
            await(() -> organiser.conference(id).orElseThrow().participants().contains(p.self())
                    && invitees.stream().allMatch(q -> q.conference(id).orElseThrow().participants().contains(p.self())),
                    () -> "participants incomplete");
        }
        return id;
    }

    private Path randomFile(String name, int size, long seed) throws Exception {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Path f = dir.resolve("src-" + seed).resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, b);
        return f;
    }

    static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    private static FileOffer awaitOffer(ConferencePeer p, ConferenceId id, MessageId offer) {
        await(() -> p.files(id).stream().anyMatch(o -> o.id().equals(offer)), () -> p.name() + " has not seen the offer");
        return p.files(id).stream().filter(o -> o.id().equals(offer)).findFirst().orElseThrow();
    }

    @Test
    void aSharedFileIsFetchedWholeWithItsHashAndThenServedByTheFetcherToo() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            ConferencePeer carol = startAt(cl, "carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = live(alice, List.of(bob, carol));
            List<FileOffer> told = new CopyOnWriteArrayList<>();
            bob.addListener(new ConferenceListener() {
                @Override
                public void fileOffered(FileOffer offer) {
                    told.add(offer);
                }
            });
            Path src = randomFile("report 2026.bin", 3 << 20, 1);
            FileOffer offer = alice.share(id, src).get(30, TimeUnit.SECONDS);
            assertThat(offer.name()).isEqualTo("report 2026.bin");
            assertThat(offer.size()).isEqualTo(3 << 20);
            assertThat(offer.sha256()).isEqualTo(sha256(src));
            assertThat(offer.chunkCount()).isEqualTo(12);
            assertThat(alice.files(id)).containsExactly(offer);

            assertThat(awaitOffer(bob, id, offer.id())).isEqualTo(offer);
            await(() -> told.size() == 1, () -> "bob's listener: " + told);
            List<FileProgress> progress = new CopyOnWriteArrayList<>();
            Path to = dir.resolve("bob-downloads");
            FetchedFile got = bob.fetch(id, offer.id(), to, progress::add).get(60, TimeUnit.SECONDS);
            assertThat(got.path()).isEqualTo(to.toAbsolutePath().normalize().resolve("report 2026.bin"));
            assertThat(sha256(got.path())).isEqualTo(offer.sha256()).isEqualTo(got.sha256());
            assertThat(Files.readAllBytes(got.path())).isEqualTo(Files.readAllBytes(src));
            assertThat(progress).isNotEmpty();
            assertThat(progress.get(progress.size() - 1).bytesDone()).isEqualTo(offer.size());
            assertThat(bob.fileStats().chunksFetched()).isEqualTo(12);
            assertThat(bob.fileStats().fetchesCompleted()).isEqualTo(1);
            assertThat(alice.fileStats().shared()).isEqualTo(1);

            // The same file again into the same directory: a second name, same content, nothing fetched again.
            FetchedFile again = bob.fetch(id, offer.id(), to, null).get(60, TimeUnit.SECONDS);
            assertThat(again.path().getFileName().toString()).isEqualTo("report 2026 (1).bin");
            assertThat(sha256(again.path())).isEqualTo(offer.sha256());
            assertThat(bob.fileStats().chunksFetched()).isEqualTo(12);

            // Carol fetches to the default directory, in the home; bob serves too now.
            FetchedFile c = carol.fetch(id, offer.id(), null, null).get(60, TimeUnit.SECONDS);
            assertThat(c.path()).isEqualTo(dir.resolve("carol").toAbsolutePath().normalize().resolve("downloads").resolve(id.value())
                    .resolve("report 2026.bin"));
            assertThat(sha256(c.path())).isEqualTo(offer.sha256());
            assertThat(alice.fileStats().chunksServed() + bob.fileStats().chunksServed()).isGreaterThanOrEqualTo(12);

            // Chat goes on.
            carol.say(id, "got it").join().storedByAll().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void whenTheSharerCrashesMidTransferTheFetchCompletesFromAnotherHolder() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            ConferencePeer carol = startAt(cl, "carol");
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = live(alice, List.of(bob, carol));
            Path src = randomFile("big.bin", 4 << 20, 2);
            FileOffer offer = alice.share(id, src).get(30, TimeUnit.SECONDS);
            awaitOffer(bob, id, offer.id());
            bob.fetch(id, offer.id(), dir.resolve("bob-out"), null).get(60, TimeUnit.SECONDS);
            awaitOffer(carol, id, offer.id());

            // Carol's progress stops (on every source thread) until alice has crashed.
            CountDownLatch crashed = new CountDownLatch(1);
            AtomicLong doneAtCrash = new AtomicLong(-1);
            CompletableFuture<Void> halfway = new CompletableFuture<>();
            int[] maxSources = {0};
            CompletableFuture<FetchedFile> fetch = carol.fetch(id, offer.id(), dir.resolve("carol-out"), p -> {
                maxSources[0] = Math.max(maxSources[0], p.sources());
                if (p.bytesDone() > 0 && p.bytesDone() < p.bytesTotal()) {
                    if (halfway.complete(null)) doneAtCrash.set(p.bytesDone());
                    try {
                        crashed.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            halfway.get(60, TimeUnit.SECONDS);
            alice.crash();
            crashed.countDown();
            FetchedFile got = fetch.get(60, TimeUnit.SECONDS);
            assertThat(doneAtCrash.get()).isBetween(1L, offer.size() - 1);
            assertThat(sha256(got.path())).isEqualTo(offer.sha256());
            assertThat(bob.fileStats().chunksServed()).isPositive();
            assertThat(carol.fileStats().chunksRejected()).isZero();
        }
    }

    @Test
    void aFetchResumesAfterTheFetcherRestartsWithoutFetchingWhatItHadAgain() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = live(alice, List.of(bob));
            Path src = randomFile("resume.bin", 3 << 20, 3);
            FileOffer offer = alice.share(id, src).get(30, TimeUnit.SECONDS);
            awaitOffer(bob, id, offer.id());

            CountDownLatch stopped = new CountDownLatch(1);
            CompletableFuture<Long> some = new CompletableFuture<>();
            CompletableFuture<FetchedFile> first = bob.fetch(id, offer.id(), dir.resolve("out"), p -> {
                if (p.bytesDone() >= (1 << 20) && p.bytesDone() < p.bytesTotal()) {
                    some.complete(p.bytesDone());
                    try {
                        stopped.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            long had = some.get(60, TimeUnit.SECONDS);
            bob.crash(); // as a killed process
            stopped.countDown();
            assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(((FileException) e.getCause()).reason()).isEqualTo(FileException.Reason.CLOSED));

            ConferencePeer bob2 = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob2);
            List<FileProgress> progress = new CopyOnWriteArrayList<>();
            FetchedFile got = bob2.fetch(id, offer.id(), dir.resolve("out"), progress::add).get(60, TimeUnit.SECONDS);
            assertThat(progress.get(0).bytesDone()).isGreaterThanOrEqualTo(had);
            assertThat(bob2.fileStats().bytesFetched()).isLessThanOrEqualTo(offer.size() - had);
            assertThat(sha256(got.path())).isEqualTo(offer.sha256());
            assertThat(got.path().getFileName().toString()).isEqualTo("resume.bin");
            try (var partials = Files.list(dir.resolve("bob").resolve("files").resolve("partial"))) {
                assertThat(partials.toList()).isEmpty();
            }
        }
    }

    @Test
    void offersSurviveARestartInHistoryOrderAndALateJoinerSeesAndFetchesThem() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            ConferencePeer dave = startAt(cl, "dave");
            cl.awaitDirectories(alice, bob, dave);
            ConferenceId id = live(alice, List.of(bob));
            FileOffer one = alice.share(id, randomFile("one.txt", 1000, 4)).get(30, TimeUnit.SECONDS);
            alice.say(id, "between").join();
            FileOffer two = alice.share(id, randomFile("empty.txt", 0, 5)).get(30, TimeUnit.SECONDS);
            await(() -> bob.files(id).size() == 2, () -> "bob: " + bob.files(id));
            assertThat(bob.files(id)).containsExactly(one, two);
            assertThat(alice.history(id)).extracting(ChatEntry::text).containsExactly("between");

            alice.close();
            ConferencePeer alice2 = startAt(cl, "alice");
            assertThat(alice2.files(id)).containsExactly(one, two);

            // Dave joins later: the offers come with the history, and he fetches from the restarted sharer.
            alice2.invite(id, List.of(dave.self())).join();
            await(() -> dave.conference(id).isPresent(), () -> "dave has no invitation");
            dave.accept(id).join();
            await(() -> dave.files(id).size() == 2, () -> "dave: " + dave.files(id));
            assertThat(dave.files(id)).containsExactly(one, two);
            bob.close(); // only alice holds the file now
            FetchedFile got = dave.fetch(id, one.id(), null, null).get(60, TimeUnit.SECONDS);
            assertThat(sha256(got.path())).isEqualTo(one.sha256());
            FetchedFile empty = dave.fetch(id, two.id(), null, null).get(60, TimeUnit.SECONDS);
            assertThat(Files.size(empty.path())).isZero();
            assertThat(empty.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        }
    }

    @Test
    void chatIsAcknowledgedBothWaysWhileAFileMoves() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = live(alice, List.of(bob));
            FileOffer offer = alice.share(id, randomFile("movie.bin", 12 << 20, 11)).get(30, TimeUnit.SECONDS);
            awaitOffer(bob, id, offer.id());
            CompletableFuture<FetchedFile> fetch = bob.fetch(id, offer.id(), null, null);
            int during = 0;
            for (int i = 0; !fetch.isDone(); i++) {
                ConferencePeer from = i % 2 == 0 ? alice : bob;
                from.say(id, "still talking " + i).join().acknowledged().get(30, TimeUnit.SECONDS);
                if (!fetch.isDone()) during++;
            }
            assertThat(sha256(fetch.get(60, TimeUnit.SECONDS).path())).isEqualTo(offer.sha256());
            assertThat(during).as("chat acknowledged while the file moved").isPositive();
        }
    }


    @Test
    void cancellingAFetchStopsItKeepsItsChunksAndALaterFetchResumes() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = live(alice, List.of(bob));
            FileOffer offer = alice.share(id, randomFile("cancel.bin", 8 << 20, 21)).get(30, TimeUnit.SECONDS);
            awaitOffer(bob, id, offer.id());
            java.util.concurrent.atomic.AtomicReference<CompletableFuture<FetchedFile>> ref = new java.util.concurrent.atomic.AtomicReference<>();
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<FetchedFile> fetch = bob.fetch(id, offer.id(), null, p -> {
                if (p.bytesDone() > 0) {
                    try {
                        started.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ref.get().cancel(false); // from the first chunk written: the fetch cannot be whole yet
                }
            });
            ref.set(fetch);
            started.countDown();
            assertThatThrownBy(() -> fetch.get(30, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.CancellationException.class);
            await(() -> bob.fileStats().activeFetches() == 0 && bob.fileStats().fetchesCancelled() == 1,
                    () -> "fetch still running: " + bob.fileStats());
            assertThat(bob.fileStats().fetchesFailed()).isZero();
            long kept = bob.fileBytesHeld(offer);
            assertThat(kept).as("verified chunks kept").isPositive().isLessThan(offer.size());
            long fetchedBefore = bob.fileStats().chunksFetched();

            FetchedFile got = bob.fetch(id, offer.id(), null, null).get(60, TimeUnit.SECONDS);
            assertThat(sha256(got.path())).isEqualTo(offer.sha256());
            assertThat(bob.fileStats().chunksFetched() - fetchedBefore).as("resumed, not restarted")
                    .isLessThan(offer.chunkCount());
            assertThat(bob.fileStats().fetchesCompleted()).isEqualTo(1);
        }
    }

    @Test
    void aFetchWithNoSourceFailsAfterTheStallAndSucceedsOnceAHolderIsBack() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            Path bobHome = dir.resolve("bob");
            ConferencePeer bob = cl.start("bob", bobHome, Identity.loadOrCreate(bobHome), cl.clock, b -> b.fetchStall(java.time.Duration.ofSeconds(1)));
            cl.awaitDirectories(alice, bob);
            ConferenceId id = live(alice, List.of(bob));
            FileOffer offer = alice.share(id, randomFile("later.bin", 300_000, 10)).get(30, TimeUnit.SECONDS);
            awaitOffer(bob, id, offer.id());
            alice.close();
            await(() -> !bob.directory().isOnline(alice.self()), () -> "alice still online for bob");
            assertThatThrownBy(() -> bob.fetch(id, offer.id(), null, null).get(30, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(((FileException) e.getCause()).reason()).isEqualTo(FileException.Reason.NO_SOURCE));
            assertThat(bob.fileStats().fetchesFailed()).isEqualTo(1);
            assertThat(bob.fileStats().activeFetches()).isZero();

            ConferencePeer alice2 = startAt(cl, "alice");
            cl.awaitDirectories(alice2, bob);
            FetchedFile got = bob.fetch(id, offer.id(), null, null).get(60, TimeUnit.SECONDS);
            assertThat(sha256(got.path())).isEqualTo(offer.sha256());
        }
    }

    @Test
    void aPeerWithoutAHomeCannotShareAndUnknownOffersAreNotFound() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = startAt(cl, "bob");
            cl.awaitDirectories(alice, bob);
            ConferenceId id = live(alice, List.of(bob));
            assertThatThrownBy(() -> alice.share(id, randomFile("x", 10, 6)).get(30, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(((FileException) e.getCause()).reason()).isEqualTo(FileException.Reason.NO_HOME));
            assertThatThrownBy(() -> bob.fetch(id, new MessageId(alice.self(), 7), null, null).get(30, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(((FileException) e.getCause()).reason()).isEqualTo(FileException.Reason.NOT_FOUND));
            // A local name that is not safe everywhere is offered made safe.
            FileOffer odd = bob.share(id, randomFile("CON", 10, 8)).get(30, TimeUnit.SECONDS);
            assertThat(odd.name()).isEqualTo("_CON");
            FileOffer odd2 = bob.share(id, randomFile("what?:*\u0007.txt", 10, 9)).get(30, TimeUnit.SECONDS);
            assertThat(odd2.name()).isEqualTo("what____.txt");
            assertThatThrownBy(() -> bob.share(id, dir).get(30, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(((FileException) e.getCause()).reason()).isEqualTo(FileException.Reason.NOT_SHAREABLE));
        }
    }
}
