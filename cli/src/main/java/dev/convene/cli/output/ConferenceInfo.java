package dev.convene.cli.output;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.PeerId;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A conference as the CLI reports it in JSON ({@code conferences}, {@code create}, {@code accept}, …): the
 * context, its state and this peer's role, every invitee's answer and the participants. Times are ISO-8601
 * instants, the duration an ISO-8601 duration ({@code PT1H}).
 *
 * @param id the conference id (26 characters; people see the first 8)
 * @param title the title
 * @param agenda the agenda, possibly empty
 * @param organiser who created it
 * @param state {@code scheduled}, {@code live}, {@code ended} or {@code cancelled}
 * @param role this peer's: {@code organiser}, {@code participant}, {@code invited}, {@code declined},
 *     {@code left} or {@code removed}
 * @param start when it goes live
 * @param end when it ends by schedule
 * @param duration how long it lasts
 * @param createdAt when the organiser created it
 * @param version the context's version (grows when the organiser invites more peers)
 * @param participantsMayInvite whether participants may invite too
 * @param invitees everyone invited, with their answers, by name
 * @param participants who takes part now, by name
 * @param coOrganisers the members the organiser made co-organisers, by name
 * @param history {@code shared} (newcomers read the whole history) or {@code joined} (from their admission on)
 */
public record ConferenceInfo(String id, String title, String agenda, PeerRef organiser, String state, String role, String start,
                      String end, String duration, @JsonProperty("created-at") String createdAt, int version,
                      @JsonProperty("participants-may-invite") boolean participantsMayInvite, List<Invitee> invitees,
                      List<PeerRef> participants, @JsonProperty("co-organisers") List<PeerRef> coOrganisers,
                      String history) {

    /**
     * A peer in JSON: its id and display name (never trusted for identity).
     *
     * @param id the full peer id
     * @param name its display name as known here, or its short id if unknown
     */
    public record PeerRef(String id, String name) {
        public static PeerRef of(ConferencePeer peer, PeerId id) {
            return new PeerRef(id.value(), PeerView.name(peer, id));
        }

        /** {@code name (shortid)}, made safe to print. */
        public String label() {
            return Safe.line(name) + " (" + PeerView.shortId(id) + ")";
        }
    }

    /**
     * An invitee and its latest answer.
     *
     * @param answer {@code accept}, {@code decline} or {@code leave}; absent while it has not answered
     * @param reason the reason it gave, if any
     */
    public record Invitee(String id, String name, String answer, String reason) {
    }

    public static ConferenceInfo of(ConferencePeer peer, ConferenceView v) {
        ConferenceContext c = v.context();
        List<Invitee> invitees = v.invitees().stream().map(p -> {
            var reply = v.answerOf(p);
            return new Invitee(p.value(), PeerView.name(peer, p), reply.map(r -> r.answer().label()).orElse(null),
                    reply.map(ConferenceView.Reply::reason).filter(r -> !r.isEmpty()).orElse(null));
        }).sorted(Comparator.comparing(Invitee::name, String.CASE_INSENSITIVE_ORDER).thenComparing(Invitee::id)).toList();
        List<PeerRef> participants = v.participants().stream().map(p -> PeerRef.of(peer, p)).sorted(ConferenceEvents.BY_NAME).toList();
        return new ConferenceInfo(c.id().value(), c.title(), c.agenda(), PeerRef.of(peer, c.organiser()), lower(v.state()),
                lower(v.myRole()), c.start().toString(), c.end().toString(), c.duration().toString(), c.createdAt().toString(),
                c.version(), c.participantsMayInvite(), invitees, participants,
                v.coOrganisers().stream().map(p -> PeerRef.of(peer, p)).sorted(ConferenceEvents.BY_NAME).toList(),
                c.historyJoined() ? "joined" : "shared");
    }

    public static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** {@code 'Design review' (k3j2abcd)}, made safe to print. */
    public static String label(ConferenceView v) {
        return "'" + Safe.line(v.title()) + "' (" + v.id().shortId() + ")";
    }
}
