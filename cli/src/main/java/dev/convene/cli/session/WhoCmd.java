package dev.convene.cli.session;

import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.PeerView;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.Answer;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code who CONF}: who is in a conference now. Each organiser and invitee with one state: {@code online}
 * (takes part and is reachable), {@code away} (takes part, not reachable now), {@code left},
 * {@code declined}, {@code invited} (no answer yet). In chat mode, {@code /who}.
 */
@Command(name = "who", customSynopsis = "who CONF", description = "who is in a conference now: online, away (not reachable), invited, declined, left")
final class WhoCmd extends PicocliCommand {
    @Override
    WhoCmd fresh() {
        return new WhoCmd();
    }

    /** One person of the conference: {@code state} is one of the five above; {@code organiser} marks the organiser. */
    record Person(String id, String name, String state, boolean organiser) {
    }

    /** The data of the {@code who} result, people in the order: online, away, invited, declined, left; then by name. */
    record Data(String conference, String title, int online, List<Person> people) {
    }

    private static final List<String> ORDER = List.of("online", "away", "invited", "declined", "left");

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceFirst(typed);
    }

    @Parameters(index = "0", arity = "1", paramLabel = "CONF", description = "a conference: title, id or id prefix")
    private String conf;

    @Override
    Action action() {
        String conf = this.conf;
        return session -> {
            ConferencePeer peer = session.conferences();
            ConferenceView v = Lookup.conference(session, conf);
            List<Person> people = people(v, peer, id -> peer.directory().isOnline(id));
            long online = people.stream().filter(p -> p.state().equals("online")).count();
            String human = "in " + ConferenceInfo.label(v) + ": " + people.stream().map(WhoCmd::human).collect(Collectors.joining(", "));
            session.result(name(), new Data(v.id().value(), v.title(), (int) online, people), human);
        };
    }

    static List<Person> people(ConferenceView v, ConferencePeer peer, java.util.function.Predicate<PeerId> isOnline) {
        Set<PeerId> everyone = new LinkedHashSet<>();
        everyone.add(v.context().organiser());
        everyone.addAll(v.invitees());
        List<Person> people = new ArrayList<>();
        for (PeerId id : everyone) {
            String state;
            if (v.participants().contains(id)) {
                state = isOnline.test(id) ? "online" : "away";
            } else {
                Answer answer = v.answerOf(id).map(ConferenceView.Reply::answer).orElse(null);
                state = answer == Answer.DECLINE ? "declined" : answer == Answer.LEAVE || id.equals(v.context().organiser()) ? "left" : "invited";
            }
            people.add(new Person(id.value(), PeerView.name(peer, id), state, id.equals(v.context().organiser())));
        }
        people.sort(Comparator.comparingInt((Person p) -> ORDER.indexOf(p.state()))
                .thenComparing(Person::name, String.CASE_INSENSITIVE_ORDER).thenComparing(Person::id));
        return people;
    }

    private static String human(Person p) {
        return Safe.line(p.name()) + " (" + p.id().substring(0, 8) + ") " + p.state() + (p.organiser() ? ", organiser" : "");
    }
}
