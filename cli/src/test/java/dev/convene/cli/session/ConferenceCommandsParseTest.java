package dev.convene.cli.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.cli.CliException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The conference commands' syntax: what parses, and a one-line usage error for what does not. */
class ConferenceCommandsParseTest {
    private final CommandRegistry registry = CommandRegistry.standard();

    private void accepts(String line) {
        assertThat(registry.parseLine(line, null)).as(line).isPresent();
    }

    private void rejects(String line, String message) {
        assertThatThrownBy(() -> registry.parseLine(line, null)).as(line)
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.isUsage()).isTrue())
                .hasMessage(message);
    }

    @Test
    void acceptsEveryFormTheDesignGives() {
        for (String line : List.of(
                "create 'Design review'",
                "create \"Design review\" --at 14:30 --duration 30m --agenda '1. wire format' --invite bob,carol",
                "create Standup --in 10m --invite bob --participants-may-invite",
                "create Standup --at 2026-12-01T09:00",
                "create Standup --at '2026-12-01 09:00'",
                "create Standup --at 2026-12-01T08:00Z --duration=2h",
                "create Design review",
                "create Design review --history joined", "create Design review --history shared",
                "grant k3j2 bob", "revoke k3j2 bob",
                "invite k3j2 bob", "invite 'Design review' bob carol n6uuy37p",
                "invitations", "conferences",
                "accept k3j2", "decline k3j2", "decline k3j2 'busy all day'", "decline k3j2 busy all day",
                "say k3j2 hello", "say 'Design review' 'hello there'", "say k3j2 hello there", "say k3j2 -- --not-an-option",
                "history k3j2", "end k3j2", "leave k3j2", "remove k3j2 bob",
                "ban bob", "unban n6uuy37p", "bans", "open k3j2", "open 'Design review'",
                "wait invitation 'Design review'", "wait invitation Design review --timeout 30s",
                "wait reply k3j2 bob", "wait reply k3j2 bob --timeout=1m",
                "wait started k3j2", "wait ended k3j2 --timeout 5s",
                "wait message k3j2 hello", "wait message k3j2 'hello there' --timeout 2s", "wait message k3j2 -- --words",
                "wait message k3j2 --timeout 2s -- --words --timeout",
                "wait delivered k3j2", "wait delivered k3j2 --to all --timeout 30s", "wait delivered k3j2 --to=one")) {
            accepts(line);
        }
    }

    @Test
    void createChecksItsOptionsBeforeThePeerStarts() {
        String usage = "usage: create TITLE [--at TIME | --in D] [--duration D] [--agenda TEXT] [--invite PEER,...] [--participants-may-invite]"
                + " [--history shared|joined] [--standing]";
        rejects("create", "create: missing arguments; " + usage);
        rejects("create X --history everyone", "create: --history: 'everyone' (expected: shared or joined)");
        rejects("create '  '", "create: the title is empty (expected: 1-200 characters)");
        rejects("create " + "t".repeat(201), "create: the title has 201 characters (expected: at most 200)");
        rejects("create X --at 14:30 --in 10m", "create: give --at or --in, not both");
        rejects("create X --at soon", "create: --at: 'soon' (expected: a time such as 14:30, 2026-12-01T09:00 or 2026-12-01T08:00Z)");
        rejects("create X --at 25:00", "create: --at: '25:00' (expected: a time such as 14:30, 2026-12-01T09:00 or 2026-12-01T08:00Z)");
        rejects("create X --at 2026-13-01T09:00", "create: --at: '2026-13-01T09:00' (expected: a time such as 14:30, 2026-12-01T09:00 or 2026-12-01T08:00Z)");
        rejects("create X --in tomorrow", "create: --in: 'tomorrow' (expected: a duration such as 500ms, 2s, 1m or 1h)");
        rejects("create X --duration 0s", "create: --duration: '0s' (expected: more than 0 and at most 168h, e.g. 30m or 2h)");
        rejects("create X --duration 169h", "create: --duration: '169h' (expected: more than 0 and at most 168h, e.g. 30m or 2h)");
        rejects("create X --agenda " + "a".repeat(4001), "create: --agenda has 4001 characters (expected: at most 4000)");
        rejects("create X --invite ,", "create: --invite: ',' (expected: peers separated by commas, e.g. bob,carol)");
        rejects("create X --invite", "create: --invite needs a value; " + usage);
        rejects("create X --private", "create: unknown option '--private'; " + usage);
    }

    @Test
    void conferenceAndPeerArgumentsAreRequired() {
        rejects("invite", "invite: missing arguments; usage: invite CONF PEER...");
        rejects("invite k3j2", "invite: missing arguments; usage: invite CONF PEER...");
        rejects("accept", "accept: missing arguments; usage: accept CONF");
        rejects("accept k3j2 now", "accept: unexpected 'now'; usage: accept CONF (quote text that has spaces)");
        rejects("decline", "decline: missing arguments; usage: decline CONF [REASON]");
        rejects("decline k3j2 " + "r".repeat(1001), "decline: the reason has 1001 characters (expected: at most 1000)");
        rejects("leave", "leave: missing arguments; usage: leave CONF");
        rejects("end", "end: missing arguments; usage: end CONF");
        rejects("end a b", "end: unexpected 'b'; usage: end CONF (quote text that has spaces)");
        rejects("history", "history: missing arguments; usage: history CONF [--last N] [--since TIME]");
        rejects("who", "who: missing arguments; usage: who CONF");
        rejects("search k3j2", "search: missing arguments; usage: search CONF TEXT");
        rejects("dm bob", "dm: missing arguments; usage: dm PEER TEXT");
        rejects("dm bob   ", "dm: missing arguments; usage: dm PEER TEXT");
        rejects("remove k3j2", "remove: missing arguments; usage: remove CONF PEER");
        rejects("remove k3j2 bob carol", "remove: unexpected 'carol'; usage: remove CONF PEER (quote text that has spaces)");
        rejects("ban", "ban: missing arguments; usage: ban PEER");
        rejects("open", "open: missing arguments; usage: open CONF");
        rejects("open Design review", "open: unexpected 'review'; usage: open CONF (quote text that has spaces)");
        rejects("unban a b", "unban: unexpected 'b'; usage: unban PEER (quote text that has spaces)");
        rejects("bans bob", "bans: unexpected 'bob'; usage: bans (quote text that has spaces)");
        rejects("conferences all", "conferences: unexpected 'all'; usage: conferences (quote text that has spaces)");
        rejects("invitations --all", "invitations: unknown option '--all'; usage: invitations");
    }

    @Test
    void sayTakesTheRestOfTheLineUpTo16KiB() {
        rejects("say", "say: missing arguments; usage: say CONF TEXT");
        rejects("say k3j2", "say: missing arguments; usage: say CONF TEXT");
        rejects("say k3j2    ", "say: missing arguments; usage: say CONF TEXT");
        accepts("say k3j2 " + "x".repeat(16 * 1024));
        rejects("say k3j2 " + "x".repeat(16 * 1024 + 1),
                "say: the message is 16385 bytes (expected: at most 16384 = 16 KiB in UTF-8); split it into several messages");
        // counted in UTF-8 bytes, not characters
        rejects("say k3j2 " + "é".repeat(8193), "say: the message is 16386 bytes (expected: at most 16384 = 16 KiB in UTF-8); split it into several messages");
        // the text is the raw rest of the line: words like options, quotes and '#' are text
        accepts("say k3j2 hi --loud");
        accepts("say k3j2 don't");
        accepts("say k3j2 #1 \"fan");
        accepts("decline k3j2 can't, I'm away \\o/");
    }

    @Test
    void replyTakesAConferenceAMessageAndTheRestOfTheLine() {
        rejects("reply", "reply: missing arguments; usage: reply CONF MSG TEXT");
        rejects("reply k3j2", "reply: missing arguments; usage: reply CONF MSG TEXT");
        rejects("reply k3j2 bob#3", "reply: missing arguments; usage: reply CONF MSG TEXT");
        rejects("reply k3j2 bob#3   ", "reply: missing arguments; usage: reply CONF MSG TEXT");
        accepts("reply k3j2 bob#3 yes");
        accepts("reply 'Design review' i3ddk6vfz3fpqlr2bqwm52kzk5siz75a:1 it's \"here\" --loud \\o/ 🎉");
        rejects("reply k3j2 bob#3 " + "x".repeat(16 * 1024 + 1),
                "reply: the message is 16385 bytes (expected: at most 16384 = 16 KiB in UTF-8); split it into several messages");
    }

    @Test
    void reactTakesAConferenceAMessageAndAnEmoji() {
        accepts("react k3j2 bob#3 👍");
        accepts("react k3j2 bob#3 👍 --remove");
        accepts("react k3j2 bob#3 --remove 👍");
        rejects("react k3j2 bob#3", "react: missing arguments; usage: react CONF MSG EMOJI [--remove]");
        rejects("react k3j2 bob#3 👍 🎉", "react: unexpected '🎉'; usage: react CONF MSG EMOJI [--remove] (quote text that has spaces)");
        // in chat mode the open conference is implied
        assertThat(registry.parseLine("react bob#3 👍", "k3j2")).isPresent();
        assertThat(registry.parseLine("reply bob#3 it's --text", "k3j2")).isPresent();
        rejects("react k3j2 bob#3 👍 --all", "react: unknown option '--all'; usage: react CONF MSG EMOJI [--remove]");
    }

    @Test
    void conferenceWaitsCheckTheirArguments() {
        rejects("wait invitation", "wait: missing arguments; usage: wait invitation TITLE [--timeout D]");
        rejects("wait reply k3j2", "wait: missing arguments; usage: wait reply CONF PEER [--timeout D]");
        rejects("wait reply k3j2 bob carol", "wait: unexpected 'carol'; usage: wait reply CONF PEER [--timeout D] (quote text that has spaces)");
        rejects("wait started", "wait: missing arguments; usage: wait started CONF [--timeout D]");
        rejects("wait ended a b", "wait: unexpected 'b'; usage: wait ended CONF [--timeout D] (quote text that has spaces)");
        rejects("wait message k3j2", "wait: missing arguments; usage: wait message CONF TEXT [--timeout D]");
        rejects("wait message k3j2 hi --timeout", "wait: --timeout needs a value; usage: wait message CONF TEXT [--timeout D]");
        rejects("wait message k3j2 --words", "wait: unknown option '--words'; usage: wait message CONF TEXT [--timeout D]; put -- before a TEXT that starts with --");
        rejects("wait delivered k3j2 --to everyone", "wait: --to: 'everyone' (expected: one or all); usage: wait delivered CONF [--to one|all] [--timeout D]");
        rejects("wait delivered", "wait: missing arguments; usage: wait delivered CONF [--to one|all] [--timeout D]");
        rejects("wait started k3j2 --timeout never", "wait: --timeout: 'never' (expected: a duration such as 500ms, 2s, 1m or 1h)");
    }

    @Test
    void helpListsEveryConferenceCommand() {
        List<String> synopses = registry.all().stream().flatMap(c -> c.helpEntries().stream()).map(HelpCmd.Entry::synopsis).toList();
        assertThat(synopses).contains("conferences", "invitations", "invite CONF PEER...", "accept CONF", "decline CONF [REASON]",
                "say CONF TEXT", "reply CONF MSG TEXT", "react CONF MSG EMOJI [--remove]", "history CONF [--last N] [--since TIME]", "who CONF", "search CONF TEXT", "dm PEER TEXT", "leave CONF", "end CONF", "remove CONF PEER", "ban PEER", "unban PEER", "bans",
                "wait invitation TITLE [--timeout D]", "wait reply CONF PEER [--timeout D]", "wait started CONF [--timeout D]",
                "wait message CONF TEXT [--timeout D]", "wait delivered CONF [--to one|all] [--timeout D]");
        assertThat(synopses).anySatisfy(s -> assertThat(s).startsWith("create TITLE [--at TIME | --in D]"));
    }
}
