package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
        CliRun r = CliRun.withInput("help\npeer\nsay \"open\npeers\nquit\nstats\n",
                "--home", home.toString(), "--name", "ann", "--network", "memory", "--cluster", cluster);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("ann (", "type 'help'", "commands:", "wait peers N [--timeout D]", "no other peers online")
                .doesNotContain("members 1");
        assertThat(r.err().lines().toList()).containsExactly(
                "convene: unknown command 'peer'; did you mean 'peers'? type 'help' for the list",
                "convene: unclosed double quote at column 5; close it with \"");
    }

    @Test
    void theSessionSubcommandIsTheSameAndJsonCarriesLineNumbers() {
        CliRun r = CliRun.withInput("peers\nnope\n", "--home", home.toString(), "--network", "memory", "--cluster", cluster,
                "session", "--json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.results("peers").get(0).path("line").asInt()).isEqualTo(1);
        assertThat(r.events("error").get(0).path("line").asInt()).isEqualTo(2);
        assertThat(r.events()).allSatisfy(e -> assertThat(e.has("at")).isTrue());
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
}
