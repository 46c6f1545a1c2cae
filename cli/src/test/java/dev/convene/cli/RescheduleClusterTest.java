package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code reschedule} end to end: the organiser's result, every member's {@code conference-rescheduled} event, the refusals. */
class RescheduleClusterTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final ScriptedPeers peers = new ScriptedPeers();

    private ScriptedPeer start(String name) {
        return peers.start(dir, name);
    }

    @Test
    void theOrganiserReschedulesAndEveryMemberHearsItWithTheScheduleBefore() {
        ScriptedPeer alice = start("alice");
        ScriptedPeer bob = start("bob");
        for (ScriptedPeer p : peers) p.call("wait peers 1 --timeout 30s");
        JsonNode created = alice.call("create Planning --in 1h --duration 30m --invite bob");
        String conf = created.path("id").asText();
        Instant oldStart = Instant.parse(created.path("start").asText());
        bob.call("wait invitation Planning --timeout 30s");
        bob.call("accept " + conf);

        String refused = bob.fail("reschedule " + conf + " --duration 2h");
        assertThat(refused).contains("only the organiser or a co-organiser");

        Instant newStart = Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        JsonNode moved = alice.call("reschedule Planning --start " + newStart + " --duration 2h");
        assertThat(moved.path("id").asText()).isEqualTo(conf);
        assertThat(Instant.parse(moved.path("start").asText())).isEqualTo(newStart);
        assertThat(moved.path("duration").asText()).isEqualTo("PT2H");
        assertThat(moved.path("state").asText()).isEqualTo("scheduled");

        for (ScriptedPeer p : List.of(alice, bob)) {
            JsonNode e = p.await("conference-rescheduled", x -> x.path("conference").asText().equals(conf));
            assertThat(e.path("title").asText()).isEqualTo("Planning");
            assertThat(Instant.parse(e.path("start").asText())).isEqualTo(newStart);
            assertThat(e.path("duration").asText()).isEqualTo("PT2H");
            assertThat(Instant.parse(e.path("end").asText())).isEqualTo(newStart.plus(Duration.ofHours(2)));
            assertThat(Instant.parse(e.path("previous-start").asText())).isEqualTo(oldStart);
            assertThat(Instant.parse(e.path("previous-end").asText())).isEqualTo(oldStart.plus(Duration.ofMinutes(30)));
        }
        // Bob's list shows the schedule in effect.
        JsonNode listed = bob.call("conferences");
        assertThat(listed.toString()).contains(moved.path("start").asText());

        // Only the duration: the start stays.
        JsonNode longer = alice.call("reschedule " + conf + " --duration 3h");
        assertThat(Instant.parse(longer.path("start").asText())).isEqualTo(newStart);
        assertThat(longer.path("duration").asText()).isEqualTo("PT3H");
        assertThat(alice.fail("reschedule " + conf + " --duration 200h")).contains("--duration: '200h'");
        assertThat(alice.fail("reschedule " + conf + " --start 2020-01-01T00:00Z")).contains("--start 2020-01-01T00:00Z").contains("has already passed");

        alice.call("end " + conf);
        assertThat(alice.fail("reschedule " + conf + " --duration 1h")).isNotEmpty();
    }
}
