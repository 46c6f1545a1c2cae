package dev.convene.cli.session;

import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.PeerAdvertisement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code invite CONF PEER…}: invites more peers to a scheduled or live conference (the organiser; its
 * participants too when it was created with {@code --participants-may-invite}). Offline peers get the
 * invitation when they come online.
 */
final class InviteCmd implements SessionCommand {
    @Override
    public String name() {
        return "invite";
    }

    @Override
    public String synopsis() {
        return "invite CONF PEER...";
    }

    @Override
    public String summary() {
        return "invite more peers (a name, id or id prefix each) to a conference";
    }

    @Override
    public Completion completion(List<String> typed) {
        return typed.isEmpty() ? Completion.CONFERENCES : Completion.PEERS;
    }

    @Override
    public Action parse(List<String> words) {
        Args a = Args.parse(words, synopsis(), Set.of(), Set.of()).expect(2, Integer.MAX_VALUE);
        String conf = a.positional(0);
        List<String> peers = a.positionals().subList(1, a.positionals().size());
        return session -> {
            ConferencePeer peer = session.conferences();
            ConferenceView v = Lookup.conference(session, conf);
            List<PeerAdvertisement> invitees = peers.stream().map(p -> Lookup.peer(session, p)).distinct().toList();
            ConferenceView after = Lookup.await(peer.invite(v.id(), invitees.stream().map(PeerAdvertisement::id).toList()));
            session.result(name(), ConferenceInfo.of(peer, after), "invited "
                    + invitees.stream().map(p -> Safe.line(p.label())).collect(Collectors.joining(", ")) + " to " + ConferenceInfo.label(after));
        };
    }
}
