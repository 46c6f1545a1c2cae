package dev.convene.cli.session;

import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.terminal.Safe;
import dev.convene.overlay.PeerAdvertisement;
import java.util.List;
import java.util.Set;

/**
 * {@code grant CONF PEER} and {@code revoke CONF PEER}: the organiser gives a member the organiser role or takes it
 * back. A co-organiser may invite, remove and end the conference, also while the organiser is away for good.
 */
final class RoleCmd implements SessionCommand {
    private final boolean grant;

    private RoleCmd(boolean grant) {
        this.grant = grant;
    }

    static RoleCmd grant() {
        return new RoleCmd(true);
    }

    static RoleCmd revoke() {
        return new RoleCmd(false);
    }

    @Override
    public String name() {
        return grant ? "grant" : "revoke";
    }

    @Override
    public String synopsis() {
        return name() + " CONF PEER";
    }

    @Override
    public String summary() {
        return grant ? "make a member a co-organiser of a conference you organise (it may invite, remove and end)"
                : "take the co-organiser role back from a member";
    }

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceThenPeer(typed);
    }

    @Override
    public Action parse(List<String> words) {
        Args a = Args.parse(words, synopsis(), Set.of(), Set.of()).expect(2, 2);
        String conf = a.positional(0);
        String who = a.positional(1);
        return session -> {
            ConferencePeer peer = session.conferences();
            ConferenceView v = Lookup.conference(session, conf);
            PeerAdvertisement member = Lookup.peer(session, who);
            ConferenceView after = Lookup.await(grant ? peer.grantOrganiser(v.id(), member.id()) : peer.revokeOrganiser(v.id(), member.id()));
            session.result(name(), ConferenceInfo.of(peer, after), (grant ? "made " : "took the organiser role from ")
                    + Safe.line(member.label()) + (grant ? " a co-organiser of " : " in ") + ConferenceInfo.label(after));
        };
    }
}
