package dev.convene.cli.session;

import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.PeerView;
import dev.convene.cli.output.Times;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * {@code conferences} (every conference this peer knows, with its state and this peer's role) and
 * {@code invitations} (those it was invited to and has not answered, not yet over): one class, two
 * commands.
 */
@Command(description = "conferences or invitations (named by the registry)")
final class ConferencesCmd extends PicocliCommand {
    @Override
    ConferencesCmd fresh() {
        return new ConferencesCmd(name, summary, select, none);
    }

    /**
     * The data of both results.
     *
     * @param count how many
     * @param conferences each, by start time
     */
    record Data(int count, List<ConferenceInfo> conferences) {
    }

    private final String name;
    private final String summary;
    private final Function<ConferencePeer, List<ConferenceView>> select;
    private final String none;

    private ConferencesCmd(String name, String summary, Function<ConferencePeer, List<ConferenceView>> select, String none) {
        this.name = name;
        this.summary = summary;
        this.select = select;
        this.none = none;
    }

    static ConferencesCmd conferences() {
        return new ConferencesCmd("conferences", "list the conferences this peer knows: state, your role, who takes part",
                ConferencePeer::conferences, "no conferences yet; 'create TITLE' organises one");
    }

    static ConferencesCmd invitations() {
        return new ConferencesCmd("invitations", "list the invitations you have not answered yet",
                ConferencePeer::invitations, "no open invitations");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String synopsis() {
        return name;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    Action action() {
        return session -> {
            ConferencePeer peer = session.conferences();
            List<ConferenceView> views = select.apply(peer);
            List<ConferenceInfo> infos = views.stream().map(v -> ConferenceInfo.of(peer, v)).toList();
            session.result(name, new Data(infos.size(), infos), human(infos, views));
        };
    }

    private String human(List<ConferenceInfo> infos, List<ConferenceView> views) {
        if (infos.isEmpty()) return none;
        StringBuilder b = new StringBuilder(infos.size() + (infos.size() == 1 ? " conference:" : " conferences:"));
        for (int i = 0; i < infos.size(); i++) {
            ConferenceInfo c = infos.get(i);
            ConferenceView v = views.get(i);
            b.append(String.format("%n  %-8s  %-9s  %-11s  '%s'", v.id().shortId(), c.state(), c.role(), Safe.line(c.title())));
            b.append(String.format("%n            %s %s, organised by %s", Times.local(v.context().start()),
                    Times.lasting(v.context()), c.organiser().label()));
            if (!c.agenda().isEmpty()) b.append(String.format("%n            agenda: %s", Safe.line(c.agenda())));
            b.append(String.format("%n            taking part: %s", c.participants().isEmpty() ? "nobody"
                    : c.participants().stream().map(ConferenceInfo.PeerRef::label).collect(Collectors.joining(", "))));
            String answers = c.invitees().stream().map(ConferencesCmd::answer).collect(Collectors.joining(", "));
            if (!answers.isEmpty()) b.append(String.format("%n            invited: %s", answers));
        }
        return b.toString();
    }

    private static String answer(ConferenceInfo.Invitee i) {
        String who = Safe.line(i.name()) + " (" + PeerView.shortId(i.id()) + ")";
        if (i.answer() == null) return who + " no answer yet";
        String verb = switch (i.answer()) {
            case "accept" -> "accepted";
            case "decline" -> "declined";
            default -> "left";
        };
        return who + " " + verb + (i.reason() == null || i.reason().equals(verb) ? "" : ": " + Safe.line(i.reason()));
    }
}
