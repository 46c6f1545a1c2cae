package dev.convene.cli.session;

import dev.convene.cli.output.ConferenceEvents;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.MessageId;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code react CONF MSG EMOJI [--remove]}: reacts to a message with an emoji, or withdraws that reaction. Every
 * participant hears a {@code reaction} event; {@code history} counts the reactions per message.
 */
@Command(name = "react", customSynopsis = ReactCmd.SYNOPSIS,
        description = "react to a message (MSG: bob#3 as history shows it) with an emoji, or --remove your reaction")
final class ReactCmd extends PicocliCommand {
    static final String SYNOPSIS = "react CONF MSG EMOJI [--remove]";

    /**
     * The data of the {@code react} result.
     *
     * @param id the message, {@code AUTHOR-ID:SEQUENCE} as in the {@code message} event
     * @param added false for {@code --remove}
     */
    record Data(String conference, String title, String id, String emoji, boolean added) {
    }

    @Override
    ReactCmd fresh() {
        return new ReactCmd();
    }

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceFirst(typed);
    }

    @Parameters(index = "0", paramLabel = "CONF", description = "a conference: title, id or id prefix")
    private String conf;

    @Parameters(index = "1", paramLabel = "MSG", description = "the message: AUTHOR#N (bob#3) or a message id")
    private String msg;

    @Parameters(index = "2", paramLabel = "EMOJI", description = "a short emoji, e.g. \uD83D\uDC4D")
    private String emoji;

    @Option(names = "--remove", description = "withdraw your reaction with this emoji")
    private boolean remove;

    @Override
    Action action() {
        String conf = this.conf;
        String msg = this.msg;
        String emoji = this.emoji;
        boolean added = !remove;
        return session -> {
            ConferencePeer peer = session.conferences();
            ConferenceView v = Lookup.conference(session, conf);
            MessageId to = Lookup.message(session, v, msg);
            Lookup.await(added ? peer.react(v.id(), to, emoji) : peer.unreact(v.id(), to, emoji));
            String ref = Safe.line(ConferenceEvents.ref(peer, to));
            session.result(name(), new Data(v.id().value(), v.title(), ConferenceEvents.messageId(to), emoji, added),
                    (added ? "reacted " + Safe.line(emoji) + " to " + ref : "withdrew " + Safe.line(emoji) + " from " + ref)
                            + " in " + ConferenceInfo.label(v));
        };
    }
}
