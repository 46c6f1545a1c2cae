package dev.convene.it.harness;

import java.time.Duration;
import java.util.List;

/**
 * The conference set-up every scenario goes through, as the DESIGN's section 5 commands: the organiser
 * creates a live conference and invites, each invitee waits for its invitation and accepts, and everyone
 * waits until it knows every answer.
 */
public final class Conferences {
    private Conferences() {
    }

    /** {@code create TITLE --agenda … --invite a,b,…}; returns the conference id. */
    public static String create(ConveneProcess organiser, String title, String agenda, List<String> invitees, Duration timeout) {
        StringBuilder cmd = new StringBuilder("create ").append(quote(title));
        if (!agenda.isEmpty()) cmd.append(" --agenda ").append(quote(agenda));
        if (!invitees.isEmpty()) cmd.append(" --invite ").append(String.join(",", invitees));
        return organiser.call(cmd.toString(), timeout).data().path("id").asText();
    }

    /** Each invitee waits for the invitation to {@code title} and accepts it; then all know all answers. */
    public static void acceptAll(ConveneProcess organiser, String conference, String title, List<ConveneProcess> invitees, Duration timeout) {
        List<Integer> waits = invitees.stream().map(p -> p.send("wait invitation " + quote(title) + " --timeout " + timeout.toSeconds() + "s")).toList();
        for (int i = 0; i < invitees.size(); i++) expectResult(invitees.get(i), waits.get(i), timeout.plusSeconds(10));
        List<Integer> accepts = invitees.stream().map(p -> p.send("accept " + conference)).toList();
        for (int i = 0; i < invitees.size(); i++) expectResult(invitees.get(i), accepts.get(i), timeout);
        awaitReplies(organiser, conference, invitees, timeout);
    }

    /** {@code observer} waits until it knows the answer of each of {@code from}. */
    public static void awaitReplies(ConveneProcess observer, String conference, List<ConveneProcess> from, Duration timeout) {
        for (ConveneProcess p : from) {
            if (p == observer) continue;
            observer.call("wait reply " + conference + " " + p.id() + " --timeout " + timeout.toSeconds() + "s", timeout.plusSeconds(10));
        }
    }

    private static void expectResult(ConveneProcess p, int line, Duration timeout) {
        EventLog.Event r = p.reply(line, timeout);
        if (r.is("error")) throw new AssertionError(p + ": line " + line + " failed: " + r.json().path("message").asText());
    }

    /** A word for a session command line: single-quoted, a quote inside written as {@code '\''}. */
    public static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
