package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.Durations;
import dev.convene.cli.output.StartTime;
import dev.convene.cli.output.Texts;
import dev.convene.cli.output.Times;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.NewConference;
import dev.convene.overlay.PeerAdvertisement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code create TITLE [--at TIME | --in DURATION] [--duration DURATION] [--agenda TEXT] [--invite PEER,…]
 * [--participants-may-invite] [--history shared|joined] [--standing]}: organises a conference and sends the invitations (kept and delivered later
 * to invitees that are offline). Starts now and lasts an hour unless told otherwise.
 */
@Command(name = "create", customSynopsis = CreateCmd.SYNOPSIS,
        description = "organise a conference (now, --at 14:30 or --in 10m; 1h unless --duration) and invite peers")
final class CreateCmd extends PicocliCommand {
    @Override
    CreateCmd fresh() {
        return new CreateCmd();
    }

    static final Duration DEFAULT_DURATION = Duration.ofHours(1);
    static final String SYNOPSIS = "create TITLE [--at TIME | --in D] [--duration D] [--agenda TEXT] [--invite PEER,...]"
            + " [--participants-may-invite] [--history shared|joined] [--standing]";

    /** The title is free text; after it, the options, and peers after {@code --invite}. */
    @Override
    public Completion completion(List<String> typed) {
        if (typed.isEmpty()) return Completion.NOTHING;
        if (typed.get(typed.size() - 1).equals("--invite")) return Completion.PEERS;
        if (typed.get(typed.size() - 1).equals("--history")) return Completion.words(List.of("shared", "joined"));
        return Completion.NOTHING; // its options come from the picocli model
    }

    @Parameters(arity = "1..*", paramLabel = "TITLE", description = "the title (its words joined by one space)")
    private List<String> titleWords;

    @Option(names = "--at", paramLabel = "TIME", description = "start at TIME")
    private String at;

    @Option(names = "--in", paramLabel = "D", description = "start in D")
    private String in;

    @Option(names = "--duration", paramLabel = "D", description = "how long it lasts (1h unless given)")
    private String durationText;

    @Option(names = "--agenda", paramLabel = "TEXT", description = "the agenda")
    private String agendaText;

    @Option(names = "--invite", paramLabel = "PEER,...", description = "the peers to invite")
    private String inviteText;

    @Option(names = "--history", paramLabel = "shared|joined", description = "what latecomers read")
    private String historyText;

    @Option(names = "--participants-may-invite", description = "participants may invite too")
    private boolean participantsMayInvite;

    @Option(names = "--standing", description = "a standing room, with no fixed end")
    private boolean standing;

    @Override
    Action action() {
        boolean standing = this.standing;
        if (standing && durationText != null) {
            throw CliException.usage("--standing and --duration exclude each other: a standing room has no fixed end; drop one");
        }
        String title = Texts.title(String.join(" ", titleWords));
        StartTime start = StartTime.parse(Optional.ofNullable(at), Optional.ofNullable(in));
        Duration duration = Optional.ofNullable(durationText).map(CreateCmd::duration).orElse(DEFAULT_DURATION);
        String agenda = Optional.ofNullable(agendaText).map(Texts::agenda).orElse("");
        List<String> invite = Optional.ofNullable(inviteText).map(CreateCmd::peerList).orElse(List.of());
        boolean participantsMayInvite = this.participantsMayInvite;
        boolean historyJoined = Optional.ofNullable(historyText).map(CreateCmd::historyJoined).orElse(false);
        return session -> {
            ConferencePeer peer = session.conferences();
            List<PeerAdvertisement> invitees = invite.stream().map(p -> Lookup.peer(session, p)).distinct().toList();
            Instant at = start.resolve(session.clock(), session.zone());
            NewConference timed = NewConference.titled(title).agenda(agenda).startingAt(at);
            NewConference spec = (standing ? timed.standing() : timed.lasting(duration))
                    .invite(invitees.stream().map(PeerAdvertisement::id).toList()).participantsMayInvite(participantsMayInvite)
                    .historyJoined(historyJoined);
            ConferenceView v = Lookup.await(peer.create(spec));
            session.result(name(), ConferenceInfo.of(peer, v), human(v, invitees, session));
        };
    }

    private static String human(ConferenceView v, List<PeerAdvertisement> invitees, Session session) {
        ConferenceContext c = v.context();
        Instant now = session.clock().instant();
        String when = c.start().isAfter(now)
                ? "starts " + Times.local(c.start(), session.zone()) + " (" + Times.relative(now, c.start()) + ")"
                : "live now";
        String invited = invitees.isEmpty() ? "nobody invited yet ('invite " + c.id().shortId() + " PEER')"
                : "invited " + invitees.stream().map(p -> Safe.line(p.label())).collect(Collectors.joining(", "));
        return "created " + ConferenceInfo.label(v) + ": " + when + ", " + Times.until(c, session.zone()) + "; " + invited;
    }

    /** {@code shared} (newcomers read the whole history) or {@code joined} (from their admission on). */
    static boolean historyJoined(String text) {
        return switch (text) {
            case "shared" -> false;
            case "joined" -> true;
            default -> throw CliException.usage("--history: '" + text + "' (expected: shared or joined)");
        };
    }

    static Duration duration(String text) {
        Duration d = Durations.parse(text, "--duration");
        if (d.isZero() || d.compareTo(ConferenceContext.MAX_DURATION) > 0) {
            throw CliException.usage("--duration: '" + text + "' (expected: more than 0 and at most 168h, e.g. 30m or 2h)");
        }
        return d;
    }

    /** {@code bob,carol} → {@code [bob, carol]}. */
    static List<String> peerList(String text) {
        List<String> peers = Arrays.stream(text.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList();
        if (peers.isEmpty()) throw CliException.usage("--invite: '" + text + "' (expected: peers separated by commas, e.g. bob,carol)");
        return peers;
    }
}
