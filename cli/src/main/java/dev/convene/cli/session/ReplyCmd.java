package dev.convene.cli.session;

import dev.convene.cli.output.Texts;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code reply CONF MSG TEXT}: posts a chat message that answers the message {@code MSG} ({@code bob#3}, as
 * {@code history} shows it, or the {@code id} of a {@code message} event); otherwise as {@code say}, whose result
 * it gives with {@code reply-to}.
 */
@Command(name = "reply", customSynopsis = "reply CONF MSG TEXT",
        description = "answer a message (MSG: bob#3 as history shows it) with the rest of the line")
final class ReplyCmd extends PicocliCommand {
    @Override
    ReplyCmd fresh() {
        return new ReplyCmd();
    }

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceFirst(typed);
    }

    @Override
    public int freeTextAfter() {
        return 2;
    }

    @Parameters(index = "0", arity = "1", paramLabel = "CONF", description = "a conference: title, id or id prefix")
    private String conf;

    @Parameters(index = "1", arity = "1", paramLabel = "MSG", description = "the message answered: AUTHOR#N (bob#3) or a message id")
    private String msg;

    @Override
    Action action() {
        return SayCmd.post(name(), conf, msg, Texts.message(requireText()), false);
    }
}
