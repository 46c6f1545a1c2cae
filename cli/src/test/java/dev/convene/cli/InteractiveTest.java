package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.cli.output.EventWriter;
import dev.convene.cli.session.CommandRegistry;
import dev.convene.cli.session.Session;
import dev.convene.cli.session.WaitCmd;
import dev.convene.cli.terminal.Interactive;
import dev.convene.overlay.TestCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code convene} with no command reads session commands until quit or end of input. */
@Timeout(60)
class InteractiveTest {
    @TempDir
    Path home;

    private final String cluster = CliRun.freshCluster();

    @Test
    void errorsDoNotEndTheSession() {
        CliRun r = CliRun.withInput("help\npeer\nopen \"Design\npeers\nquit\nstats\n",
                "--home", home.toString(), "--name", "ann", "--network", "memory", "--cluster", cluster);
        assertThat(r.exitCode()).as("a piped session that had a failing line exits 1; " + r).isEqualTo(1);
        assertThat(r.out()).contains("ann (", "type 'help'", "commands:", "wait peers N [--timeout D]", "no other peers online")
                .doesNotContain("members 1");
        assertThat(r.err().lines().toList()).containsExactly(
                "convene: unknown command 'peer'; did you mean 'peers'? type 'help' for the list",
                "convene: unclosed double quote at column 6; close it with \"");
    }

    @Test
    void theSessionSubcommandIsTheSameAndJsonCarriesLineNumbers() {
        CliRun r = CliRun.withInput("peers\nnope\n", "--home", home.toString(), "--network", "memory", "--cluster", cluster,
                "session", "--json");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.results("peers").get(0).path("line").asInt()).isEqualTo(1);
        assertThat(r.events("error").get(0).path("line").asInt()).isEqualTo(2);
        assertThat(r.events()).allSatisfy(e -> assertThat(e.has("at")).isTrue());
    }

    @Test
    void aPipedSessionWithoutFailuresExitsZeroAndSleepsDecimalDurations() {
        CliRun r = CliRun.withInput("peers\nsleep 0.15s\nsleep 1.5ms\n", "--home", home.toString(), "--name", "ann", "--network", "memory",
                "--cluster", cluster);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aRefusedChatLineStaysVisibleInItsError() {
        CliRun r = CliRun.withInput("create Notes\nopen Notes\nfirst\n/end\nit's over, isn't it?\n",
                "--home", home.toString(), "--name", "ann", "--network", "memory", "--cluster", cluster);
        assertThat(r.err().lines().toList()).as(r.toString()).hasSize(1)
                .allSatisfy(l -> assertThat(l).startsWith("convene: ").endsWith("; not sent: it's over, isn't it?"));
    }

    @Test
    void aConferenceAboutToStartIsAnnouncedOnce() {
        CliRun r = CliRun.withInput("create Standup --in 2m\ncreate Later --in 1h\npeers\nsleep 0.1s\n",
                "--home", home.toString(), "--name", "ann", "--network", "memory", "--cluster", cluster);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> reminders = r.out().lines().filter(l -> l.startsWith("reminder: ")).toList();
        assertThat(reminders).hasSize(1);
        assertThat(reminders.get(0)).startsWith("reminder: 'Standup' (").contains(" starts in 1m", ", at ");
    }

    @Test
    void aWaitForPeersNeverSaysMoreOfFewer() {
        assertThat(WaitCmd.peersOnline(3, 2)).isEqualTo("3 other peers online (2 wanted)");
        assertThat(WaitCmd.peersOnline(2, 2)).isEqualTo("2 other peers online");
        assertThat(WaitCmd.peersOnline(1, 1)).isEqualTo("1 other peer online");
    }

    @Test
    void thePromptShowsNameNetworkAndPeerCount() {
        java.io.StringWriter sink = new java.io.StringWriter();
        EventWriter w = new EventWriter(new java.io.PrintWriter(sink), new java.io.PrintWriter(sink), false, java.time.Clock.systemUTC());
        dev.convene.overlay.OverlayConfig config = dev.convene.overlay.OverlayConfig.builder("ann")
                .mode(dev.convene.overlay.NetworkMode.MEMORY).cluster(cluster).build();
        try (Session s = Session.open(config, dev.convene.overlay.Identity.generate(), w, CommandRegistry.standard())) {
            assertThat(Interactive.prompt(s)).isEqualTo("ann@memory (0 peers)> ");
        }
    }

    @Test
    void openEntersChatModeWhereLinesAreMessagesUntilBack(@TempDir Path dir) throws InterruptedException {
        LineFeed ann = new LineFeed();
        CliRun run = CliRun.start(ann, "--home", dir.resolve("ann").toString(), "--name", "ann", "--network", "memory", "--cluster", cluster);
        try (ScriptedPeer bob = ScriptedPeer.start(dir, cluster, "bob", "bob")) {
            bob.call("wait peers 1 --timeout 60s");
            ann.type("wait peers 1 --timeout 60s");
            ann.type("create 'Design review' --invite bob");
            bob.await("invitation", e -> e.path("title").asText().equals("Design review"));
            assertThat(bob.fail("open 'Design review'")).startsWith("you have not accepted 'Design review' (").endsWith(" first");
            bob.call("accept 'Design review'");
            assertThat(bob.fail("open 'Design review'")).isEqualTo("'open' is for the interactive session; in a script, use 'say CONF TEXT'");

            ann.type("wait reply 'Design review' bob --timeout 60s");
            ann.type("open 'Design review'");
            String typed = "hello bob, don't \"quote\" me # not a comment";
            ann.type(typed);
            bob.await("message", e -> e.path("text").asText().equals(typed));
            bob.call("say 'Design review' hi ann");
            TestCluster.awaitCondition(ScriptedPeer.WAIT, () -> run.out().contains("bob: hi ann"), run::toString);
            ann.type("/history");
            ann.type("//slash");
            ann.type("/back");
            ann.type("/back");
            ann.type("quit");
            assertThat(run.await(60_000)).as("the second /back failed; " + run).isEqualTo(1);
            bob.await("message", e -> e.path("text").asText().equals("/slash"));
        }
        assertThat(run.out()).contains("chatting in 'Design review' (", "(live, 0 messages): lines you type are messages",
                "ann: " + "hello bob, don't \"quote\" me # not a comment", "bob: hi ann", "history of 'Design review' (",
                "back to commands; 'open ").doesNotContain("sent ");
        assertThat(run.err().lines().toList()).containsExactly("convene: no conference is open; 'open CONF' chats in one");
    }

    @Test
    void helpNamesOneCommandOrFails() {
        CliRun r = CliRun.withInput("help open\nhelp nosuch\n", "--home", home.toString(), "--name", "ann", "--network", "memory",
                "--cluster", cluster);
        assertThat(r.out()).contains("usage: open CONF", "chat in a conference", "a conference: title, id or id prefix")
                .doesNotContain("peers  ");
        assertThat(r.err()).contains("convene: no command 'nosuch'; 'help' lists them all");
    }
}
