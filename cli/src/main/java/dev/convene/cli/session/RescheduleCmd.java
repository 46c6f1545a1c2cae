package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.StartTime;
import dev.convene.cli.output.Times;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code reschedule CONF [--start TIME] [--duration D]}: an organiser or co-organiser moves a conference or changes how
 * long it lasts (at least one of the two). {@code --start} takes the times {@code create --at} takes, {@code --duration}
 * the durations {@code create --duration} takes. Every member hears a {@code conference-rescheduled} event.
 */
@Command(name = "reschedule", customSynopsis = RescheduleCmd.SYNOPSIS,
        description = "move a conference you organise (--start 14:30) or change how long it lasts (--duration 2h)")
final class RescheduleCmd extends PicocliCommand {
    static final String SYNOPSIS = "reschedule CONF [--start TIME] [--duration D]";

    @Override
    RescheduleCmd fresh() {
        return new RescheduleCmd();
    }

    /** The conference, then the options (their names come from the picocli model). */
    @Override
    public Completion completion(List<String> typed) {
        if (typed.isEmpty()) return Completion.CONFERENCES;
        return Completion.NOTHING;
    }

    @Parameters(index = "0", paramLabel = "CONF", description = "the conference")
    private String conf;

    @Option(names = "--start", paramLabel = "TIME", description = "the new start (the times create --at takes)")
    private String startText;

    @Option(names = "--duration", paramLabel = "D", description = "the new duration (e.g. 2h)")
    private String durationText;

    @Override
    Action action() {
        String conf = this.conf;
        if (startText == null && durationText == null) {
            throw CliException.usage("give --start TIME, --duration D or both (e.g. reschedule " + conf + " --start 14:30 --duration 2h)");
        }
        String startGiven = startText;
        StartTime start = startGiven == null ? null : renamed(() -> StartTime.parse(Optional.of(startGiven), Optional.empty()));
        Duration duration = durationText == null ? null : CreateCmd.duration(durationText);
        return session -> {
            ConferencePeer peer = session.conferences();
            ConferenceView v = Lookup.conference(session, conf);
            Instant at = start == null ? null : renamed(() -> start.resolve(session.clock(), session.zone()));
            ConferenceView after = Lookup.await(peer.reschedule(v.id(), at, duration));
            session.result(name(), ConferenceInfo.of(peer, after), human(after, session));
        };
    }

    private static String human(ConferenceView v, Session session) {
        ConferenceContext c = v.context();
        Instant now = session.clock().instant();
        String when = c.start().isAfter(now)
                ? "starts " + Times.local(c.start(), session.zone()) + " (" + Times.relative(now, c.start()) + ")"
                : "started " + Times.local(c.start(), session.zone());
        return "rescheduled " + ConferenceInfo.label(v) + ": " + when + ", " + Times.until(c, session.zone());
    }

    /** {@link StartTime} speaks of {@code create}'s {@code --at} (and {@code --in}); here the option is {@code --start}. */
    private static <T> T renamed(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (CliException e) {
            String message = e.getMessage().replace(", or use --in", "").replace("--at", "--start");
            throw e.isUsage() ? CliException.usage(message) : CliException.failed(message);
        }
    }
}
