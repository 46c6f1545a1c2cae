package dev.convene.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.cli.CliRun;
import dev.convene.cli.output.EventWriter;
import dev.convene.cli.session.CommandRegistry;
import dev.convene.cli.session.Session;
import dev.convene.cli.session.ShellWords;
import dev.convene.conference.NewConference;
import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.TestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tab completion reads the live directory and conference list: commands, peers, titles, chat mode. */
@Timeout(120)
class SessionCompleterTest {
    private final String cluster = CliRun.freshCluster();
    private final CommandRegistry registry = CommandRegistry.standard();
    private final AtomicReference<String> chat = new AtomicReference<>();
    private Session ann;
    private Session bob;
    private Session otherBob;
    private SessionCompleter completer;

    private Session open(String name) {
        EventWriter quiet = new EventWriter(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false, Clock.systemUTC());
        OverlayConfig config = OverlayConfig.builder(name).mode(NetworkMode.MEMORY).cluster(cluster).build();
        return Session.open(config, Identity.generate(), quiet, registry);
    }

    @BeforeEach
    void twoPeersAndAConference() {
        ann = open("ann");
        bob = open("bob");
        TestCluster.awaitCondition(Duration.ofSeconds(60), () -> ann.overlay().directory().online().size() == 1
                && bob.overlay().directory().online().size() == 1, () -> "ann and bob do not see each other");
        ann.conferences().create(NewConference.titled("Design review").invite(bob.overlay().self())).join();
        ann.conferences().create(NewConference.titled("Standup")).join();
        completer = new SessionCompleter(registry, () -> ann, () -> Optional.ofNullable(chat.get()));
    }

    @AfterEach
    void close() {
        for (Session s : new Session[] {otherBob, bob, ann}) if (s != null) s.close();
    }

    private List<String> values(String line, String partial) {
        List<String> words = new java.util.ArrayList<>(ShellWords.split(line));
        words.add(partial);
        return completer.candidates(words, words.size() - 1, partial).stream().map(Candidate::value)
                .filter(v -> v.startsWith(partial)).toList();
    }

    @Test
    void commandNamesComeFirst() {
        assertThat(values("", "pe")).containsExactly("peers");
        assertThat(values("", "o")).containsExactly("open");
        assertThat(values("", "")).contains("accept", "open", "quit", "wait").doesNotContain("/back");
        assertThat(values("help", "inv")).containsExactlyInAnyOrder("invite", "invitations");
    }

    @Test
    void conferencesByTitleAndPeersByName() {
        assertThat(values("accept", "")).containsExactlyInAnyOrder("Design review", "Standup");
        assertThat(values("open", "Des")).containsExactly("Design review");
        assertThat(values("invite Standup", "b")).containsExactly("bob");
        assertThat(values("remove Standup", "")).containsExactly("bob");
        assertThat(values("ban", "")).as("never this peer itself").containsExactly("bob");
        assertThat(values("create Sync --invite", "")).containsExactly("bob");
        assertThat(values("create Sync --invite", "carol,b")).containsExactly("carol,bob");
        assertThat(values("create Sync", "--p")).containsExactly("--participants-may-invite");
        assertThat(values("history Standup", "--")).as("options from the picocli model").containsExactlyInAnyOrder("--last", "--since");
        assertThat(values("create Sync", "--st")).containsExactly("--standing");
        assertThat(values("wait", "st")).containsExactly("started");
        assertThat(values("wait", "")).as("the kinds, from the picocli model")
                .containsExactlyInAnyOrder("peers", "invitation", "reply", "started", "ended", "message", "delivered", "file");
        assertThat(values("wait reply Standup", "")).containsExactly("bob");
        assertThat(values("say Standup", "")).as("free text").isEmpty();
        assertThat(values("nosuchcommand", "")).isEmpty();
    }

    @Test
    void offeredFilesByNameAndByReferenceWhereNamesClash(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        EventWriter quiet = new EventWriter(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false, Clock.systemUTC());
        OverlayConfig config = OverlayConfig.builder("cat").mode(NetworkMode.MEMORY).cluster(cluster).home(dir.resolve("home")).build();
        otherBob = Session.open(config, Identity.generate(), quiet, registry);
        var conf = otherBob.conferences().create(NewConference.titled("Files")).join().id();
        java.nio.file.Path a = java.nio.file.Files.writeString(java.nio.file.Files.createDirectories(dir.resolve("a")).resolve("notes.txt"), "a");
        java.nio.file.Path b = java.nio.file.Files.writeString(java.nio.file.Files.createDirectories(dir.resolve("b")).resolve("notes.txt"), "b");
        java.nio.file.Path c = java.nio.file.Files.writeString(dir.resolve("plan 🎉.md"), "c");
        var first = otherBob.conferences().share(conf, a).join();
        otherBob.conferences().share(conf, b).join();
        otherBob.conferences().share(conf, c).join();
        completer = new SessionCompleter(registry, () -> otherBob, () -> Optional.ofNullable(chat.get()));
        assertThat(values("fetch Files", "")).containsExactlyInAnyOrder("plan 🎉.md", "cat#" + first.id().sequence(),
                "cat#" + (first.id().sequence() + 1));
        assertThat(values("wait file Files", "pl")).containsExactly("plan 🎉.md");
        assertThat(values("fetch nosuch", "")).as("no such conference: nothing").isEmpty();
        assertThat(values("share", "Fi")).containsExactly("Files");
    }

    @Test
    void aNameSeveralKeysUseIsOfferedAsIds() {
        otherBob = open("bob");
        TestCluster.awaitCondition(Duration.ofSeconds(60), () -> ann.overlay().directory().online().size() == 2, () -> "no second bob");
        assertThat(values("ban", "")).containsExactlyInAnyOrder(bob.overlay().self().shortId(), otherBob.overlay().self().shortId());
    }

    @Test
    void inChatModeSlashCommandsImplyTheOpenConferenceAndTextCompletesNames() {
        chat.set(ann.conferences().resolve("Standup").id().value());
        assertThat(values("", "/b")).containsExactly("/back", "/ban", "/bans");
        assertThat(values("", "/hi")).containsExactly("/history");
        assertThat(values("/invite", "")).as("the conference is implied").containsExactly("bob");
        assertThat(values("/open", "Des")).as("open switches conference").containsExactly("Design review");
        assertThat(values("thanks", "b")).containsExactly("bob");
    }
}
