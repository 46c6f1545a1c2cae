package dev.convene.conference.internal;

import static dev.convene.conference.internal.EngineState.RANDOM;

import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Content keys: invitations sealing them, rotations granting them, opening them, reading under them. Engine thread. */
final class Keys {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    private final EngineState s;
    private final Dispatch dispatch;

    Keys(EngineState s, Dispatch dispatch) {
        this.s = s;
        this.dispatch = dispatch;
    }

    /**
     * Invites one peer, sealing to it the keys of every epoch this peer holds without a gap up to the current one
     * (all of them, from epoch 0, at the organiser and at any participant invited with shared history).
     */
    void addInvitation(Conference c, PeerAdvertisement invitee) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        int first = c.currentEpoch;
        while (!c.ctx().historyJoined() && first > 0 && c.keys.containsKey(first - 1)) first--;
        java.io.ByteArrayOutputStream keys = new java.io.ByteArrayOutputStream();
        for (int e = first; e <= c.currentEpoch; e++) keys.writeBytes(c.keys.get(e));
        byte[] sealed = ContentCrypto.seal(keys.toByteArray(), invitee.agreementKey(), sealContext(c.id, invitee.id()));
        Instant now = s.clock.instant();
        Invitation unsigned = new Invitation(c.context, invitee.id(), invitee.signingKey(), invitee.agreementKey(), s.self,
                s.identity.signingKey(), min(c.scheduledEnd(), ConferenceContext.LATEST), nonce, first, c.currentEpoch, sealed, now, new byte[0]);
        Invitation signed = new Invitation(unsigned.context(), unsigned.invitee(), unsigned.inviteeKey(),
                unsigned.inviteeAgreementKey(), s.self, unsigned.inviterKey(), unsigned.expiry(), nonce, first, c.currentEpoch,
                sealed, now, s.identity.sign(Protocol.bytes(Protocol.INVITATION_BODY, unsigned)));
        c.invitations.put(invitee.id(), signed);
        c.nonces.add(signed.nonceHex());
    }

    static byte[] sealContext(ConferenceId id, PeerId invitee) {
        return (id.value() + "|" + invitee.value()).getBytes(StandardCharsets.US_ASCII);
    }

    /** A new content key for {@code epoch}, granted (sealed, signed) to every member but those removed. */
    void rotate(Conference c, int epoch) {
        byte[] key = ContentCrypto.newKey();
        c.keys.put(epoch, key);
        c.ownRotations.put(epoch, key);
        c.currentEpoch = epoch;
        PeerId signer = s.self.equals(c.organiser()) ? null : s.self;
        Map<PeerId, byte[]> recipients = new java.util.LinkedHashMap<>();
        for (PeerId member : c.invitees()) {
            Invitation inv = c.invitations.get(member);
            if (inv == null) continue; // invited by context only and no invitation yet: its invitation will carry the new key
            recipients.put(member, inv.inviteeAgreementKey());
        }
        if (signer != null) {
            // A co-organiser's rotation must reach the organiser too: its agreement key is in its advertisement.
            s.overlay.directory().get(c.organiser()).ifPresent(ad -> recipients.put(c.organiser(), ad.agreementKey()));
        }
        recipients.remove(s.self);
        for (var r : recipients.entrySet()) {
            PeerId member = r.getKey();
            byte[] sealed = ContentCrypto.seal(key, r.getValue(), sealContext(c.id, member));
            KeyGrant g = new KeyGrant(c.id, member, epoch, sealed, signer, new byte[0]);
            c.grants.put(g.slot(), new KeyGrant(c.id, member, epoch, sealed, signer,
                    s.identity.sign(Protocol.bytes(Protocol.GRANT_BODY, g))));
        }
    }

    /**
     * Sets each rotated epoch's key to the one of its effective rotation (this peer's own, or opened from the
     * rotator's grant to this peer); an epoch without such a key keeps what this peer has (from its invitation).
     * Returns the epochs whose key changed (a rotation that lost a conflict replaced by the winner's).
     */
    Set<Integer> refreshKeys(Conference c) {
        Set<Integer> changed = new TreeSet<>();
        int latest = c.latestEpoch();
        for (int e = 1; e <= latest; e++) {
            PeerId rotator = c.rotator(e);
            boolean mine = rotator == null ? s.self.equals(c.organiser()) : rotator.equals(s.self);
            byte[] key = null;
            if (mine) {
                key = c.ownRotations.get(e);
            } else {
                String slot = KeyGrant.slot(s.self, e, rotator);
                KeyGrant g = c.grants.get(slot);
                key = c.openedGrants.get(slot);
                if (key == null && g != null) {
                    try {
                        key = ContentCrypto.open(g.sealedKey(), s.identity.agreementPrivateKey(), sealContext(c.id, s.self));
                        c.openedGrants.put(slot, key);
                    } catch (GeneralSecurityException ex) {
                        log.warn("{}: cannot open the key of epoch {} for {}", s.label(), e, c.id.shortId());
                    }
                }
            }
            if (key == null || java.util.Arrays.equals(key, c.keys.get(e))) continue;
            if (c.keys.containsKey(e)) changed.add(e);
            c.keys.put(e, key);
        }
        for (int e : c.keys.keySet()) c.currentEpoch = Math.max(c.currentEpoch, e);
        return changed;
    }

    void openKey(Conference c, Invitation inv) {
        try {
            byte[] keys = ContentCrypto.open(inv.sealedKey(), s.identity.agreementPrivateKey(), sealContext(c.id, s.self));
            int epochs = inv.keyEpoch() - inv.firstEpoch() + 1;
            if (keys.length != epochs * ContentCrypto.KEY_LENGTH) throw new GeneralSecurityException("sealed keys: " + keys.length + " bytes for " + epochs + " epochs");
            for (int i = 0; i < epochs; i++) {
                c.keys.putIfAbsent(inv.firstEpoch() + i, java.util.Arrays.copyOfRange(keys, i * ContentCrypto.KEY_LENGTH, (i + 1) * ContentCrypto.KEY_LENGTH));
            }
            c.currentEpoch = Math.max(c.currentEpoch, inv.keyEpoch());
        } catch (GeneralSecurityException e) {
            log.warn("{}: cannot open the content key of {} from {}", s.label(), c.id.shortId(), inv.inviter().shortId());
        }
        if (!c.invitationAnnounced) {
            c.invitationAnnounced = true;
            PeerId inviter = inv.inviter();
            Conference cc = c;
            dispatch.fireLater(cc, v -> l -> l.invitation(v, inviter));
        }
    }

    /** The text of a held message under this peer's key for its epoch, or null if it cannot be read. */
    static String read(Conference c, ChatMessage m) {
        byte[] plain = readBytes(c, m);
        return plain == null ? null : new String(plain, StandardCharsets.UTF_8);
    }

    /** The plaintext of a message (chat text or a typed event, {@link TypedEvents}), or null if unreadable here. */
    static byte[] readBytes(Conference c, ChatMessage m) {
        byte[] key = c.keys.get(m.keyEpoch());
        if (key == null) return null;
        try {
            return ContentCrypto.decrypt(key, m.body(), m.aad());
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
