package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityCommandTest {
    @TempDir
    Path home;

    @Test
    void createsTheIdentityOnFirstUseAndKeepsIt() {
        CliRun first = CliRun.run("--home", home.toString(), "--name", "alice", "identity");
        assertThat(first.exitCode()).isZero();
        assertThat(first.out()).containsPattern("id +[a-z2-7]{32}").containsPattern("fingerprint +[0-9a-f]{4}(-[0-9a-f]{4}){3}")
                .contains("name         alice");
        assertThat(home.resolve("identity/signing.key")).exists();
        CliRun again = CliRun.run("--home", home.toString(), "identity");
        assertThat(again.out()).isEqualTo(first.out());
    }

    @Test
    void jsonIsOneResultObject() {
        CliRun r = CliRun.run("--home", home.toString(), "--name", "Zoë 日本", "--json", "identity");
        assertThat(r.exitCode()).isZero();
        assertThat(r.lines()).hasSize(1);
        JsonNode e = r.events().get(0);
        assertThat(e.path("event").asText()).isEqualTo("result");
        assertThat(e.path("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(e.path("command").asText()).isEqualTo("identity");
        assertThat(e.at("/data/id").asText()).hasSize(32);
        assertThat(e.at("/data/short-id").asText()).isEqualTo(e.at("/data/id").asText().substring(0, 8));
        assertThat(e.at("/data/name").asText()).isEqualTo("Zoë 日本");
        assertThat(e.at("/data/fingerprint").asText()).matches("[0-9a-f]{4}(-[0-9a-f]{4}){3}");
    }

    @Test
    void theChosenNameIsRememberedForTheNextRun() throws Exception {
        CliRun.run("--home", home.toString(), "--name", "carol", "identity");
        assertThat(Files.readString(home.resolve("name")).strip()).isEqualTo("carol");
        assertThat(CliRun.run("--home", home.toString(), "identity").out()).contains("name         carol");
        CliRun.run("--home", home.toString(), "--name", "dave", "identity");
        assertThat(CliRun.run("--home", home.toString(), "identity").out()).contains("name         dave");
    }

    @Test
    void withoutANameTheOsUserNameIsUsed() {
        String expected = System.getProperty("user.name").strip();
        assertThat(CliRun.run("--home", home.toString(), "identity").out()).contains("name         " + expected);
    }

    @Test
    void anInvalidNameIsAUsageError() {
        CliRun r = CliRun.run("--home", home.toString(), "--name", "x".repeat(65), "identity");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("expected: 1-64 printable characters");
    }
}
