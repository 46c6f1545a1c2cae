package dev.convene.cli.session;

import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.Texts;
import dev.convene.cli.output.Times;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceView;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The commands that act on one conference and report it: {@code accept CONF}, {@code decline CONF [REASON]},
 * {@code leave CONF}, {@code end CONF}. One class, one instance per command.
 */
@Command(description = "answer, leave or end a conference (named accept, decline, leave or end by the registry)")
final class AnswerCmd extends PicocliCommand {
    @Override
    AnswerCmd fresh() {
        return new AnswerCmd(name, synopsis, summary, takesReason, operation, report);
    }

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

    @Parameters(index = "0", arity = "1", paramLabel = "CONF", description = "a conference: title, id or id prefix")
    private String conf;

    @Override
    Action action() {
        String conf = this.conf;
        String reason = takesReason ? Texts.reason(text == null ? "" : text) : "";
        return session -> {
            ConferencePeer peer = session.conferences();
            ConferenceView v = Lookup.conference(session, conf);
            ConferenceView after = Lookup.await(operation.apply(peer, v.id(), reason));
            session.result(name, ConferenceInfo.of(peer, after), report.human(after, reason));
        };
    }
}
