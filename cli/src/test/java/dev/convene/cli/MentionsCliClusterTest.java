package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @name} in {@code say} end to end: resolved to participants' ids when sent, {@code mentions} in the result,
 * the {@code message} events and {@code history}, {@code mentioned} true only at the mentioned peer, a name two
 * participants share refused with both listed, and the id prefix that resolves it.
 */
class MentionsCliClusterTest {
    @TempDir
    Path dir;

    private final String cluster = CliRun.freshCluster();
    private final List<ScriptedPeer> peers = new ArrayList<>();

    @AfterEach
    void endInput() {
        peers.forEach(ScriptedPeer::close);
    }

    private ScriptedPeer start(String name, String home) {
        ScriptedPeer p = ScriptedPeer.start(dir, cluster, name, home);
        peers.add(p);
        return p;
    }

    @Test
    void mentionsResolveToParticipantsAndOnlyTheMentionedPeerIsMarked() {
        ScriptedPeer alice = start("alice", "alice");
        ScriptedPeer bob = start("bob", "bob");
        ScriptedPeer carol = start("carol", "carol");
        for (ScriptedPeer p : peers) p.call("wait peers 2 --timeout 30s");
        String conf = alice.call("create Planning --invite bob,carol").path("id").asText();
        for (ScriptedPeer p : List.of(bob, carol)) {
            p.call("wait invitation Planning --timeout 30s");
            p.call("accept " + conf);
            alice.call("wait reply " + conf + " " + p.id() + " --timeout 30s");
        }

        JsonNode said = alice.call("say Planning @Bob, can you review? (cc @nobody, mail@example.org)");
        assertThat(said.path("mentions").toString()).isEqualTo("[{\"id\":\"" + bob.id() + "\",\"name\":\"bob\"}]");
        String id = said.path("id").asText();
        JsonNode atBob = bob.await("message", m -> m.path("id").asText().equals(id));
        assertThat(atBob.path("mentioned").asBoolean()).isTrue();
        assertThat(atBob.path("mentions").get(0).path("id").asText()).isEqualTo(bob.id());
        JsonNode atCarol = carol.await("message", m -> m.path("id").asText().equals(id));
        assertThat(atCarol.has("mentioned")).isFalse();
        assertThat(atCarol.path("mentions").get(0).path("name").asText()).isEqualTo("bob");
        assertThat(alice.await("message", m -> m.path("id").asText().equals(id)).has("mentioned")).isFalse();

        JsonNode replied = carol.call("reply Planning alice#1 @alice @" + bob.id().substring(0, 8) + " done");
        assertThat(replied.path("mentions")).hasSize(2);
        String second = replied.path("id").asText();
        JsonNode atAlice = alice.await("message", m -> m.path("id").asText().equals(second));
        assertThat(atAlice.path("mentioned").asBoolean()).isTrue();
        assertThat(atAlice.path("reply-to").asText()).isEqualTo(id);

        bob.call("history Planning");
        JsonNode messages = bob.await("history", h -> true).path("messages");
        assertThat(messages.get(0).path("mentioned").asBoolean()).isTrue();
        assertThat(messages.get(1).path("mentioned").asBoolean()).isTrue();
        assertThat(messages.get(1).path("mentions")).hasSize(2);

        // A second participant named bob: '@bob' no longer says whom; the id prefix does.
        ScriptedPeer otherBob = start("bob", "bob2");
        otherBob.call("wait peers 3 --timeout 30s");
        alice.call("wait peers 3 --timeout 30s");
        alice.call("invite Planning " + otherBob.id());
        otherBob.call("wait invitation Planning --timeout 30s");
        otherBob.call("accept " + conf);
        alice.call("wait reply " + conf + " " + otherBob.id() + " --timeout 30s");
        String error = alice.fail("say Planning @bob again");
        assertThat(error).startsWith("@bob names several participants: ").contains(bob.id().substring(0, 8))
                .contains(otherBob.id().substring(0, 8)).contains("mention one by id instead");
        JsonNode byId = alice.call("say Planning @" + otherBob.id().substring(0, 8) + " welcome");
        assertThat(byId.path("mentions").get(0).path("id").asText()).isEqualTo(otherBob.id());
    }
}
