package dev.convene.cli.session;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code delete CONF MSG}: deletes an own message ({@code MSG}: {@code ann#3} as {@code history} shows it, or a
 * message id). Every participant hears a {@code message-deleted} event, keeps the message's place without its
 * text, and erases the text from its store. Only the author may delete a message.
 */
@Command(name = "delete", customSynopsis = "delete CONF MSG",
        description = "delete your message (MSG: ann#3 as history shows it) for every participant")
final class DeleteCmd extends PicocliCommand {
    @Override
    DeleteCmd fresh() {
        return new DeleteCmd();
    }

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceFirst(typed);
    }

    @Parameters(index = "0", paramLabel = "CONF", description = "a conference: title, id or id prefix")
    private String conf;

    @Parameters(index = "1", paramLabel = "MSG", description = "your message: AUTHOR#N (ann#3) or a message id")
    private String msg;

    @Override
    Action action() {
        String conf = this.conf;
        String msg = this.msg;
        return session -> EditCmd.change(session, name(), conf, msg, null);
    }
}
