package dev.convene.cli.session;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.convene.cli.output.PeerView;
import dev.convene.cli.terminal.Safe;
import dev.convene.overlay.Directory;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * {@code peers}: the other peers online now, from the directory of verified advertisements, each with its
 * key fingerprint. A name that more than one key has used (among every advertisement this peer ever
 * verified, its own included) is flagged: a name chosen twice, a peer that came back with a new identity,
 * or an impostor. Names are never identity; fingerprints, compared out of band, are.
 */
@Command(name = "peers", customSynopsis = "peers", description = "list the other peers online, with id, address and key fingerprint; flag names used by several keys")
public final class PeersCmd extends PicocliCommand {
    @Override
    PeersCmd fresh() {
        return new PeersCmd();
    }

    /** The data of the {@code peers} result. */
    public record Data(int count, List<Row> peers) {
    }

    /**
     * One online peer.
     *
     * @param nameSharedWith the other keys known under the same name (ignoring case); absent if none
     */
    record Row(String id, String name, String endpoint, String fingerprint, @JsonProperty("name-shared-with") List<Other> nameSharedWith) {
    }

    /**
     * Another key that uses a peer's name.
     *
     * @param you true if it is this peer's own key
     */
    record Other(String id, String fingerprint, boolean online, boolean you) {
    }

    @Override
    Action action() {
        return session -> {
            List<Row> rows = rows(session.overlay().directory(), session.overlay().self());
            session.result(name(), new Data(rows.size(), rows), human(rows));
        };
    }

    static List<Row> rows(Directory directory, PeerId self) {
        List<PeerAdvertisement> known = directory.known();
        return directory.online().stream().map(ad -> {
            List<Other> others = known.stream().filter(k -> k.name().equalsIgnoreCase(ad.name()) && !k.id().equals(ad.id()))
                    .map(k -> new Other(k.id().value(), k.fingerprint(), directory.isOnline(k.id()), k.id().equals(self))).toList();
            return new Row(ad.id().value(), ad.name(), ad.endpoint(), ad.fingerprint(), others.isEmpty() ? null : others);
        }).toList();
    }

    static String human(List<Row> peers) {
        if (peers.isEmpty()) return "no other peers online";
        int width = peers.stream().mapToInt(p -> Safe.line(p.name()).length()).max().orElse(0);
        return peers.size() + (peers.size() == 1 ? " peer" : " peers") + " online:" + peers.stream()
                .map(p -> String.format("%n  %-" + width + "s  %s  %s  key %s%s", Safe.line(p.name()), PeerView.shortId(p.id()),
                        Safe.line(p.endpoint()), p.fingerprint(), warning(p)))
                .collect(Collectors.joining());
    }

    private static String warning(Row p) {
        if (p.nameSharedWith() == null) return "";
        return "  ! name also used by " + p.nameSharedWith().stream()
                .map(o -> (o.you() ? "you" : PeerView.shortId(o.id()) + (o.online() ? "" : " (offline)")) + " key " + o.fingerprint())
                .collect(Collectors.joining(", ")) + "; compare fingerprints out of band";
    }

    /** {@code name (shortid), …} for one-line messages. */
    public static String labels(List<PeerAdvertisement> peers) {
        return peers.isEmpty() ? "none" : peers.stream().map(PeerAdvertisement::label).collect(Collectors.joining(", "));
    }
}
