package dev.convene.cli.session;

import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.PeerAdvertisement;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code invite CONF PEER…}: invites more peers to a scheduled or live conference (the organiser; its
 * participants too when it was created with {@code --participants-may-invite}). Offline peers get the
 * invitation when they come online.
 */
@Command(name = "invite", customSynopsis = "invite CONF PEER...", description = "invite more peers (a name, id or id prefix each) to a conference")
final class InviteCmd extends PicocliCommand {
    @Override
    InviteCmd fresh() {
        return new InviteCmd();
    }

    @Override
    public Completion completion(List<String> typed) {
        return typed.isEmpty() ? Completion.CONFERENCES : Completion.PEERS;
    }

    @Parameters(index = "0", arity = "1", paramLabel = "CONF", description = "a conference: title, id or id prefix")
    private String conf;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PEER", description = "a peer: name, id or id prefix")
    private List<String> invited;

    @Override
    Action action() {
        String conf = this.conf;
        List<String> peers = List.copyOf(invited);
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
