package dev.convene.cli.output;

import dev.convene.cli.terminal.Safe;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;

/**
 * A peer as the CLI shows it, in JSON and in tables: no raw keys, only what people compare.
 *
 * @param id the full peer id
 * @param name the display name (not unique)
 * @param endpoint where it listens
 * @param fingerprint its signing-key fingerprint
 */
public record PeerView(String id, String name, String endpoint, String fingerprint) {
    public static PeerView of(PeerAdvertisement ad) {
        return new PeerView(ad.id().value(), ad.name(), ad.endpoint(), ad.fingerprint());
    }

    public static String shortId(String id) {
        return id.length() > PeerId.SHORT_LENGTH ? id.substring(0, PeerId.SHORT_LENGTH) : id;
    }

    /** {@code name (shortid)}, the name made safe to print. */
    public String label() {
        return Safe.line(name) + " (" + shortId(id) + ")";
    }

    /**
     * The display name of {@code id} as known to {@code peer}, or its short id; also its short id once the peer is
     * closing (an event told while it stops, e.g. a participant leaving as this peer quits, still prints).
     */
    public static String name(dev.convene.conference.ConferencePeer peer, PeerId id) {
        if (id.equals(peer.self())) return peer.name();
        try {
            return peer.directory().get(id).map(PeerAdvertisement::name).orElse(id.shortId());
        } catch (dev.convene.conference.PeerClosedException e) {
            return id.shortId();
        }
    }
}
