package dev.convene.cli.session;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.convene.cli.CliException;
import dev.convene.cli.output.ConferenceEvents;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.Durations;
import dev.convene.cli.output.Texts;
import dev.convene.cli.output.Times;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.Post;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code say CONF TEXT}: posts a chat message to a live conference. Reports the message id and whether
 * another participant has confirmed storing it ({@code acknowledged}) within {@link #ACK_WAIT}, or not yet
 * ({@code pending}: it is kept, and sent to participants as they come online). Never waits longer.
 */
@Command(name = "say", customSynopsis = "say CONF TEXT", description = "post a chat message (the rest of the line, up to 16 KiB) to a live conference")
public final class SayCmd extends PicocliCommand {
    @Override
    SayCmd fresh() {
        return new SayCmd();
    }

    /** How long {@code say} waits for an acknowledgement before it reports the message pending. */
    private static final Duration ACK_WAIT = ConferenceEvents.ACK_WAIT;

    /**
     * The data of the {@code say} result.
     *
     * @param id {@code AUTHOR-ID:SEQUENCE}, as in the {@code message} event
     * @param pending true if no other participant confirmed storing it yet
     */
    record Data(String conference, String title, String id, long sequence, @JsonProperty("sent-at") String sentAt, boolean pending,
                @JsonProperty("reply-to") String replyTo, List<ConferenceInfo.PeerRef> mentions) {
        Data {
            mentions = mentions == null || mentions.isEmpty() ? null : List.copyOf(mentions); // absent if none
        }
    }

    public static final String NAME = "say";

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceFirst(typed);
    }

    @Override
    public int freeTextAfter() {
        return 1;
    }

    @Parameters(index = "0", arity = "1", paramLabel = "CONF", description = "a conference: title, id or id prefix")
    private String conf;

    @Override
    Action action() {
        return post(NAME, conf, Texts.message(requireText()), false);
    }

    /**
     * Posts {@code text} to {@code conf}. In chat mode ({@code quiet}) an acknowledged message needs no
     * words (its chat line shows it was sent); a pending one says so.
     */
    public static Action post(String command, String conf, String text, boolean quiet) {
        return post(command, conf, null, text, quiet);
    }

    /**
     * {@link #post(String, String, String, boolean)}, as a reply to the message {@code msg} ({@link Lookup#message}) unless
     * it is null.
     */
    static Action post(String command, String conf, String msg, String text, boolean quiet) {
        return session -> {
            ConferencePeer peer = session.conferences();
            ConferenceView v = Lookup.conference(session, conf);
            if (v.state() == dev.convene.conference.ConferenceState.SCHEDULED) {
                // said here, in local time to the minute, rather than as the library's instant
                Instant start = v.context().start();
                throw CliException.failed(ConferenceInfo.label(v) + " is scheduled, not live; it starts " + Times.local(start, session.zone())
                        + " (" + Times.relative(session.clock().instant(), start) + ")");
            }
            dev.convene.conference.MessageId to = msg == null ? null : Lookup.message(session, v, msg);
            List<dev.convene.overlay.PeerId> mentions = MentionLookup.resolve(peer, v, text);
            Post post = Lookup.await(mentions.isEmpty() ? (to == null ? peer.say(v.id(), text) : peer.reply(v.id(), to, text))
                    : to == null ? peer.say(v.id(), text, mentions) : peer.reply(v.id(), to, text, mentions));
            session.posted(v.id(), post);
            boolean someoneOnline = v.participants().stream().anyMatch(p -> !p.equals(peer.self()) && peer.directory().isOnline(p));
            ChatEntry entry = someoneOnline ? acknowledged(post) : post.entry();
            String id = ConferenceEvents.messageId(entry);
            String state = !entry.pending() ? "acknowledged"
                    : someoneOnline ? "pending: not confirmed within " + Durations.format(ACK_WAIT) + "; it is delivered as participants are reachable"
                    : "pending: no other participant is online; it is sent when one comes online";
            String re = to == null ? "" : " in reply to " + dev.convene.cli.terminal.Safe.line(ConferenceEvents.ref(peer, to));
            String human = !quiet ? "sent " + entry.id() + re + " to " + ConferenceInfo.label(v) + " (" + state + ")"
                    : entry.pending() ? "  (" + entry.id() + " " + state + ")" : "";
            session.result(command, new Data(v.id().value(), v.title(), id, entry.id().sequence(), entry.sentAt().toString(), entry.pending(),
                    to == null ? null : ConferenceEvents.messageId(to),
                    mentions.stream().map(p -> ConferenceInfo.PeerRef.of(peer, p)).toList()),
                    human);
        };
    }

    /** The entry once acknowledged, or as posted (pending) if that takes longer than {@link #ACK_WAIT}. */
    private static ChatEntry acknowledged(Post post) throws InterruptedException {
        try {
            return post.acknowledged().get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return post.entry();
        }
    }
}
