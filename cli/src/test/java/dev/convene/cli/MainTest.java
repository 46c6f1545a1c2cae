package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The command line itself: version, help, global options anywhere, usage errors. */
class MainTest {
    @TempDir
    Path home;

    @Test
    void versionNamesConveneJGroupsAndJava() {
        CliRun r = CliRun.run("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.lines()).hasSize(3);
        assertThat(r.lines().get(0)).matches("convene \\d+\\.\\d+\\.\\d+.*");
        assertThat(r.lines().get(1)).startsWith("JGroups 5.5.7");
        assertThat(r.lines().get(2)).startsWith("Java ");
    }

    @Test
    void helpListsEveryCommandGlobalOptionAndExitCode() {
        CliRun r = CliRun.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("identity", "run", "session", "demo", "router",
                "--home", "--name", "--network", "--bind", "--port", "--seed", "--router", "--json", "--cluster",
                "Exit codes:", "0  success", "1  a command", "2  usage error");
    }

    @Test
    void everyCommandHasHelpWithItsOwnOptionsAndTheGlobalOnes() {
        for (String command : new String[] {"identity", "run", "session", "demo", "router"}) {
            CliRun r = CliRun.run(command, "--help");
            assertThat(r.exitCode()).as(command).isZero();
            assertThat(r.out()).as(command).startsWith("Usage: convene " + command).contains("--json", "--home", "Exit codes:");
        }
        assertThat(CliRun.run("run", "--help").out()).contains("FILE", "--keep-going", "wait peers N");
        assertThat(CliRun.run("demo", "--help").out()).contains("--peers", "--timeout");
        assertThat(CliRun.run("help", "run").out()).startsWith("Usage: convene run");
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand() {
        CliRun before = CliRun.run("--home", home.toString(), "--name", "alice", "--json", "identity");
        CliRun after = CliRun.run("identity", "--home", home.toString(), "--json", "--name", "alice");
        assertThat(before.exitCode()).isZero();
        assertThat(after.exitCode()).isZero();
        assertThat(before.results("identity").get(0).at("/data/id").asText())
                .isEqualTo(after.results("identity").get(0).at("/data/id").asText());
        assertThat(after.results("identity").get(0).at("/data/name").asText()).isEqualTo("alice");
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        String[][] cases = {
            {"--frobnicate"},
            {"--network", "carrier-pigeon", "identity"},
            {"--port", "70000", "identity"},
            {"--port", "many", "identity"},
            {"--seed", "nohost", "identity"},
            {"nosuchcommand"},
            {"run"},
            {"--home", home.toString(), "--name", "", "identity"},
        };
        for (String[] args : cases) {
            CliRun r = CliRun.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip()).as(String.join(" ", args)).doesNotContain("\n").startsWith("convene: ");
            assertThat(r.out()).isEmpty();
        }
        assertThat(CliRun.run("--network", "carrier-pigeon", "identity").err())
                .contains("expected: local, lan, seeds, relay or memory").contains("see 'convene --help'");
        assertThat(CliRun.run("--port", "70000", "identity").err()).contains("--port 70000 (expected: 1-65535)");
    }

    @Test
    void anExplicitBindThatDisagreesWithTheJvmPropertyIsAUsageError() {
        // The test JVM runs with -Djgroups.bind_addr=127.0.0.1 (see the parent pom).
        CliRun r = CliRun.run("--home", home.toString(), "--bind", "127.0.0.2", "identity");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--bind 127.0.0.2 disagrees with -Djgroups.bind_addr=127.0.0.1");
    }

    @Test
    void everyOptionAndParameterOfEveryCommandIsDescribed() {
        List<String> undescribed = new ArrayList<>();
        collectUndescribed(Main.commandLine(System.in), undescribed);
        assertThat(undescribed).isEmpty();
    }

    private static void collectUndescribed(CommandLine cmd, List<String> undescribed) {
        CommandSpec spec = cmd.getCommandSpec();
        if (String.join("", spec.usageMessage().description()).isBlank()) undescribed.add(spec.qualifiedName());
        for (OptionSpec o : spec.options()) {
            if (String.join("", o.description()).isBlank()) undescribed.add(spec.qualifiedName() + " " + o.longestName());
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (String.join("", p.description()).isBlank()) undescribed.add(spec.qualifiedName() + " " + p.paramLabel());
        }
        cmd.getSubcommands().values().stream().filter(sub -> sub.getParent() == cmd).forEach(sub -> collectUndescribed(sub, undescribed));
    }

    @Test
    void theSessionHelpListsChatModeAndTheNetworkHardeningOptions() {
        assertThat(CliRun.run("session", "--help").out()).contains("open CONF", "Tab", "--transport-key-file", "--max-frames-per-second");
    }
}
