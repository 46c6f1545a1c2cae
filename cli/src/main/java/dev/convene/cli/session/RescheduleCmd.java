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
import java.util.Set;

/**
 * {@code reschedule CONF [--start TIME] [--duration D]}: an organiser or co-organiser moves a conference or changes how
 * long it lasts (at least one of the two). {@code --start} takes the times {@code create --at} takes, {@code --duration}
 * the durations {@code create --duration} takes. Every member hears a {@code conference-rescheduled} event.
 */
final class RescheduleCmd implements SessionCommand {
    private static final String SYNOPSIS = "reschedule CONF [--start TIME] [--duration D]";

    @Override
    public String name() {
        return "reschedule";
    }

    @Override
    public String synopsis() {
        return SYNOPSIS;
    }

    @Override
    public String summary() {
        return "move a conference you organise (--start 14:30) or change how long it lasts (--duration 2h)";
    }

    @Override
    public Completion completion(List<String> typed) {
        if (typed.isEmpty()) return Completion.CONFERENCES;
        return Completion.words(List.of("--start", "--duration"));
    }

    @Override
    public Action parse(List<String> words) {
        Args a = Args.parse(words, SYNOPSIS, Set.of("--start", "--duration"), Set.of()).expect(1, 1);
        String conf = a.positional(0);
        Optional<String> startText = a.option("--start");
        Optional<String> durationText = a.option("--duration");
        if (startText.isEmpty() && durationText.isEmpty()) {
            throw CliException.usage("give --start TIME, --duration D or both (e.g. reschedule " + conf + " --start 14:30 --duration 2h)");
        }
        StartTime start = startText.map(t -> renamed(() -> StartTime.parse(Optional.of(t), Optional.empty()))).orElse(null);
        Duration duration = durationText.map(CreateCmd::duration).orElse(null);
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
