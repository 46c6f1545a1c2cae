package dev.convene.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceNotFoundException;
import dev.convene.conference.ConferenceSession;
import dev.convene.conference.NewConference;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.HomeLockedException;
import dev.convene.conference.HomeOwnerException;
import dev.convene.conference.PeerClosedException;
import dev.convene.overlay.ContactCard;
import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.PeerAdvertisement;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The embedder's view, on the class path beside Kryo 4: three users meet, chat, one restarts, errors are typed,
 * shutdown is clean, and the host's own Kryo 4 and Java serialization keep working.
 */
class TeamChatTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TITLE = "Sprint planning";
    private static final String TEXT = "hello team, the board is up to date";

    private static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        Instant until = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(until)) throw new AssertionError("timed out waiting: " + what.get());
            Thread.sleep(20);
        }
    }

    @Test
    @Timeout(120)
    void threeColleaguesMeetChatRestartAndShutDown(@TempDir Path dir) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        String cluster = "team-" + UUID.randomUUID();
        Path bobHome = dir.resolve("bob");
        try (TeamChat alice = TeamChat.open("alice", dir.resolve("alice"), cluster);
             TeamChat carol = TeamChat.open("carol", dir.resolve("carol"), cluster)) {
            TeamChat bob = TeamChat.open("bob", bobHome, cluster);
            ConferenceView meeting = alice.meet(TITLE, Duration.ofMinutes(30), WAIT, bob.id(), carol.id())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            ConferenceId id = meeting.id();
            await(() -> alice.peer().conference(id).orElseThrow().participants().containsAll(List.of(bob.id(), carol.id())),
                    () -> "participants " + alice.peer().conference(id));
            alice.say(id, TEXT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await(() -> bob.feed().contains("alice: " + TEXT) && carol.feed().contains("alice: " + TEXT), () -> bob.feed() + " / " + carol.feed());
            assertThat(bob.feed()).startsWith("invited to " + TITLE);

            // A second opener of bob's workspace is refused, naming bob and this process.
            assertThatThrownBy(() -> TeamChat.open("bob", bobHome, cluster)).isInstanceOfSatisfying(HomeLockedException.class, e -> {
                assertThat(e.holder()).contains(bob.id());
                assertThat(e.pid()).hasValue(ProcessHandle.current().pid());
            });

            // Restart: bob closes and comes back with his history.
            bob.close();
            bob.close(); // idempotent
            assertThatThrownBy(() -> bob.peer().conferences()).isInstanceOf(PeerClosedException.class);
            assertThatThrownBy(() -> bob.say(id, "from the grave").get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PeerClosedException.class);
            try (TeamChat again = TeamChat.open("bob", bobHome, cluster)) {
                assertThat(again.id()).isEqualTo(bob.id());
                assertThat(again.transcript(id)).containsExactly("alice: " + TEXT);
                again.peer().awaitOnline(alice.id(), WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                again.say(id, "back again").get(WAIT.toSeconds(), TimeUnit.SECONDS);
                await(() -> alice.transcript(id).size() == 2, () -> alice.transcript(id).toString());
                // one object per conference, and the history in pages
                ConferenceSession meetingAtAlice = alice.peer().session(id);
                List<ChatEntry> newest = meetingAtAlice.historyBefore(null, 1);
                assertThat(newest).extracting(ChatEntry::text).containsExactly("back again");
                assertThat(meetingAtAlice.historyBefore(newest.get(0).id(), 5)).extracting(ChatEntry::text).containsExactly(TEXT);
                assertThat(meetingAtAlice.participants()).contains(bob.id(), carol.id());
            }
            // The host keeps keys in its own secret store: bob's identity, exported and imported, is still bob.
            assertThat(Identity.importPrivate(Identity.loadOrCreate(bobHome).exportPrivate()).id()).isEqualTo(bob.id());
            // A colleague who has never been online is invited from a contact card.
            Identity dana = Identity.generate();
            PeerAdvertisement danaCard = alice.peer().addContact(ContactCard.create(dana, "dana", Instant.now()))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(alice.peer().create(NewConference.titled("Welcome").invite(danaCard.id())).get(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .invitees()).contains(dana.id());
            // Another identity may not take bob's workspace over.
            OverlayConfig intruder = OverlayConfig.builder("mallory").mode(NetworkMode.MEMORY).cluster(cluster).home(bobHome).build();
            assertThatThrownBy(() -> ConferencePeer.builder(intruder, Identity.generate()).start())
                    .isInstanceOfSatisfying(HomeOwnerException.class, e -> assertThat(e.owner()).isEqualTo(bob.id()));

            // Errors are typed and carry data.
            ConferenceId unknown = ConferenceId.random();
            assertThatThrownBy(() -> alice.say(unknown, "x").get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOfSatisfying(ConferenceNotFoundException.class, e -> assertThat(e.conference()).isEqualTo(unknown));

            hostLibrariesStillWork(alice.transcript(id));
        } finally {
            root.detachAppender(logged);
        }
        // Content (titles, names, text) only at DEBUG, in the conference layer and the overlay alike.
        assertThat(logged.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.INFO) && e.getLoggerName().startsWith("dev.convene.conference")
                && e.getFormattedMessage().contains("Welcome"));
        for (ILoggingEvent e : logged.list) {
            if (e.getLevel().isGreaterOrEqual(Level.INFO) && e.getLoggerName().startsWith("dev.convene.")) {
                assertThat(e.getFormattedMessage()).as(e.getLoggerName()).doesNotContain(TITLE).doesNotContain(TEXT)
                        .doesNotContain("alice").doesNotContain("carol");
            }
        }
        assertThat(logged.list).as("the capture worked").isNotEmpty();
    }

    /** The host's Kryo 4 and its Java deserialization are untouched by Convene (no global filter, no Kryo clash). */
    private static void hostLibrariesStillWork(List<String> transcript) throws Exception {
        assertThatThrownBy(() -> Class.forName("com.esotericsoftware.kryo.util.Pool"))
                .as("Kryo 4 is the host's Kryo").isInstanceOf(ClassNotFoundException.class);
        Kryo kryo = new Kryo();
        kryo.register(ArrayList.class);
        Output out = new Output(1024, -1);
        kryo.writeObject(out, new ArrayList<>(transcript));
        @SuppressWarnings("unchecked")
        List<String> back = kryo.readObject(new Input(out.toBytes()), ArrayList.class);
        assertThat(back).isEqualTo(transcript);

        assertThat(ObjectInputFilter.Config.getSerialFilter()).as("no JVM-wide serialization filter").isNull();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(new ArrayList<>(transcript));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(transcript);
        }
    }
}
