package dev.convene.cli.session;

import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.PeerAdvertisement;
import java.util.List;
import java.util.Set;

/**
 * {@code remove CONF PEER}: the organiser takes a member out of a conference. The conference key is
 * rotated and given to everyone else, so the removed peer reads nothing said afterwards.
 */
final class RemoveCmd implements SessionCommand {
    @Override
    public String name() {
        return "remove";
    }

    @Override
    public String synopsis() {
        return "remove CONF PEER";
    }

    @Override
    public String summary() {
        return "take a member out of a conference you organise (it reads nothing said afterwards)";
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
            ConferenceView after = Lookup.await(peer.remove(v.id(), member.id()));
            session.result(name(), ConferenceInfo.of(peer, after), "removed " + Safe.line(member.label()) + " from "
                    + ConferenceInfo.label(after) + "; the conference key changed, so it reads nothing said from now on");
        };
    }
}
