package dev.convene.overlay;

import dev.convene.overlay.internal.OverlayMessages;
import dev.convene.overlay.wire.WireBytes;
import dev.convene.overlay.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * A contact card: a peer's advertisement (id, name, public keys) signed by that peer, as one line of text to hand
 * over out of band (a chat message, an e-mail, a QR code). With it, a peer can invite a colleague who has never
 * been online at the same time: {@link Overlay#addContact(String)} makes the card's peer known, offline, and
 * invitations to it are kept until it comes online.
 *
 * <p>The signature proves that the card was made by the holder of the key its id derives from; it does not prove
 * who that is. Compare {@link PeerAdvertisement#fingerprint() fingerprints} out of band, as for any peer.
 *
 * <p>Format: {@code convene-contact-1:} then URL-safe base64 (no padding) of the advertisement's wire encoding
 * followed by a 64-byte Ed25519 signature over {@code "convene-contact-1\n"} and that encoding; at most
 * {@value #MAX_LENGTH} characters.
 */
public final class ContactCard {
    /** The text every card starts with. */
    public static final String PREFIX = "convene-contact-1:";
    /** Longest card accepted, in characters. */
    public static final int MAX_LENGTH = 2048;
    private static final byte[] DOMAIN = "convene-contact-1\n".getBytes(StandardCharsets.US_ASCII);
    private static final String ENDPOINT = "contact card";

    private ContactCard() {
    }

    /**
     * Makes the card of an identity, for instance before its peer ever starts.
     *
     * @param identity the peer's keys
     * @param name its display name
     * @param issuedAt when the card is made
     * @return the card's text
     */
    public static String create(Identity identity, String name, Instant issuedAt) {
        PeerAdvertisement ad = new PeerAdvertisement(identity.id(), name, identity.signingKey(), identity.agreementKey(), ENDPOINT,
                Set.of("overlay/1"), issuedAt);
        byte[] body = WireBytes.encode(OverlayMessages.ADVERTISEMENT.codec(), ad, MAX_LENGTH);
        byte[] sig = identity.sign(signed(body));
        byte[] all = Arrays.copyOf(body, body.length + sig.length);
        System.arraycopy(sig, 0, all, body.length, sig.length);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(all);
    }

    /**
     * Reads and verifies a card.
     *
     * @param text the card, surrounding white space ignored
     * @return the advertisement it carries, signed by its own key
     * @throws IllegalArgumentException if it is not a card, too long, malformed, or its signature does not verify
     */
    public static PeerAdvertisement parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.length() > MAX_LENGTH) throw new IllegalArgumentException("contact card: " + t.length() + " characters (expected: <= " + MAX_LENGTH + ")");
        if (!t.startsWith(PREFIX)) throw new IllegalArgumentException("contact card: does not start with " + PREFIX);
        byte[] all;
        try {
            all = Base64.getUrlDecoder().decode(t.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("contact card: not base64", e);
        }
        if (all.length <= Identity.SIGNATURE_LENGTH) throw new IllegalArgumentException("contact card: truncated");
        byte[] body = Arrays.copyOf(all, all.length - Identity.SIGNATURE_LENGTH);
        byte[] sig = Arrays.copyOfRange(all, body.length, all.length);
        PeerAdvertisement ad;
        try {
            ad = WireBytes.decode(OverlayMessages.ADVERTISEMENT.codec(), body);
        } catch (WireFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException("contact card: malformed advertisement", e);
        }
        if (!Identity.verify(ad.signingKey(), signed(body), sig)) {
            throw new IllegalArgumentException("contact card: the signature does not verify");
        }
        return ad;
    }

    private static byte[] signed(byte[] body) {
        byte[] b = Arrays.copyOf(DOMAIN, DOMAIN.length + body.length);
        System.arraycopy(body, 0, b, DOMAIN.length, body.length);
        return b;
    }
}
