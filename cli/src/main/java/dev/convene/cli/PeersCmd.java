package dev.convene.cli;

import dev.convene.overlay.PeerAdvertisement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code peers}: the other peers online now, from the directory of verified advertisements. */
final class PeersCmd implements SessionCommand {
    /** The data of the {@code peers} result. */
    record Data(int count, List<PeerView> peers) {
    }

    @Override
    public String name() {
        return "peers";
    }

    @Override
    public String synopsis() {
        return "peers";
    }

    @Override
    public String summary() {
        return "list the other peers online, with id, address and key fingerprint";
    }

    @Override
    public Action parse(List<String> args) {
        Args.parse(args, synopsis(), Set.of(), Set.of()).expect(0, 0);
        return session -> {
            List<PeerView> peers = session.overlay().directory().online().stream().map(PeerView::of).toList();
            session.result(name(), new Data(peers.size(), peers), human(peers));
        };
    }

    static String human(List<PeerView> peers) {
        if (peers.isEmpty()) return "no other peers online";
        int width = peers.stream().mapToInt(p -> p.name().length()).max().orElse(0);
        return peers.size() + (peers.size() == 1 ? " peer" : " peers") + " online:" + peers.stream()
                .map(p -> String.format("%n  %-" + width + "s  %s  %s  key %s", p.name(), PeerView.shortId(p.id()),
                        p.endpoint(), p.fingerprint()))
                .collect(Collectors.joining());
    }

    /** {@code name (shortid), …} for one-line messages. */
    static String labels(List<PeerAdvertisement> peers) {
        return peers.isEmpty() ? "none" : peers.stream().map(PeerAdvertisement::label).collect(Collectors.joining(", "));
    }
}
