package dev.convene.cli.session;

import dev.convene.cli.output.ConferenceEvents;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.Texts;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.MessageId;
import dev.convene.conference.Post;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code edit CONF MSG TEXT}: replaces the text of an own message ({@code MSG}: {@code ann#3} as {@code history}
 * shows it, or a message id) with the rest of the line. Every participant hears a {@code message-edited} event
 * and shows the latest text, marked edited. Only the author may edit a message.
 */
@Command(name = "edit", customSynopsis = "edit CONF MSG TEXT",
        description = "replace the text of your message (MSG: ann#3 as history shows it) with the rest of the line")
final class EditCmd extends PicocliCommand {
    /**
     * The data of the {@code edit} and {@code delete} results.
     *
     * @param id the message, {@code AUTHOR-ID:SEQUENCE} as in the {@code message} event
     * @param text the latest text (edit), absent for delete
     * @param deleted true for delete
     */
    record Data(String conference, String title, String id, long sequence, String text, boolean deleted) {
    }

    @Override
    EditCmd fresh() {
        return new EditCmd();
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

    @Parameters(index = "1", arity = "1", paramLabel = "MSG", description = "your message: AUTHOR#N (ann#3) or a message id")
    private String msg;

    @Override
    Action action() {
        String conf = this.conf;
        String msg = this.msg;
        String text = Texts.message(requireText());
        return session -> change(session, name(), conf, msg, text);
    }

    /** Edits ({@code text} not null) or deletes the message {@code msg} and reports it. */
    static void change(Session session, String command, String conf, String msg, String text) throws InterruptedException {
        ConferencePeer peer = session.conferences();
        ConferenceView v = Lookup.conference(session, conf);
        MessageId to = Lookup.message(session, v, msg);
        Post post = Lookup.await(text == null ? peer.delete(v.id(), to) : peer.edit(v.id(), to, text));
        String ref = Safe.line(ConferenceEvents.ref(peer, to));
        session.result(command, new Data(v.id().value(), v.title(), ConferenceEvents.messageId(to), to.sequence(),
                        text == null ? null : post.entry().text(), text == null),
                (text == null ? "deleted " : "edited ") + ref + " in " + ConferenceInfo.label(v));
    }
}
