package dev.convene.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.internal.HomeLock;
import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.OverlayListener;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.TestCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What an embedding application relies on: lifecycle, the home lock and owner, threading, typed refusals. */
class EmbeddingLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final String cluster = "embed-" + UUID.randomUUID();

    private OverlayConfig config(String name, Path home) {
        return OverlayConfig.builder(name).mode(NetworkMode.MEMORY).cluster(cluster).home(home).build();
    }

    private static Throwable causeOf(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.getNow(null);
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    @Timeout(60)
    void afterCloseEveryCallFailsAtOnceAndCloseIsIdempotent(@TempDir Path dir) throws Exception {
        ConferencePeer alice = ConferencePeer.builder(config("alice", dir.resolve("alice")), Identity.generate()).start();
        PeerId stranger = Identity.generate().id();
        CompletableFuture<PeerAdvertisement> waiting = alice.awaitOnline(stranger, Duration.ofHours(1));
        ConferenceId id = alice.create(NewConference.titled("Before close")).join().id();
        alice.close();
        assertThat(alice.isClosed()).isTrue();

        // a future handed out before close fails instead of never completing
        assertThat(causeOf(waiting)).isInstanceOf(PeerClosedException.class);
        // every operation's future is already failed, every query throws
        for (CompletableFuture<?> f : List.of(alice.create(NewConference.titled("After")), alice.say(id, "x"), alice.accept(id),
                alice.end(id), alice.ban(stranger), alice.invite(id, List.of(stranger)), alice.awaitPeers(1, WAIT))) {
            assertThat(causeOf(f)).isInstanceOfSatisfying(PeerClosedException.class, e -> assertThat(e.peer()).isEqualTo(alice.self()));
        }
        assertThatThrownBy(alice::conferences).isInstanceOf(PeerClosedException.class);
        assertThatThrownBy(() -> alice.history(id)).isInstanceOf(PeerClosedException.class);
        assertThatThrownBy(alice::directory).isInstanceOf(PeerClosedException.class);
        assertThatThrownBy(() -> alice.resolve("Before close")).isInstanceOf(PeerClosedException.class);
        alice.close(); // idempotent: returns without touching the stopped threads
        alice.crash();
        assertThat(alice.isClosed()).isTrue();
    }

    @Test
    @Timeout(60)
    void aHomeIsLockedWhileOpenAndNamesItsHolder(@TempDir Path dir) {
        Path home = dir.resolve("alice");
        Identity id = Identity.generate();
        try (ConferencePeer alice = ConferencePeer.builder(config("alice", home), id).start()) {
            assertThatThrownBy(() -> ConferencePeer.builder(config("alice2", home), id).start())
                    .isInstanceOfSatisfying(HomeLockedException.class, e -> {
                        assertThat(e.home()).isEqualTo(home);
                        assertThat(e.holder()).contains(alice.self());
                        assertThat(e.pid()).hasValue(ProcessHandle.current().pid());
                    });
            assertThat(alice.conferences()).isEmpty(); // the refused opener left the running peer alone
        }
        // released on close: the same home opens again
        ConferencePeer again = ConferencePeer.builder(config("alice", home), id).start();
        again.crash();
        // and on crash
        ConferencePeer.builder(config("alice", home), id).start().close();
    }

    @Test
    @Timeout(60)
    void aHomeLockedByAnotherProcessNamesThatProcess(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("held");
        PeerId holder = Identity.generate().id();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                home.toString(), holder.value()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> ConferencePeer.builder(config("bob", home), Identity.generate()).start())
                    .isInstanceOfSatisfying(HomeLockedException.class, e -> {
                        assertThat(e.holder()).contains(holder);
                        assertThat(e.pid()).hasValue(p.pid());
                    });
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        // the OS dropped the lock with the process
        ConferencePeer.builder(config("bob", home), Identity.generate()).start().close();
    }

    /** Holds a home lock in a separate JVM until its standard input closes. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            try (HomeLock lock = HomeLock.acquire(Path.of(args[0]), new PeerId(args[1]))) {
                System.out.println("locked");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait to be stopped
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void theStoreRefusesAnotherIdentityAndRecordsItsSchema(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("alice");
        Identity owner = Identity.generate();
        ConferencePeer.builder(config("alice", home), owner).start().close();
        Identity other = Identity.generate();
        assertThatThrownBy(() -> ConferencePeer.builder(config("mallory", home), other).start())
                .isInstanceOfSatisfying(HomeOwnerException.class, e -> {
                    assertThat(e.owner()).isEqualTo(owner.id());
                    assertThat(e.opener()).isEqualTo(other.id());
                });
        // the refusal released the home: its owner opens it again
        ConferencePeer.builder(config("alice", home), owner).start().close();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("convene.db"));
             ResultSet r = db.createStatement().executeQuery("PRAGMA user_version")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getInt(1)).isEqualTo(2); // schema 2: the discovery cache moved into the store
        }
    }

    @Test
    @Timeout(60)
    void anOverlayListenerMayCallThePeerButNotWaitOnTheEventThread(@TempDir Path dir) throws Exception {
        AtomicReference<ConferencePeer> self = new AtomicReference<>();
        CompletableFuture<ConferenceView> created = new CompletableFuture<>();
        CompletableFuture<Throwable> refusedWait = new CompletableFuture<>();
        OverlayListener listener = new OverlayListener() {
            @Override
            public void peerJoined(PeerAdvertisement peer) {
                ConferencePeer alice = self.get();
                if (alice == null || created.isDone()) return;
                try {
                    // runs inline on the event thread: join returns at once instead of deadlocking
                    ConferenceView v = alice.create(NewConference.titled("From a listener").invite(peer.id())).join();
                    created.complete(v);
                    Post post = alice.say(v.id(), "hello").join();
                    post.acknowledged().join(); // only the event thread could complete it: refused
                    refusedWait.complete(null);
                } catch (RuntimeException e) {
                    refusedWait.complete(e);
                }
            }
        };
        try (ConferencePeer alice = ConferencePeer.builder(config("alice", null), Identity.generate()).overlayListener(listener).start()) {
            self.set(alice);
            try (ConferencePeer bob = ConferencePeer.builder(config("bob", null), Identity.generate()).start()) {
                alice.awaitOnline(bob.self(), WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                ConferenceView v = created.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(v.title()).isEqualTo("From a listener");
                assertThat(refusedWait.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOfSatisfying(EventThreadException.class,
                        e -> assertThat(e.thread()).contains("-events"));
                // off the event thread the same wait is fine
                bob.awaitOnline(alice.self(), WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Timeout(60)
    void closingFromAnOverlayListenerReturnsAndFinishesElsewhere(@TempDir Path dir) throws Exception {
        AtomicReference<ConferencePeer> self = new AtomicReference<>();
        CompletableFuture<Void> closeReturned = new CompletableFuture<>();
        OverlayListener closer = new OverlayListener() {
            @Override
            public void peerJoined(PeerAdvertisement peer) {
                ConferencePeer alice = self.get();
                if (alice == null) return;
                alice.close();
                closeReturned.complete(null);
            }
        };
        Path home = dir.resolve("alice");
        Identity id = Identity.generate();
        ConferencePeer alice = ConferencePeer.builder(config("alice", home), id).overlayListener(closer).start();
        self.set(alice);
        try (ConferencePeer bob = ConferencePeer.builder(config("bob", null), Identity.generate()).start()) {
            closeReturned.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(alice.isClosed()).isTrue();
            assertThatThrownBy(alice::conferences).isInstanceOf(PeerClosedException.class);
            // the shutdown finishes on another thread and releases the home
            ConferenceCluster.await(() -> {
                try {
                    ConferencePeer.builder(config("alice", home), id).start().close();
                    return true;
                } catch (HomeLockedException e) {
                    return false;
                }
            }, () -> "home still locked");
        }
    }

    @Test
    @Timeout(60)
    void awaitingPeersNeedsNoPolling() throws Exception {
        try (ConferencePeer alice = ConferencePeer.builder(config("alice", null), Identity.generate()).start()) {
            CompletableFuture<List<PeerAdvertisement>> two = alice.awaitPeers(2, WAIT);
            CompletableFuture<PeerAdvertisement> never = alice.awaitOnline(Identity.generate().id(), Duration.ofMillis(200));
            assertThatThrownBy(() -> never.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
            try (ConferencePeer bob = ConferencePeer.builder(config("bob", null), Identity.generate()).start();
                 ConferencePeer carol = ConferencePeer.builder(config("carol", null), Identity.generate()).start()) {
                assertThat(two.get(WAIT.toSeconds(), TimeUnit.SECONDS)).extracting(PeerAdvertisement::id)
                        .contains(bob.self(), carol.self());
                // already online: completes at once
                assertThat(alice.awaitOnline(bob.self(), WAIT)).isCompleted();
            }
        }
    }

    @Test
    @Timeout(60)
    void refusalsAreTypedAndCarryTheirData() throws Exception {
        try (ConferencePeer alice = ConferencePeer.builder(config("alice", null), Identity.generate()).start();
             ConferencePeer bob = ConferencePeer.builder(config("bob", null), Identity.generate()).start()) {
            alice.awaitOnline(bob.self(), WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            ConferenceId unknown = ConferenceId.random();
            assertThat(failure(alice.say(unknown, "x"))).isInstanceOfSatisfying(ConferenceNotFoundException.class, e -> assertThat(e.conference()).isEqualTo(unknown));
            PeerId stranger = Identity.generate().id();
            assertThat(failure(alice.create(NewConference.titled("T").invite(stranger))))
                    .isInstanceOfSatisfying(MemberException.class, e -> {
                        assertThat(e.peer()).isEqualTo(stranger);
                        assertThat(e.problem()).isEqualTo(MemberException.Problem.UNKNOWN_PEER);
                        assertThat(e.conference()).isEmpty();
                    });
            ConferenceView later = alice.create(NewConference.titled("Later").startingIn(Duration.ofMinutes(10)).invite(bob.self())).join();
            assertThat(failure(alice.say(later.id(), "early"))).isInstanceOfSatisfying(ConferenceStateException.class, e -> {
                assertThat(e.conference()).isEqualTo(later.id());
                assertThat(e.state()).isEqualTo(ConferenceState.SCHEDULED);
                assertThat(e.required()).containsExactly(ConferenceState.LIVE);
            });
            assertThat(failure(alice.invite(later.id(), List.of(bob.self())))).isInstanceOfSatisfying(MemberException.class,
                    e -> assertThat(e.problem()).isEqualTo(MemberException.Problem.ALREADY_MEMBER));
            assertThat(failure(alice.ban(alice.self()))).isInstanceOfSatisfying(NotAllowedException.class,
                    e -> assertThat(e.rule()).isEqualTo(NotAllowedException.Rule.CANNOT_BAN_ITSELF));
            assertThat(failure(alice.say(later.id(), "")))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(InvalidInputException.TEXT));
            assertThatThrownBy(() -> alice.resolve("nothing like it")).isInstanceOfSatisfying(ConferenceLookupException.class, e -> {
                assertThat(e.reference()).isEqualTo("nothing like it");
                assertThat(e.ambiguous()).isFalse();
            });
            // no core message tells a user to run a command or pass a flag
            for (Throwable t : List.of(failure(alice.say(unknown, "x")), failure(alice.say(later.id(), "early")))) {
                assertThat(t.getMessage()).doesNotContain("run '").doesNotContain("--");
            }
        }
    }

    private static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("expected a refusal");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("no answer", e);
        }
    }
}
