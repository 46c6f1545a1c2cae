package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.conference.ConferenceView;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code open CONF}: chat mode in the interactive session. Plain lines become messages to the conference
 * and its messages show as {@code name: text}; {@code /back} returns to commands (see {@link Interactive}).
 * Only for a conference this peer takes part in; scripts have no chat mode and use {@code say}.
 */
@Command(name = "open", customSynopsis = "open CONF", description = "chat in a conference: plain lines are messages to it; /back returns, /history shows the history")
final class OpenCmd extends PicocliCommand {
    @Override
    OpenCmd fresh() {
        return new OpenCmd();
    }

    /**
     * The data of the {@code open} result.
     *
     * @param messages how many messages the conference has here
     */
    record Data(ConferenceInfo conference, int messages) {
    }

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
            ConferenceView v = Lookup.conference(session, conf);
            String label = ConferenceInfo.label(v);
            String id = v.id().shortId();
            switch (v.myRole()) {
                case ORGANISER, PARTICIPANT -> { }
                case INVITED -> throw CliException.failed("you have not accepted " + label + " yet; 'accept " + id + "' first");
                case DECLINED, LEFT -> throw CliException.failed("you do not take part in " + label + "; 'accept " + id + "' rejoins it while it lasts");
                case REMOVED -> throw CliException.failed("the organiser removed you from " + label + "; you cannot chat in it");
            }
            session.openChat(v);
            int messages = session.conferences().history(v.id()).size();
            session.result(name(), new Data(ConferenceInfo.of(session.conferences(), v), messages), "chatting in " + label + " ("
                    + ConferenceInfo.lower(v.state()) + ", " + (messages == 1 ? "1 message" : messages + " messages")
                    + "): lines you type are messages; /history shows them, /back returns, /help lists commands");
        };
    }
}
