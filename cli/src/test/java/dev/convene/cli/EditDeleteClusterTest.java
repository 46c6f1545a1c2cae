package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edit} and {@code delete} end to end between two peers: the edited text exactly as typed (apostrophes,
 * quotes, backslashes, emoji, {@code --words}) in the {@code message-edited} events and {@code history} (marked
 * {@code edited}), the {@code message-deleted} events and the tombstone in {@code history}, and the errors for a
 * message of another author.
 */
class EditDeleteClusterTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final ScriptedPeers peers = new ScriptedPeers();

    private ScriptedPeer start(String name) {
        return peers.start(dir, name);
    }

    @Test
    void aliceEditsAndDeletesHerMessagesAndBobSeesBothAsEventsAndInHistory() {
        ScriptedPeer alice = start("alice");
        ScriptedPeer bob = start("bob");
        String conf = peers.planning(alice, bob);
        String first = alice.call("say Planning shall we ship friday?").path("id").asText();
        String second = alice.call("say Planning the password is hunter2").path("id").asText();
        bob.await("message", m -> m.path("id").asText().equals(second));

        String text = "it's \"friday\"  \\o/ 🎉 --yes";
        JsonNode edited = alice.call("edit Planning alice#1 " + text);
        assertThat(edited.path("id").asText()).isEqualTo(first);
        assertThat(edited.path("text").asText()).isEqualTo(text);
        assertThat(edited.path("deleted").asBoolean()).isFalse();
        for (ScriptedPeer p : peers) {
            JsonNode e = p.await("message-edited", m -> m.path("id").asText().equals(first));
            assertThat(e.path("text").asText()).isEqualTo(text);
            assertThat(e.path("from").path("name").asText()).isEqualTo("alice");
            assertThat(e.path("conference").asText()).isEqualTo(conf);
        }

        JsonNode deleted = alice.call("delete " + conf + " " + second);
        assertThat(deleted.path("deleted").asBoolean()).isTrue();
        assertThat(deleted.has("text")).isFalse();
        for (ScriptedPeer p : peers) {
            JsonNode e = p.await("message-deleted", m -> m.path("id").asText().equals(second));
            assertThat(e.path("sequence").asLong()).isEqualTo(2);
            assertThat(e.has("text")).isFalse();
        }

        bob.call("history Planning");
        JsonNode messages = bob.await("history", h -> true).path("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).path("text").asText()).isEqualTo(text);
        assertThat(messages.get(0).path("edited").asBoolean()).isTrue();
        assertThat(messages.get(0).has("deleted")).isFalse();
        assertThat(messages.get(1).path("id").asText()).isEqualTo(second);
        assertThat(messages.get(1).path("deleted").asBoolean()).isTrue();
        assertThat(messages.get(1).has("text")).isFalse();
        assertThat(messages.get(1).has("edited")).isFalse();

        assertThat(bob.fail("edit Planning alice#1 mine now")).isEqualTo("only a message's author may edit or delete it");
        assertThat(bob.fail("delete Planning alice#1")).isEqualTo("only a message's author may edit or delete it");
        assertThat(alice.fail("edit Planning alice#2 back again")).startsWith("that message cannot be edited or deleted");
        assertThat(alice.fail("edit Planning alice#9 hello")).isEqualTo("no message alice#9 in 'Planning'; 'history Planning' shows each message as AUTHOR#N");
    }
}
