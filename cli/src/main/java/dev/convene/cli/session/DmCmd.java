package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.Texts;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.NewConference;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code dm PEER TEXT}: a direct message. Posts TEXT (the rest of the line) to the live two-person
 * conference of this peer and PEER, creating it (live now, for {@link #LASTS}, PEER invited) if there is
 * none; PEER sees the messages once it accepts. Its result is that of {@code say}, with the command
 * {@code dm}.
 */
@Command(name = "dm", customSynopsis = "dm PEER TEXT", description = "a direct message: TEXT (the rest of the line) to your two-person conference with PEER, made if needed")
final class DmCmd extends PicocliCommand {
    @Override
    DmCmd fresh() {
        return new DmCmd();
    }

    /** How long a conversation made by {@code dm} lasts: the longest a conference may. */
    static final Duration LASTS = Duration.ofHours(168);
    /** How the title of a conversation made by {@code dm} starts: {@code dm alice & bob}. */
    static final String TITLE_PREFIX = "dm ";

    @Override
    public Completion completion(List<String> typed) {
        return typed.isEmpty() ? Completion.PEERS : Completion.NOTHING;
    }

    @Override
    public int freeTextAfter() {
        return 1;
    }

    @Parameters(index = "0", arity = "1", paramLabel = "PEER", description = "a peer: name, id or id prefix")
    private String peer;

    @Override
    Action action() {
        String who = this.peer;
        String text = Texts.message(requireText());
        return session -> {
            ConferencePeer peer = session.conferences();
            PeerAdvertisement other = Lookup.peer(session, who);
            if (other.id().equals(peer.self())) throw CliException.failed("that is you; 'dm' takes another peer");
            ConferenceView v = conversation(peer, other.id()).orElse(null);
            if (v == null) {
                String title = TITLE_PREFIX + peer.name() + " & " + other.name();
                v = Lookup.await(peer.create(NewConference.titled(Texts.title(title.length() > 200 ? title.substring(0, 200) : title))
                        .lasting(LASTS).invite(other.id())));
            }
            SayCmd.post(name(), v.id().value(), text, false).run(session);
        };
    }

    /**
     * The newest live conversation made by {@code dm} (its title starts with {@link #TITLE_PREFIX}) whose
     * people are exactly this peer and {@code other}, neither having declined or left. Another conference
     * of the two is never taken for one.
     */
    static Optional<ConferenceView> conversation(ConferencePeer peer, PeerId other) {
        Set<PeerId> pair = Set.of(peer.self(), other);
        return peer.conferences().stream()
                .filter(v -> v.state() == ConferenceState.LIVE && v.title().startsWith(TITLE_PREFIX))
                .filter(v -> v.myRole() == ConferenceView.Role.ORGANISER || v.myRole() == ConferenceView.Role.PARTICIPANT)
                .filter(v -> {
                    java.util.Set<PeerId> people = new java.util.HashSet<>(v.invitees());
                    people.add(v.context().organiser());
                    return people.equals(pair);
                })
                .filter(v -> v.answerOf(other).map(r -> r.answer() == dev.convene.conference.Answer.ACCEPT).orElse(true)
                        || v.context().organiser().equals(other))
                .max(Comparator.comparing(v -> v.context().createdAt()));
    }
}
