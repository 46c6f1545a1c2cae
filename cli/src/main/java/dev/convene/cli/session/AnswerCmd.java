package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.Texts;
import dev.convene.cli.output.Times;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceView;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The commands that act on one conference and report it: {@code accept CONF}, {@code decline CONF [REASON]},
 * {@code leave CONF}, {@code end CONF}. One class, one instance per command.
 */
final class AnswerCmd implements SessionCommand {
    /** What a command does to the conference: the peer, the conference, the reason (empty if none). */
    @FunctionalInterface
    private interface Operation {
        CompletableFuture<ConferenceView> apply(ConferencePeer peer, ConferenceId id, String reason);
    }

    /** How a command reports what it did. */
    @FunctionalInterface
    private interface Report {
        String human(ConferenceView after, String reason);
    }

    private final String name;
    private final String synopsis;
    private final String summary;
    private final boolean takesReason;
    private final Operation operation;
    private final Report report;

    private AnswerCmd(String name, String synopsis, String summary, boolean takesReason, Operation operation, Report report) {
        this.name = name;
        this.synopsis = synopsis;
        this.summary = summary;
        this.takesReason = takesReason;
        this.operation = operation;
        this.report = report;
    }

    static AnswerCmd accept() {
        return new AnswerCmd("accept", "accept CONF", "accept an invitation: take part, get the history so far", false,
                (p, id, r) -> p.accept(id), (v, r) -> "accepted " + ConferenceInfo.label(v) + ": you take part; "
                        + (v.state() == ConferenceState.LIVE ? "it is live " + Times.until(v.context(), java.time.ZoneId.systemDefault()) + "; chat with 'open "
                        + v.id().shortId() + "' (or 'say " + v.id().shortId() + " TEXT')" : "it starts " + Times.local(v.context().start())));
    }

    static AnswerCmd decline() {
        return new AnswerCmd("decline", "decline CONF [REASON]", "decline an invitation, with an optional reason (the rest of the line)",
                true, ConferencePeer::decline, (v, r) -> "declined " + ConferenceInfo.label(v) + (r.isEmpty() ? "" : ": " + Safe.line(r))
                        + "; 'accept " + v.id().shortId() + "' changes your mind while it lasts");
    }

    static AnswerCmd leave() {
        return new AnswerCmd("leave", "leave CONF", "stop taking part in a conference ('accept' rejoins it while it lasts)", false,
                (p, id, r) -> p.leave(id), (v, r) -> "left " + ConferenceInfo.label(v) + "; 'accept " + v.id().shortId()
                        + "' rejoins it while it lasts");
    }

    static AnswerCmd end() {
        return new AnswerCmd("end", "end CONF", "end a conference you organise (before its start: cancel it)", false,
                (p, id, r) -> p.end(id), (v, r) -> (v.state() == ConferenceState.CANCELLED ? "cancelled " : "ended ")
                        + ConferenceInfo.label(v) + " for everyone");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String synopsis() {
        return synopsis;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceFirst(typed);
    }

    @Override
    public int freeTextAfter() {
        return takesReason ? 1 : -1;
    }

    @Override
    public Action parse(List<String> words) {
        String conf;
        String reason;
        if (takesReason) {
            if (words.isEmpty()) throw CliException.usage("missing arguments; usage: " + synopsis);
            conf = words.get(0);
            reason = Texts.reason(words.size() > 1 ? words.get(1) : "");
        } else {
            conf = Args.parse(words, synopsis, Set.of(), Set.of()).expect(1, 1).positional(0);
            reason = "";
        }
        return session -> {
            ConferencePeer peer = session.conferences();
            ConferenceView v = Lookup.conference(session, conf);
            ConferenceView after = Lookup.await(operation.apply(peer, v.id(), reason));
            session.result(name, ConferenceInfo.of(peer, after), report.human(after, reason));
        };
    }
}
