package dev.convene.cli.output;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.convene.cli.output.ConferenceInfo.PeerRef;
import dev.convene.cli.terminal.Safe;
import dev.convene.overlay.PeerAdvertisement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code convene} tells the user, one event at a time, through an {@link EventWriter}. With
 * {@code --json} each event is one JSON object: {@code "event"} (its {@code NAME}), {@code "at"}, then the
 * record's components (null ones left out). Without it, {@link #human()} is printed.
 *
 * <p>To add an event: add a record here with a {@code static final String NAME}, and document it with an
 * example in docs/EVENTS.md ({@code EventsDocumentedTest} fails until you do). Field names are stable once
 * published; add fields rather than rename them.
 *
 * <p>Conference events name their conference by id in {@code conference} and add its {@code title}; times
 * are ISO-8601 instants. Their human form shows times in the local zone and passes every text another peer
 * wrote through {@link Safe}.
 */
public sealed interface Event {
    /** The value of the {@code "event"} field. */
    String type();

    /** The text shown without {@code --json}; may span lines; empty means print nothing. */
    String human();

    /**
     * This peer is up: who it is and where it listens. {@code convene router} sends one too (no id).
     *
     * @param transportKey the fingerprint of the group's transport key, or null without transport encryption
     */
    record Ready(String id, String name, String fingerprint, String network, String address, String cluster,
                 @JsonProperty("transport-key") String transportKey) implements Event {
        public static final String NAME = "ready";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            if (id == null) return name + " listening on " + address + " (" + network + ")";
            return name + " (" + PeerView.shortId(id) + ") is online: " + network + " network, group '" + cluster + "', listening on "
                    + address + ", key fingerprint " + fingerprint + (transportKey == null ? "" : ", transport key " + transportKey);
        }
    }

    /** A peer's signed advertisement was verified and it is online. */
    record PeerJoined(String id, String name, String endpoint, String fingerprint) implements Event {
        public static final String NAME = "peer-joined";

        static PeerJoined of(PeerAdvertisement ad) {
            return new PeerJoined(ad.id().value(), ad.name(), ad.endpoint(), ad.fingerprint());
        }

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return "+ " + Safe.line(name) + " (" + PeerView.shortId(id) + ") joined from " + Safe.line(endpoint);
        }
    }

    /** A peer left: said goodbye, crashed, or was cut off. */
    record PeerLeft(String id, String name, String endpoint, String fingerprint, String reason) implements Event {
        public static final String NAME = "peer-left";
        /** The reason when no relay router of this peer answers: the peer is out of reach, maybe not gone. */
        static final String ROUTERS_UNREACHABLE = "routers-unreachable";

        static PeerLeft of(PeerAdvertisement ad) {
            return of(ad, null);
        }

        static PeerLeft of(PeerAdvertisement ad, String reason) {
            return new PeerLeft(ad.id().value(), ad.name(), ad.endpoint(), ad.fingerprint(), reason);
        }

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return "- " + Safe.line(name) + " (" + PeerView.shortId(id) + ")" + (ROUTERS_UNREACHABLE.equals(reason)
                    ? " is out of reach: no relay router answers; it is back when a router is" : " left");
        }
    }

    /**
     * A command succeeded.
     *
     * @param command the command name ({@code peers}, {@code wait}, {@code identity}, …)
     * @param line the script or session line it came from, or null
     * @param data what it produced (a record or map, serialised by Jackson)
     * @param text the human form
     */
    record Result(String command, Integer line, Object data, @JsonIgnore String text) implements Event {
        public static final String NAME = "result";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return text;
        }
    }

    /**
     * Something failed. Also printed as one line on stderr.
     *
     * @param message what happened and what to do next
     * @param line the script or session line, or null
     * @param source the script ({@code -} for stdin), or null outside scripts
     */
    record ErrorReport(String message, Integer line, String source) implements Event {
        public static final String NAME = "error";

        @Override
        public String type() {
            return NAME;
        }

        /** The stderr form: {@code script.txt:4: message}. */
        @Override
        public String human() {
            return line != null && source != null ? source + ":" + line + ": " + message : "convene: " + message;
        }
    }

    /**
     * This peer was invited: the whole signed context, and who invited it (the organiser, or a participant
     * where the organiser allows that).
     */
    record Invitation(String conference, String id, String title, String agenda, PeerRef organiser, String start,
                      String duration, String end, List<PeerRef> invitees, @JsonProperty("created-at") String createdAt,
                      int version, @JsonProperty("participants-may-invite") boolean participantsMayInvite, PeerRef inviter)
            implements Event {
        public static final String NAME = "invitation";

        public Invitation {
            invitees = List.copyOf(invitees);
        }

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            String shortId = id.substring(0, 8);
            String head = "! " + inviter.label() + " invites you to '" + Safe.line(title) + "' (" + shortId + "), "
                    + Times.local(Instant.parse(start)) + (Duration.parse(duration).isZero() ? " onwards, a standing room with no fixed end"
                            : " for " + Times.duration(Duration.parse(duration)))
                    + (inviter.id().equals(organiser.id()) ? "" : ", organised by " + organiser.label());
            String others = invitees.stream().map(PeerRef::label).collect(Collectors.joining(", "));
            return head + (agenda.isEmpty() ? "" : "\n  agenda: " + Safe.text(agenda, "          "))
                    + "\n  invited: " + others
                    + "\n  answer with: accept " + shortId + "   or: decline " + shortId + " [REASON]";
        }
    }

    /** A peer answered an invitation (or changed its answer): {@code accept}, {@code decline} or {@code leave}. */
    record Reply(String conference, String title, PeerRef peer, String answer, String reason) implements Event {
        public static final String NAME = "reply";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            String verb = switch (answer) {
                case "accept" -> "accepted";
                case "decline" -> "declined";
                case "leave" -> "left";
                default -> Safe.line(answer);
            };
            return "  " + peer.label() + " " + verb + " '" + Safe.line(title) + "' (" + conference.substring(0, 8) + ")"
                    + (reason == null || reason.isEmpty() ? "" : ": " + Safe.line(reason));
        }
    }

    /** A conference went live by this peer's clock. */
    record ConferenceStarted(String conference, String title, PeerRef organiser, String start, String end) implements Event {
        public static final String NAME = "conference-started";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            boolean standing = Instant.parse(end).equals(dev.convene.conference.ConferenceContext.LATEST);
            return "* '" + Safe.line(title) + "' (" + conference.substring(0, 8) + ") is live until "
                    + (standing ? "it is ended (a standing room)" : Times.local(Instant.parse(end)));
        }
    }

    /**
     * An organiser (the organiser or a co-organiser) changed a conference's schedule, or concurrent changes resolved
     * differently once more were known: the schedule now in effect, and the one before. {@code end} is
     * {@code 9999-12-31T23:59:59Z} for a standing room.
     *
     * @param duration ISO-8601, {@code PT0S} for a standing room
     * @param previousStart the start before the change
     * @param previousEnd the end before the change
     */
    record ConferenceRescheduled(String conference, String title, String start, String duration, String end,
                                 @JsonProperty("previous-start") String previousStart,
                                 @JsonProperty("previous-end") String previousEnd) implements Event {
        public static final String NAME = "conference-rescheduled";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            boolean standing = Instant.parse(end).equals(dev.convene.conference.ConferenceContext.LATEST);
            boolean wasStanding = Instant.parse(previousEnd).equals(dev.convene.conference.ConferenceContext.LATEST);
            return "* '" + Safe.line(title) + "' (" + conference.substring(0, 8) + ") was rescheduled: " + span(start, end, standing)
                    + " (was " + span(previousStart, previousEnd, wasStanding) + ")";
        }

        private static String span(String start, String end, boolean standing) {
            return Times.local(Instant.parse(start)) + (standing ? " onwards, a standing room" : " until " + Times.local(Instant.parse(end)));
        }
    }

    /**
     * A conference is over: it ended by schedule or by its organiser ({@code ended}), or was cancelled before
     * it started ({@code cancelled}).
     */
    record ConferenceEnded(String conference, String title, PeerRef organiser, String state) implements Event {
        public static final String NAME = "conference-ended";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return "* '" + Safe.line(title) + "' (" + conference.substring(0, 8) + ") " + ("cancelled".equals(state) ? "was cancelled" : "has ended");
        }
    }

    /**
     * A chat message, as this peer stores it: from another participant, or posted here (then {@code pending}
     * until another participant confirmed storing it). Delivered once per message, in order per author.
     *
     * @param id {@code AUTHOR-ID:SEQUENCE}, stable and unique
     * @param sentAt when the author sent it, by its clock
     */
    record Message(String conference, String title, String id, long sequence, PeerRef from, String text,
                   @JsonProperty("sent-at") String sentAt, boolean pending, @JsonProperty("reply-to") String replyTo,
                   @JsonIgnore String replyRef, List<PeerRef> mentions, Boolean mentioned) implements Event {
        public static final String NAME = "message";

        public Message {
            mentions = mentions == null || mentions.isEmpty() ? null : List.copyOf(mentions); // absent if none
            mentioned = Boolean.TRUE.equals(mentioned) ? Boolean.TRUE : null; // absent unless this peer is mentioned
        }

        /** A message that mentions nobody. */
        public Message(String conference, String title, String id, long sequence, PeerRef from, String text, String sentAt, boolean pending,
                       String replyTo, String replyRef) {
            this(conference, title, id, sequence, from, text, sentAt, pending, replyTo, replyRef, null, null);
        }

        /** A message that is not a reply. */
        public Message(String conference, String title, String id, long sequence, PeerRef from, String text, String sentAt, boolean pending) {
            this(conference, title, id, sequence, from, text, sentAt, pending, null, null, null, null);
        }

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return stamp() + " [" + Safe.line(title) + "] " + from.label() + " #" + sequence + reply(replyRef) + ": " + Safe.text(text, "    ");
        }

        /** {@code " ↳ re bob#3"} for a reply, else empty. */
        public static String reply(String replyRef) {
            return replyRef == null ? "" : " \u21b3 re " + Safe.line(replyRef);
        }

        /** When it was sent, as message lines show it ({@link Times#stamp}). */
        public String stamp() {
            return Times.stamp(Instant.parse(sentAt));
        }
    }

    /**
     * An own message that was pending is now acknowledged ({@code to} is {@code one}: at least one other participant
     * confirmed storing it), or is now stored by every other current participant ({@code to} is {@code all}; a
     * second event for the same message, after the first). People see a line only when {@code say} could already
     * have reported it pending ({@code late}, {@code one} only); scripts get both events for every message.
     *
     * @param id {@code AUTHOR-ID:SEQUENCE}, as in {@code message}
     * @param to {@code one} or {@code all}
     * @param late acknowledged later than {@code say} waits for it (not in JSON)
     */
    record Delivered(String conference, String title, String id, long sequence, String to,
                     @JsonIgnore boolean late) implements Event {
        /** {@code to} of a message stored by at least one other participant. */
        public static final String ONE = "one";
        /** {@code to} of a message stored by every other current participant. */
        public static final String ALL = "all";

        static final String NAME = "delivered";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return !late || !ONE.equals(to) ? "" : "[" + Safe.line(title) + "] your message " + sequence + " was delivered (stored by another participant)";
        }
    }

    /**
     * A message shown before (a {@code message} event) is taken out of this peer's history: a record heard later
     * makes it invalid (its author had been removed before posting it) or unreadable (sent under a key that lost a
     * conflict). Every participant ends with the same history; an own message taken out is not delivered.
     *
     * @param id {@code AUTHOR-ID:SEQUENCE}, as in {@code message}
     * @param from its author, as in {@code message}
     * @param reason {@code invalid by membership} or {@code unreadable}
     */
    record Retracted(String conference, String title, String id, long sequence, PeerRef from, String reason) implements Event {
        static final String NAME = "retracted";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return "[" + Safe.line(title) + "] message " + sequence + " from " + from.label() + " was taken out of the history ("
                    + Safe.line(reason) + ")";
        }
    }

    /**
     * {@code history CONF}: the conference's messages in canonical order, the same at every participant once
     * synced. A {@code result} follows.
     *
     * @param line the command's line, as in {@code result}
     */
    record History(String conference, String title, Integer line, int count, List<ChatLine> messages) implements Event {
        public static final String NAME = "history";

        public History {
            messages = List.copyOf(messages);
        }

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            String head = "history of '" + Safe.line(title) + "' (" + conference.substring(0, 8) + "): "
                    + (count == 1 ? "1 message" : count + " messages");
            return head + messages.stream().map(m -> "\n  " + m.human()).collect(Collectors.joining());
        }
    }

    /**
     * One message of a {@link History}: the fields of {@code message} without the conference.
     *
     * @param id {@code AUTHOR-ID:SEQUENCE}
     */
    record ChatLine(String id, long sequence, PeerRef from, String text, @JsonProperty("sent-at") String sentAt, boolean pending,
                    @JsonProperty("reply-to") String replyTo, @JsonIgnore String replyRef, List<ReactionCount> reactions,
                    Boolean edited, Boolean deleted, List<PeerRef> mentions, Boolean mentioned) {
        public ChatLine {
            mentions = mentions == null || mentions.isEmpty() ? null : List.copyOf(mentions);
            mentioned = Boolean.TRUE.equals(mentioned) ? Boolean.TRUE : null;
            reactions = reactions == null || reactions.isEmpty() ? null : List.copyOf(reactions);
            edited = Boolean.TRUE.equals(edited) ? Boolean.TRUE : null; // absent unless true
            deleted = Boolean.TRUE.equals(deleted) ? Boolean.TRUE : null;
        }

        /** A message neither edited nor deleted. */
        public ChatLine(String id, long sequence, PeerRef from, String text, String sentAt, boolean pending, String replyTo, String replyRef,
                        List<ReactionCount> reactions) {
            this(id, sequence, from, text, sentAt, pending, replyTo, replyRef, reactions, null, null, null, null);
        }

        /** A message that is not a reply and has no reactions. */
        public ChatLine(String id, long sequence, PeerRef from, String text, String sentAt, boolean pending) {
            this(id, sequence, from, text, sentAt, pending, null, null, null);
        }

        public String human() {
            String head = Times.stamp(Instant.parse(sentAt)) + " " + from.label() + " #" + sequence + Message.reply(replyRef) + ": ";
            if (deleted != null) return head + "(deleted)";
            return head + Safe.text(text, " ".repeat(Math.min(head.length(), 8)))
                    + (edited != null ? "  (edited)" : "")
                    + (pending ? "  (pending)" : "")
                    + (reactions == null ? "" : "  " + reactions.stream().map(r -> "[" + Safe.line(r.emoji()) + " " + r.count() + "]")
                            .collect(Collectors.joining(" ")));
        }
    }

    /**
     * Its author edited a message ({@code edit CONF MSG TEXT}): {@code text} is the latest text. Every participant
     * hears it, the author too; once per edit that takes effect, in the author's order.
     *
     * @param id the message, {@code AUTHOR-ID:SEQUENCE} as in {@code message}
     * @param sentAt when the message (not the edit) was sent, as in {@code message}
     */
    record MessageEdited(String conference, String title, String id, long sequence, PeerRef from, String text,
                         @JsonProperty("sent-at") String sentAt) implements Event {
        public static final String NAME = "message-edited";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return Times.stamp(Instant.parse(sentAt)) + " [" + Safe.line(title) + "] " + from.label() + " #" + sequence + ": "
                    + Safe.text(text, "    ") + "  (edited)";
        }
    }

    /**
     * Its author deleted a message ({@code delete CONF MSG}): the history keeps its place, without its text, and
     * this peer's store no longer holds the text. Every participant hears it, the author too.
     *
     * @param id the message, {@code AUTHOR-ID:SEQUENCE} as in {@code message}
     */
    record MessageDeleted(String conference, String title, String id, long sequence, PeerRef from, @JsonIgnore boolean own) implements Event {
        public static final String NAME = "message-deleted";

        /** A delete by another peer. */
        public MessageDeleted(String conference, String title, String id, long sequence, PeerRef from) {
            this(conference, title, id, sequence, from, false);
        }

        @Override
        public String type() {
            return NAME;
        }

        /** Nothing for this peer's own delete: the {@code delete} result said it already. */
        @Override
        public String human() {
            return own ? "" : "[" + Safe.line(title) + "] " + from.label() + " deleted #" + sequence;
        }
    }

    /**
     * How many participants reacted to a message with one emoji.
     *
     * @param emoji the emoji
     * @param count how many peers (1 or more)
     */
    record ReactionCount(String emoji, int count) {
    }

    /**
     * A participant reacted to a message with an emoji ({@code added}), or withdrew that reaction.
     *
     * @param id the message reacted to, {@code AUTHOR-ID:SEQUENCE} as in {@code message}
     * @param ref the message as people name it ({@code bob#3}; not in JSON)
     */
    record Reaction(String conference, String title, String id, @JsonIgnore String ref, PeerRef from, String emoji, boolean added,
                    @JsonIgnore boolean own) implements Event {
        public static final String NAME = "reaction";

        /** A reaction of another peer. */
        public Reaction(String conference, String title, String id, String ref, PeerRef from, String emoji, boolean added) {
            this(conference, title, id, ref, from, emoji, added, false);
        }

        @Override
        public String type() {
            return NAME;
        }

        /** Nothing for this peer's own reaction: the {@code react} result said it already. */
        @Override
        public String human() {
            if (own) return "";
            return "[" + Safe.line(title) + "] " + from.label() + (added ? " reacted " + Safe.line(emoji) + " to "
                    : " withdrew " + Safe.line(emoji) + " from ") + Safe.line(ref);
        }
    }

    /**
     * A participant offered a file to a conference ({@code share}): every participant hears it, a late joiner when it
     * catches up, in history order. {@code fetch CONF NAME} fetches it (or {@code fetch CONF REF} if names clash).
     *
     * @param id the offer, {@code AUTHOR-ID:SEQUENCE} (an event in its sharer's sequence)
     * @param fetchAs what {@code fetch CONF} takes for it: its name, or its reference ({@code bob#3}) if another offer
     *                here has the same name (not in JSON)
     * @param sha256 the SHA-256 of the whole file, 64 hex digits
     * @param sharedAt when the sharer offered it, by its clock
     */
    record FileOffered(String conference, String title, String id, @JsonIgnore String fetchAs, String name, long size, String sha256,
                       PeerRef sharer, @JsonProperty("shared-at") String sharedAt) implements Event {
        public static final String NAME = "file-offered";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            String conf = title.isEmpty() ? conference.substring(0, 8) : title;
            return "[" + Safe.line(title) + "] " + sharer.label() + " offers '" + Safe.line(name) + "' (" + FileInfo.bytes(size)
                    + ", sha256 " + sha256.substring(0, FileInfo.SHA_PREFIX) + "): fetch " + Safe.line(FileInfo.word(conf)) + " "
                    + Safe.line(FileInfo.word(fetchAs));
        }
    }

    /**
     * A fetch this peer runs has moved on: bytes verified and written so far of the whole. Written when a fetch starts
     * (with what an earlier fetch kept) and then at most {@link #PER_SECOND} times a second, and once at the end;
     * with {@code --json} only (people see a progress bar on a terminal).
     *
     * @param id the offer, as in {@code file-offered}
     * @param sources how many participants chunks are being fetched from now
     */
    record FileProgress(String conference, String title, String id, String name, long bytesDone, long bytesTotal, int sources)
            implements Event {
        public static final String NAME = "file-progress";
        /** The most {@code file-progress} events per second and fetch. */
        public static final int PER_SECOND = 4;

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return "";
        }
    }

    /**
     * A fetch this peer ran is complete: the file is whole and verified (every chunk against its hash, the whole against
     * {@code sha256}) at {@code path}. The {@code fetch} command's {@code result} follows with the same data.
     *
     * @param id the offer, as in {@code file-offered}
     * @param path where the file was written (absolute)
     * @param sha256 the SHA-256 of what was written, equal to the offer's
     */
    record FileFetched(String conference, String title, String id, String name, String path, String sha256, long size)
            implements Event {
        public static final String NAME = "file-fetched";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return "";
        }
    }

    /**
     * A peer became a participant ({@code accepted}) or a participant came back online ({@code online}), as
     * this participant sees it.
     */
    record ParticipantJoined(String conference, String title, PeerRef peer, String reason) implements Event {
        public static final String NAME = "participant-joined";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return "+ " + peer.label() + " is in '" + Safe.line(title) + "' (" + conference.substring(0, 8) + "): " + Safe.line(reason);
        }
    }

    /**
     * A participant is no longer taking part, or not reachable: {@code offline}, {@code leave},
     * {@code decline}, {@code left} (removed by the organiser).
     */
    record ParticipantLeft(String conference, String title, PeerRef peer, String reason) implements Event {
        public static final String NAME = "participant-left";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return "- " + peer.label() + " is out of '" + Safe.line(title) + "' (" + conference.substring(0, 8) + "): " + Safe.line(reason);
        }
    }

    /** {@code convene demo} finished a step: what it did and what each peer saw. */
    record DemoStep(int step, int of, String title, boolean passed, List<String> details) implements Event {
        public static final String NAME = "demo-step";

        public DemoStep {
            details = List.copyOf(details);
        }

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            String head = "step " + step + "/" + of + ": " + title + (passed ? "" : "  FAILED");
            return details.isEmpty() ? head : head + details.stream().map(d -> "\n  " + d).collect(Collectors.joining());
        }
    }

    /** {@code convene router}: a peer registered with this router. */
    record RouterClientJoined(String group, String name, String address, String from) implements Event {
        public static final String NAME = "router-client-joined";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return "+ " + name + " (" + address + ") joined group '" + group + "' from " + from;
        }
    }

    /** {@code convene router}: a registered peer unregistered or its connection closed. */
    record RouterClientLeft(String group, String name, String address) implements Event {
        public static final String NAME = "router-client-left";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return "- " + name + " (" + address + ") left group '" + group + "'";
        }
    }
}
