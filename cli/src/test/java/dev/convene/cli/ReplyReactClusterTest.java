package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reply} and {@code react} end to end between two peers: the {@code message} event's {@code reply-to}, the
 * {@code reaction} events, {@code history}'s reactions, and the errors for a message that is not there, an
 * ambiguous reference and an emoji the conference refuses.
 */
class ReplyReactClusterTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final ScriptedPeers peers = new ScriptedPeers();

    private ScriptedPeer start(String name) {
        return peers.start(dir, name);
    }

    @Test
    void bobRepliesAndReactsAndAliceSeesBothAsEventsAndInHistory() {
        ScriptedPeer alice = start("alice");
        ScriptedPeer bob = start("bob");
        String conf = peers.planning(alice, bob);
        JsonNode said = alice.call("say Planning shall we ship friday?");
        String first = said.path("id").asText();
        bob.await("message", m -> m.path("id").asText().equals(first));

        // the reference people type (alice#1) and the id of the JSON event name the same message
        JsonNode replied = bob.call("reply Planning alice#1 it's \"fine\" by me \\o/ --yes");
        assertThat(replied.path("reply-to").asText()).isEqualTo(first);
        String answer = replied.path("id").asText();
        JsonNode heard = alice.await("message", m -> m.path("id").asText().equals(answer));
        assertThat(heard.path("reply-to").asText()).isEqualTo(first);
        assertThat(heard.path("text").asText()).isEqualTo("it's \"fine\" by me \\o/ --yes");

        JsonNode reacted = bob.call("react Planning " + first + " 👍");
        assertThat(reacted.path("id").asText()).isEqualTo(first);
        assertThat(reacted.path("added").asBoolean()).isTrue();
        alice.call("react " + conf + " alice#1 👍");
        alice.call("react " + conf + " bob#1 🎉");
        for (ScriptedPeer p : peers) {
            JsonNode r = p.await("reaction", e -> e.path("from").path("name").asText().equals("bob") && e.path("emoji").asText().equals("👍"));
            assertThat(r.path("id").asText()).isEqualTo(first);
            assertThat(r.path("conference").asText()).isEqualTo(conf);
            assertThat(r.path("added").asBoolean()).isTrue();
            p.await("reaction", e -> e.path("from").path("name").asText().equals("alice") && e.path("emoji").asText().equals("🎉"));
        }
        bob.await("reaction", e -> e.path("from").path("name").asText().equals("alice") && e.path("emoji").asText().equals("👍"));

        bob.call("history Planning");
        JsonNode messages = bob.await("history", h -> true).path("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).path("reactions").toString()).isEqualTo("[{\"emoji\":\"👍\",\"count\":2}]");
        assertThat(messages.get(1).path("reply-to").asText()).isEqualTo(first);
        assertThat(messages.get(1).path("reactions").toString()).isEqualTo("[{\"emoji\":\"🎉\",\"count\":1}]");

        // withdrawn: everyone hears it, and history counts one 👍 less
        bob.call("react Planning alice#1 👍 --remove");
        alice.await("reaction", e -> e.path("from").path("name").asText().equals("bob") && !e.path("added").asBoolean());
        alice.call("history Planning --last 5");
        JsonNode after = alice.events("history").get(alice.events("history").size() - 1).path("messages");
        assertThat(after.get(0).path("reactions").toString()).isEqualTo("[{\"emoji\":\"👍\",\"count\":1}]");

        assertThat(bob.fail("reply Planning alice#9 hello")).isEqualTo("no message alice#9 in 'Planning'; 'history Planning' shows each message as AUTHOR#N");
        assertThat(bob.fail("react Planning alice 👍")).contains("'alice' is not a message: give AUTHOR#N");
        assertThat(bob.fail("react Planning alice#1 " + "👍".repeat(9))).startsWith("not an emoji the conference accepts");
    }

    @Test
    void aNameTwoAuthorsShareIsAnErrorListingThemAndTheShortIdResolvesIt() {
        ScriptedPeer alice = start("alice");
        ScriptedPeer other = peers.start(dir, "alice", "alice2");
        for (ScriptedPeer p : peers) p.call("wait peers 1 --timeout 30s");
        String otherId = other.id();
        String conf = alice.call("create Planning --invite " + otherId).path("id").asText();
        other.call("wait invitation Planning --timeout 30s");
        other.call("accept " + conf);
        alice.call("wait reply " + conf + " " + otherId + " --timeout 30s");
        alice.call("say Planning mine");
        String theirs = other.call("say Planning theirs").path("id").asText();
        alice.await("message", m -> m.path("id").asText().equals(theirs));

        String error = alice.fail("react Planning alice#1 👍");
        assertThat(error).startsWith("alice#1 matches messages of alice (").contains(otherId.substring(0, 8))
                .contains(alice.id().substring(0, 8)).contains("name the author by id instead");
        JsonNode reacted = alice.call("react Planning " + otherId.substring(0, 8) + "#1 👍");
        assertThat(reacted.path("id").asText()).isEqualTo(theirs);
    }
}
