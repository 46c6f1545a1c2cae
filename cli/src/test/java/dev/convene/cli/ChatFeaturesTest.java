package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What people expect of a chat: who is in, the last messages, messages since a time, search, direct messages. */
@Timeout(120)
class ChatFeaturesTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final ScriptedPeers peers = new ScriptedPeers();

    private ScriptedPeer start(String name) {
        return peers.start(dir, name);
    }

    private static List<String> texts(JsonNode messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.path("text").asText()));
        return out;
    }

    private static JsonNode history(ScriptedPeer p, String args) {
        int line = p.send("history " + args);
        assertThat(p.reply(line).path("event").asText()).isEqualTo("result");
        return p.await("history", e -> e.path("line").asInt() == line).path("messages");
    }

    @Test
    void whoSaysOnlineAwayInvitedDeclinedAndLeft() throws InterruptedException {
        ScriptedPeer alice = start("alice");
        ScriptedPeer bob = start("bob");
        ScriptedPeer carol = start("carol");
        ScriptedPeer dave = start("dave");
        ScriptedPeer erin = start("erin");
        for (ScriptedPeer p : peers) p.call("wait peers 4 --timeout 60s");
        String conf = alice.call("create Standup --invite bob,carol,dave,erin").path("id").asText();
        bob.call("wait invitation Standup");
        bob.call("accept Standup");
        carol.call("wait invitation Standup");
        carol.call("decline Standup");
        dave.call("wait invitation Standup");
        dave.call("accept Standup");
        dave.call("leave Standup");
        alice.call("wait reply " + conf + " bob");
        alice.call("wait reply " + conf + " carol");
        alice.call("wait reply " + conf + " dave");
        JsonNode who = alice.call("who Standup");
        assertThat(states(who)).containsExactly("alice=online", "bob=online", "erin=invited", "carol=declined", "dave=left");
        assertThat(who.path("online").asInt()).isEqualTo(2);

        bob.call("quit");
        assertThat(bob.finish()).isZero();
        alice.call("wait peers 3");
        assertThat(states(alice.call("who " + conf))).startsWith("alice=online", "bob=away");
    }

    private static List<String> states(JsonNode who) {
        List<String> out = new ArrayList<>();
        who.path("people").forEach(p -> out.add(p.path("name").asText() + "=" + p.path("state").asText()));
        return out;
    }

    @Test
    void aStandingRoomHasNoFixedEndAndCannotAlsoHaveADuration() {
        ScriptedPeer alice = start("alice");
        JsonNode room = alice.call("create Team --standing");
        assertThat(room.path("duration").asText()).isEqualTo("PT0S");
        assertThat(room.path("state").asText()).isEqualTo("live");
        alice.call("say Team still here");
        assertThat(alice.fail("create Other --standing --duration 1h"))
                .isEqualTo("create: --standing and --duration exclude each other: a standing room has no fixed end; drop one");
        String id = room.path("id").asText();
        assertThat(alice.call("end " + id).path("state").asText()).isEqualTo("ended");
    }

    @Test
    void historyLastAndSinceAndSearchReadTheLocalStore() {
        ScriptedPeer alice = start("alice");
        String conf = alice.call("create Notes").path("id").asText();
        for (String text : List.of("one apple", "two pears", "three APPLES", "four")) alice.call("say Notes " + text);
        assertThat(texts(history(alice, "Notes --last 2"))).containsExactly("three APPLES", "four");
        assertThat(texts(history(alice, "Notes --last 10"))).hasSize(4);
        assertThat(texts(history(alice, "Notes --since 10m"))).hasSize(4);
        assertThat(texts(history(alice, "Notes --since 2999-01-01"))).isEmpty();
        assertThat(texts(history(alice, "Notes --since 2000-01-01T00:00Z --last 1"))).containsExactly("four");
        assertThat(alice.fail("history Notes --last 0")).isEqualTo("history: --last: '0' (expected: a whole number >= 1)");
        assertThat(alice.fail("history Notes --since yesterday"))
                .isEqualTo("history: --since: 'yesterday' (expected: 30m, 14:30, 2026-11-20, 2026-11-20T09:00 or 2026-11-20T08:00Z)");

        JsonNode found = alice.call("search " + conf + " apple");
        assertThat(found.path("count").asInt()).isEqualTo(2);
        assertThat(texts(found.path("messages"))).containsExactly("one apple", "three APPLES");
        assertThat(alice.call("search Notes two  pears").path("count").asInt()).as("the text is exact, runs of blanks too").isZero();
        assertThat(alice.call("search Notes don't").path("count").asInt()).isZero();
    }

    @Test
    void dmMakesATwoPersonConferenceOnceAndPostsToIt() {
        ScriptedPeer alice = start("alice");
        ScriptedPeer bob = start("bob");
        alice.call("wait peers 1 --timeout 60s");
        bob.call("wait peers 1 --timeout 60s");
        String other = alice.call("create Pair --invite bob").path("id").asText();
        bob.call("wait invitation Pair");
        bob.call("accept Pair");
        alice.call("wait reply " + other + " bob");
        JsonNode first = alice.call("dm bob it's me, alice");
        assertThat(first.path("conference").asText()).as("a conference of the two not made by dm is not the conversation").isNotEqualTo(other);
        String conf = first.path("conference").asText();
        assertThat(first.path("title").asText()).isEqualTo("dm alice & bob");
        JsonNode invitation = bob.await("invitation", e -> e.path("id").asText().equals(conf) || e.path("conference").asText().equals(conf));
        assertThat(invitation).isNotNull();
        bob.call("accept " + conf);
        alice.call("wait reply " + conf + " bob");
        assertThat(bob.call("dm alice hi alice").path("conference").asText()).as("bob's dm goes to the same conversation").isEqualTo(conf);
        assertThat(alice.call("dm bob again").path("conference").asText()).isEqualTo(conf);
        bob.call("wait message " + conf + " again");
        assertThat(texts(history(bob, conf))).containsExactly("it's me, alice", "hi alice", "again");
        // A text that starts with dashes: said as typed, and waited for after "--" (which ends wait's options).
        alice.call("dm bob --words \"q\" \\ 🎉");
        JsonNode dashed = bob.call("wait message " + conf + " --timeout 30s -- --words");
        assertThat(dashed.path("message").path("text").asText()).isEqualTo("--words \"q\" \\ 🎉");
        assertThat(alice.fail("dm alice hello me")).isEqualTo("that is you; 'dm' takes another peer");
    }
}
