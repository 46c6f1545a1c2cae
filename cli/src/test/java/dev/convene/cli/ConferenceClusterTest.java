package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conferences through the session commands, as scripts drive them: several {@code convene run -} sessions
 * in this JVM on one memory cluster, each line's result or error awaited by its line number.
 */
@Timeout(120)
class ConferenceClusterTest {
    @TempDir
    Path dir;

    private final String cluster = CliRun.freshCluster();
    private final List<ScriptedPeer> peers = new ArrayList<>();

    @AfterEach
    void endInput() {
        peers.forEach(ScriptedPeer::close);
    }

    private ScriptedPeer start(String name) {
        return start(name, name);
    }

    private ScriptedPeer start(String name, String home) {
        ScriptedPeer p = ScriptedPeer.start(dir, cluster, name, home);
        peers.add(p);
        return p;
    }

    private void allSee(int others) {
        for (ScriptedPeer p : peers) p.call("wait peers " + others + " --timeout 30s");
    }

    private static List<String> texts(JsonNode messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.path("text").asText()));
        return out;
    }

    private static List<String> ids(JsonNode messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.path("id").asText()));
        return out;
    }

    private static JsonNode history(ScriptedPeer p, String conf) {
        int line = p.send("history " + conf);
        JsonNode result = p.reply(line);
        assertThat(result.path("event").asText()).as(p.toString()).isEqualTo("result");
        JsonNode h = p.await("history", e -> e.path("line").asInt() == line);
        assertThat(h.path("count").asInt()).isEqualTo(result.at("/data/count").asInt());
        return h.path("messages");
    }

    @Test
    void createInviteAnswerChatRemoveBanAndEnd() throws InterruptedException {
        ScriptedPeer alice = start("alice");
        ScriptedPeer bob = start("bob");
        ScriptedPeer carol = start("carol");
        ScriptedPeer dave = start("dave");
        allSee(3);

        JsonNode created = alice.call("create 'Design review' --agenda '1. wire format' --invite bob,carol,dave --duration 30m");
        String conf = created.path("id").asText();
        assertThat(created.path("state").asText()).isEqualTo("live");
        assertThat(created.path("role").asText()).isEqualTo("organiser");
        assertThat(created.path("duration").asText()).isEqualTo("PT30M");
        assertThat(created.path("invitees")).extracting(i -> i.path("name").asText()).containsExactlyInAnyOrder("bob", "carol", "dave");

        for (ScriptedPeer p : List.of(bob, carol, dave)) {
            JsonNode waited = p.call("wait invitation 'design review' --timeout 30s");
            assertThat(waited.at("/conference/id").asText()).isEqualTo(conf);
            JsonNode invitation = p.await("invitation", e -> e.path("conference").asText().equals(conf));
            assertThat(invitation.path("agenda").asText()).isEqualTo("1. wire format");
            assertThat(invitation.at("/organiser/id").asText()).isEqualTo(alice.id());
            assertThat(invitation.at("/inviter/name").asText()).isEqualTo("alice");
            assertThat(invitation.path("duration").asText()).isEqualTo("PT30M");
            assertThat(p.call("invitations").path("count").asInt()).isEqualTo(1);
        }

        assertThat(bob.call("accept 'Design review'").path("role").asText()).isEqualTo("participant");
        assertThat(dave.call("accept " + conf.substring(0, 5)).path("role").asText()).isEqualTo("participant");
        JsonNode declined = carol.call("decline " + conf + " busy all afternoon");
        assertThat(declined.path("role").asText()).isEqualTo("declined");
        assertThat(carol.call("invitations").path("count").asInt()).isZero();

        JsonNode reply = alice.call("wait reply " + conf + " carol --timeout 30s");
        assertThat(reply.path("answer").asText()).isEqualTo("decline");
        assertThat(reply.path("reason").asText()).isEqualTo("busy all afternoon");
        assertThat(alice.call("wait reply " + conf + " " + bob.id().substring(0, 10)).path("answer").asText()).isEqualTo("accept");
        alice.call("wait reply " + conf + " dave");
        JsonNode carolsReply = alice.await("reply", e -> e.at("/peer/id").asText().equals(carol.id()));
        assertThat(carolsReply.path("answer").asText()).isEqualTo("decline");
        assertThat(carolsReply.path("reason").asText()).isEqualTo("busy all afternoon");
        bob.call("wait reply " + conf + " dave");
        bob.call("wait started " + conf);

        JsonNode said = alice.call("say " + conf + " hello bob and dave");
        assertThat(said.path("id").asText()).isEqualTo(alice.id() + ":1");
        assertThat(said.path("sequence").asInt()).isEqualTo(1);
        assertThat(said.path("pending").asBoolean()).as("bob and dave are online and store it").isFalse();
        JsonNode got = bob.call("wait message " + conf + " hello bob");
        assertThat(got.at("/message/from/id").asText()).isEqualTo(alice.id());
        bob.call("say 'Design review' hi alice");
        dave.call("say 'Design review' hi all");
        alice.call("wait message " + conf + " hi alice");
        alice.call("wait message " + conf + " hi all");
        dave.call("wait message " + conf + " hi alice");
        bob.call("wait message " + conf + " hi all");
        // Scripts can wait until their posts are stored by one other participant, or by every one (--to all).
        JsonNode deliveredToAll = alice.call("wait delivered " + conf + " --to all --timeout 30s");
        assertThat(deliveredToAll.path("waited").asText()).isEqualTo("delivered");
        assertThat(deliveredToAll.path("to").asText()).isEqualTo("all");
        assertThat(deliveredToAll.path("messages").asInt()).as("alice said one message in this session").isEqualTo(1);
        JsonNode deliveredToOne = bob.call("wait delivered 'Design review'");
        assertThat(deliveredToOne.path("to").asText()).isEqualTo("one");
        assertThat(deliveredToOne.path("messages").asInt()).isEqualTo(1);

        JsonNode aliceHistory = history(alice, conf);
        assertThat(texts(aliceHistory)).containsExactlyInAnyOrder("hello bob and dave", "hi alice", "hi all");
        assertThat(texts(aliceHistory).get(0)).as("alice spoke first; the others had seen it").isEqualTo("hello bob and dave");
        assertThat(ids(history(bob, conf))).isEqualTo(ids(aliceHistory));
        assertThat(ids(history(dave, conf))).isEqualTo(ids(aliceHistory));
        assertThat(bob.events("message")).extracting(m -> m.path("text").asText())
                .containsExactlyInAnyOrder("hello bob and dave", "hi alice", "hi all");
        assertThat(history(carol, conf)).as("carol declined: no chat").isEmpty();
        assertThat(carol.events("message")).isEmpty();

        // The organiser removes bob: the key changes, bob reads nothing said afterwards.
        JsonNode removed = alice.call("remove " + conf + " bob");
        assertThat(removed.path("participants")).extracting(p -> p.path("name").asText()).containsExactlyInAnyOrder("alice", "dave");
        bob.await("participant-left", e -> e.at("/peer/id").asText().equals(bob.id()) && e.path("reason").asText().equals("removed"));
        dave.await("participant-left", e -> e.at("/peer/id").asText().equals(bob.id()) && e.path("reason").asText().equals("removed"));
        assertThat(alice.call("say " + conf + " after bob was removed").path("pending").asBoolean()).isFalse();
        dave.call("wait message " + conf + " after bob was removed");
        assertThat(texts(history(bob, conf))).doesNotContain("after bob was removed");
        assertThat(bob.events("message")).hasSize(3);
        assertThat(bob.fail("say " + conf + " am I still here")).contains("not a participant");

        // A local ban, kept by key; names are resolved to keys.
        JsonNode banned = alice.call("ban carol");
        assertThat(banned.path("id").asText()).isEqualTo(carol.id());
        assertThat(banned.path("changed").asBoolean()).isTrue();
        assertThat(alice.call("ban " + carol.id()).path("changed").asBoolean()).isFalse();
        assertThat(alice.call("bans").path("peers")).extracting(p -> p.path("id").asText()).containsExactly(carol.id());
        assertThat(alice.call("unban carol").path("changed").asBoolean()).isTrue();
        assertThat(alice.call("bans").path("count").asInt()).isZero();
        assertThat(alice.fail("ban alice")).isEqualTo("you cannot ban yourself");

        assertThat(dave.fail("end " + conf)).startsWith("only the organiser or a co-organiser may do that");
        assertThat(alice.call("end " + conf).path("state").asText()).isEqualTo("ended");
        assertThat(dave.call("wait ended " + conf).at("/conference/state").asText()).isEqualTo("ended");
        dave.await("conference-ended", e -> e.path("conference").asText().equals(conf) && e.path("state").asText().equals("ended"));
        assertThat(dave.fail("say " + conf + " too late")).contains("is ended");
        assertThat(alice.fail("end " + conf)).startsWith("conference ").contains(" is already ended");

        for (ScriptedPeer p : peers) assertThat(p.finish()).as(p.toString()).isNotNull();
        assertThat(alice.events("error")).hasSize(2);
    }

    @Test
    void aNameAnOfflineKnownPeerSharesWithAnOnlineOneIsAnErrorListingBoth() throws InterruptedException {
        ScriptedPeer alice = start("alice");
        ScriptedPeer bob = start("bob");
        allSee(1);
        String realBob = bob.id();
        bob.call("quit");
        assertThat(bob.finish()).isZero();
        peers.remove(bob);
        ScriptedPeer impostor = start("bob", "impostor");
        alice.call("wait peers 1");
        String shown = alice.fail("create Review --invite bob");
        assertThat(shown).startsWith("'bob' matches 2 peers: ").contains(realBob.substring(0, 8), impostor.id().substring(0, 8));
        String conf = alice.call("create Review").path("id").asText();
        assertThat(alice.fail("invite " + conf + " bob")).startsWith("'bob' matches 2 peers: ");
        assertThat(alice.call("invite " + conf + " " + realBob).path("id").asText()).isEqualTo(conf);
    }

    @Test
    void waitingForAnInvitationByTitleIgnoresAnOlderConferenceThatIsOver() {
        ScriptedPeer alice = start("alice");
        ScriptedPeer bob = start("bob");
        allSee(1);
        String old = alice.call("create Standup --invite bob").path("id").asText();
        assertThat(bob.call("wait invitation Standup").at("/conference/id").asText()).isEqualTo(old);
        bob.call("accept " + old);
        alice.call("end " + old);
        bob.call("wait ended " + old);

        assertThat(bob.fail("wait invitation Standup --timeout 0.3s")).as("last time's Standup is over")
                .startsWith("wait invitation: timed out after 300ms; no invitation to 'Standup' has reached this peer");
        String next = alice.call("create Standup --in 10m --invite bob").path("id").asText();
        assertThat(bob.call("wait invitation Standup").at("/conference/id").asText()).isEqualTo(next);
        String third = alice.call("create Standup --in 20m --invite bob").path("id").asText();
        bob.call("wait invitation " + third);
        assertThat(bob.fail("wait invitation Standup")).startsWith("'Standup' matches 2 current invitations: ")
                .contains(next.substring(0, 8), third.substring(0, 8));
    }

    @Test
    void conferencesAndPeersAreNamedByIdPrefixOrTitleAndAmbiguityListsTheCandidates() {
        ScriptedPeer alice = start("alice");
        ScriptedPeer bob = start("bob");
        ScriptedPeer bob2 = start("Bob", "bob-the-second");
        allSee(2);

        // Two keys, one name (ignoring case): peers flags it, and the name alone is ambiguous.
        JsonNode listed = alice.call("peers");
        assertThat(listed.path("peers")).allSatisfy(p -> assertThat(p.path("name-shared-with")).hasSize(1));
        String ambiguous = alice.fail("create Review --invite bob");
        assertThat(ambiguous).startsWith("'bob' matches 2 peers: ").contains("(" + bob.id().substring(0, 8) + ")",
                "(" + bob2.id().substring(0, 8) + ")").endsWith("; use more of the id");
        assertThat(alice.fail("create Review --invite nobody")).isEqualTo("no known peer matches 'nobody'; run 'peers' to list the peers you can name");

        String first = alice.call("create Review --invite " + bob.id().substring(0, 12)).path("id").asText();
        String second = alice.call("create Review --invite " + bob2.id()).path("id").asText();
        assertThat(alice.fail("say Review hello")).startsWith("'Review' matches 2 conferences: Review (")
                .contains(first.substring(0, 8), second.substring(0, 8)).endsWith("; use the id");
        assertThat(alice.fail("history nothing-like-it")).isEqualTo("no conference matches 'nothing-like-it'; run 'conferences' to list them");
        assertThat(alice.call("say " + first + " by id").path("conference").asText()).isEqualTo(first);
        assertThat(alice.call("say " + second.substring(0, 6).toUpperCase() + " by prefix").path("conference").asText()).isEqualTo(second);

        // A wait fails at once on an ambiguous name instead of waiting out its timeout.
        assertThat(alice.fail("wait reply Review bob --timeout 30s")).startsWith("'Review' matches 2 conferences");
        assertThat(alice.fail("wait reply " + first + " bob --timeout 30s")).startsWith("'bob' matches 2 peers");

        // Invitees see one conference each: the title is unambiguous for them.
        bob.call("wait invitation Review");
        assertThat(bob.call("accept review").path("id").asText()).isEqualTo(first);
        assertThat(alice.call("conferences").path("count").asInt()).isEqualTo(2);
    }

    @Test
    void aWaitIsSatisfiedByWhatAlreadyHappenedAndTimesOutWithWhatIsMissing() {
        ScriptedPeer alice = start("alice");
        ScriptedPeer bob = start("bob");
        allSee(1);
        String conf = alice.call("create Later --in 10m --invite bob").path("id").asText();
        bob.await("invitation", e -> e.path("conference").asText().equals(conf));
        bob.call("accept Later");
        alice.await("reply", e -> e.at("/peer/name").asText().equals("bob"));
        // The reply and the invitation came long before these waits: they return at once.
        assertThat(alice.call("wait reply Later bob --timeout 1ms").path("answer").asText()).isEqualTo("accept");
        assertThat(bob.call("wait invitation Later --timeout 1ms").at("/conference/state").asText()).isEqualTo("scheduled");

        String notYet = bob.fail("wait started Later --timeout 200ms");
        assertThat(notYet).startsWith("wait started: timed out after 200ms; 'Later' (" + conf.substring(0, 8) + ") is scheduled; it starts ")
                .endsWith("; raise --timeout");
        assertThat(bob.fail("say Later too early")).contains("is scheduled, not live; it starts ").doesNotContainPattern("\\dT\\d")
                .matches(".* \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\S+ \\(in \\d+m\\d*s?\\)$");
        assertThat(bob.fail("wait message Later anything --timeout 100ms"))
                .isEqualTo("wait message: timed out after 100ms; none of the 0 messages of 'Later' (" + conf.substring(0, 8)
                        + ") here contains 'anything'; raise --timeout");
        assertThat(bob.fail("wait invitation Elsewhere --timeout 100ms")).startsWith("wait invitation: timed out after 100ms; no invitation to 'Elsewhere'");

        // Ending a scheduled conference cancels it, for the invitee too.
        assertThat(alice.call("end Later").path("state").asText()).isEqualTo("cancelled");
        assertThat(bob.call("wait ended Later").at("/conference/state").asText()).isEqualTo("cancelled");
        assertThat(bob.fail("wait started Later")).isEqualTo("'Later' (" + conf.substring(0, 8) + ") was cancelled; it will not start");
    }

    @Test
    void textIsExactInJsonAndAMessageWithNobodyElseOnlineIsPending() {
        ScriptedPeer alice = start("alice");
        String title = "Q4 plan — 日本, \"quoted\"";
        JsonNode created = alice.call("create '" + title + "' --agenda 'line one — Zoë, 日本'");
        String conf = created.path("id").asText();
        assertThat(created.path("title").asText()).isEqualTo(title);
        assertThat(created.path("agenda").asText()).isEqualTo("line one — Zoë, 日本");
        assertThat(alice.fail("create 'bad\u0007title'")).isEqualTo("create: the title has control characters (expected: one printable line)");
        assertThat(alice.fail("create 'pay\u200bday'"))
                .isEqualTo("create: the title has an invisible character U+200B at position 4 (expected: one printable line)");
        assertThat(alice.fail("create T --agenda 'line one\u001b[2J'"))
                .isEqualTo("create: --agenda has a control character U+001B at position 9 (expected: printable text, new lines and tabs)");
        JsonNode said = alice.call("say " + conf + " tab\there, escape \u001b[2J, Zoë 🎉");
        assertThat(said.path("pending").asBoolean()).as("nobody else takes part").isTrue();
        assertThat(said.path("title").asText()).isEqualTo(title);
        JsonNode message = alice.await("message", e -> e.path("conference").asText().equals(conf));
        assertThat(message.path("text").asText()).isEqualTo("tab\there, escape \u001b[2J, Zoë 🎉");
        assertThat(message.path("pending").asBoolean()).isTrue();
        assertThat(alice.call("history " + conf).path("count").asInt()).isEqualTo(1);
    }

    @Test
    void aRestartedSessionFindsItsConferencesAndHistoryInItsHome() throws InterruptedException {
        ScriptedPeer first = start("alice");
        String conf = first.call("create Diary --duration 2h").path("id").asText();
        first.call("say Diary kept on disk");
        first.call("quit");
        assertThat(first.finish()).isZero();

        ScriptedPeer again = start("alice");
        JsonNode listed = again.call("conferences");
        assertThat(listed.path("count").asInt()).isEqualTo(1);
        assertThat(listed.at("/conferences/0/id").asText()).isEqualTo(conf);
        assertThat(texts(history(again, "Diary"))).containsExactly("kept on disk");
        assertThat(again.call("say Diary and more").path("sequence").asInt()).as("sequence numbers go on").isEqualTo(2);
    }
}
