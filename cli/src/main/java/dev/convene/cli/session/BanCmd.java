package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.PeerView;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.conference.ConferencePeer;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.PeerLookupException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ban PEER}, {@code unban PEER} and {@code bans}: this peer's own ban list, kept across restarts.
 * Nothing a banned key sends is accepted or relayed here and nothing it wrote is shown, in any conference (what was
 * stored before the ban is still passed on to peers catching up); other peers decide for
 * themselves. Bans are by key, never by name.
 */
@Command(description = "ban or unban (named by the registry)")
final class BanCmd extends PicocliCommand {
    /**
     * The data of the {@code ban} and {@code unban} results.
     *
     * @param changed false if the peer was already banned ({@code ban}) or not banned ({@code unban})
     */
    record Data(String id, String name, String fingerprint, boolean changed) {
    }

    /** The data of the {@code bans} result. */
    record BansData(int count, List<ConferenceInfo.PeerRef> peers) {
    }

    private enum Kind { BAN, UNBAN }

    private final Kind kind;

    private BanCmd(Kind kind) {
        this.kind = kind;
    }

    static BanCmd ban() {
        return new BanCmd(Kind.BAN);
    }

    static BanCmd unban() {
        return new BanCmd(Kind.UNBAN);
    }

    static PicocliCommand list() {
        return new Bans();
    }

    @Override
    BanCmd fresh() {
        return new BanCmd(kind);
    }

    @Parameters(index = "0", arity = "1", paramLabel = "PEER", description = "a peer: name, id or id prefix")
    private String peerWord;

    /** {@code bans}: the peers this peer banned. */
    @Command(name = "bans", customSynopsis = "bans", description = "list the peers you banned")
    static final class Bans extends PicocliCommand {
        @Override
        Bans fresh() {
            return new Bans();
        }

        @Override
        Action action() {
            return session -> {
                ConferencePeer peer = session.conferences();
                List<ConferenceInfo.PeerRef> banned = peer.bans().stream().sorted(Comparator.naturalOrder())
                        .map(p -> ConferenceInfo.PeerRef.of(peer, p)).toList();
                session.result(name(), new BansData(banned.size(), banned), banned.isEmpty() ? "nobody is banned"
                        : "banned: " + banned.stream().map(ConferenceInfo.PeerRef::label).collect(Collectors.joining(", ")));
            };
        }
    }

    @Override
    public String name() {
        return switch (kind) {
            case BAN -> "ban";
            case UNBAN -> "unban";
        };
    }

    @Override
    public String synopsis() {
        return switch (kind) {
            case BAN -> "ban PEER";
            case UNBAN -> "unban PEER";
        };
    }

    @Override
    public String summary() {
        return switch (kind) {
            case BAN -> "ignore a peer's key everywhere: nothing it sends is accepted or relayed here, nothing it wrote is shown";
            case UNBAN -> "lift a ban";
        };
    }

    @Override
    public Completion completion(List<String> typed) {
        return typed.isEmpty() ? Completion.PEERS : Completion.NOTHING;
    }

    @Override
    Action action() {
        String who = peerWord;
        return session -> {
            ConferencePeer peer = session.conferences();
            PeerId id = resolve(session, who);
            String label = ConferenceInfo.PeerRef.of(peer, id).label();
            String fingerprint = peer.directory().get(id).map(PeerAdvertisement::fingerprint).orElse(null);
            if (kind == Kind.BAN) {
                boolean changed = Lookup.await(peer.ban(id));
                session.result(name(), new Data(id.value(), PeerView.name(peer, id), fingerprint, changed), (changed ? "banned " : "already banned: ")
                        + label + (fingerprint == null ? "" : ", key " + fingerprint)
                        + "; nothing this key sends is accepted or relayed here, nothing it wrote is shown");
            } else {
                boolean changed = Lookup.await(peer.unban(id));
                session.result(name(), new Data(id.value(), PeerView.name(peer, id), fingerprint, changed),
                        (changed ? "unbanned " : "was not banned: ") + label);
            }
        };
    }

    /** A known peer by name, id or prefix; for {@code unban} also a banned peer no longer in the directory. */
    private PeerId resolve(Session session, String who) {
        try {
            return Lookup.resolvePeer(session.overlay().directory(), who).id();
        } catch (PeerLookupException e) {
            if (!e.candidates().isEmpty()) throw CliException.failed(e.getMessage());
            String q = who.strip().toLowerCase(Locale.ROOT);
            List<PeerId> banned = session.conferences().bans().stream().filter(p -> p.value().startsWith(q)).toList();
            if (!q.isEmpty() && banned.size() == 1) return banned.get(0);
            throw CliException.failed(e.getMessage());
        }
    }
}
