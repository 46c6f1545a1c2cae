package dev.convene.cli.session;

import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * What an organiser does to one member of a conference, {@code COMMAND CONF PEER}:
 * <ul>
 *   <li>{@code remove}: takes the member out. The conference key is rotated and given to everyone else, so
 *       the removed peer reads nothing said afterwards.</li>
 *   <li>{@code grant} and {@code revoke}: gives a member the organiser role or takes it back. A co-organiser
 *       may invite, remove and end the conference, also while the organiser is away for good.</li>
 * </ul>
 */
@Command(description = "remove, grant or revoke (named by the registry)")
final class MemberCmd extends PicocliCommand {
    @Override
    MemberCmd fresh() {
        return new MemberCmd(name, summary, operation, done);
    }

    /** The conference peer's operation on the member. */
    @FunctionalInterface
    private interface Operation {
        CompletableFuture<ConferenceView> apply(ConferencePeer peer, ConferenceId conference, PeerId member);
    }

    /** The result's human text: what was done to {@code member}, given the conference as it is after. */
    @FunctionalInterface
    private interface Done {
        String say(String member, String conference);
    }

    private final String name;
    private final String summary;
    private final Operation operation;
    private final Done done;

    private MemberCmd(String name, String summary, Operation operation, Done done) {
        this.name = name;
        this.summary = summary;
        this.operation = operation;
        this.done = done;
    }

    static MemberCmd remove() {
        return new MemberCmd("remove", "take a member out of a conference you organise (it reads nothing said afterwards)",
                ConferencePeer::remove,
                (member, conf) -> "removed " + member + " from " + conf + "; the conference key changed, so it reads nothing said from now on");
    }

    static MemberCmd grant() {
        return new MemberCmd("grant", "make a member a co-organiser of a conference you organise (it may invite, remove, reschedule and end)",
                ConferencePeer::grantOrganiser, (member, conf) -> "made " + member + " a co-organiser of " + conf);
    }

    static MemberCmd revoke() {
        return new MemberCmd("revoke", "take the co-organiser role back from a member", ConferencePeer::revokeOrganiser,
                (member, conf) -> "took the organiser role from " + member + " in " + conf);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String synopsis() {
        return name + " CONF PEER";
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceThenPeer(typed);
    }

    @Parameters(index = "0", arity = "1", paramLabel = "CONF", description = "a conference: title, id or id prefix")
    private String conf;

    @Parameters(index = "1", arity = "1", paramLabel = "PEER", description = "a member: name, id or id prefix")
    private String member;

    @Override
    Action action() {
        String conf = this.conf;
        String who = this.member;
        return session -> {
            ConferencePeer peer = session.conferences();
            ConferenceView v = Lookup.conference(session, conf);
            PeerAdvertisement member = Lookup.peer(session, who);
            ConferenceView after = Lookup.await(operation.apply(peer, v.id(), member.id()));
            session.result(name, ConferenceInfo.of(peer, after), done.say(Safe.line(member.label()), ConferenceInfo.label(after)));
        };
    }
}
