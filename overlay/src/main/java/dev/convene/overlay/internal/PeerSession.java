package dev.convene.overlay.internal;

import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.interfaces.XECPrivateKey;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.jgroups.Address;

/**
 * What this peer shares with one other peer in one pair of sessions (one run of each process): the verified
 * identity at a view member's address, a key per direction, the next sequence number to send and the replay
 * window of what was received. Made when a verified advertisement with a session nonce arrives; replaced when
 * that peer restarts (new nonce, new keys, numbering from 1). Thread-safe.
 *
 * <p>Keys: {@code HKDF-SHA256(ikm = X25519(own static, their static), salt = "convene/frame-key/1",
 * info = senderId | receiverId | senderNonce | receiverNonce)}, one for each direction, so a frame cannot be
 * reflected back to its sender, and a restart of either side gives new keys. Each side sends each member a
 * nonce of its own, so only the process at the member's address learns the nonce it was sent: a session
 * claimed for someone else's address cannot be used, and stays unconfirmed until a frame verifies under it.
 */
final class PeerSession {
    static final int NONCE_LENGTH = 16;
    private static final byte[] SALT = "convene/frame-key/1".getBytes(StandardCharsets.US_ASCII);

    private final PeerId peer;
    private final Address address;
    private final byte[] theirNonce;
    private final byte[] sendKey;
    private final byte[] receiveKey;
    private final AtomicLong lastSent = new AtomicLong();
    /** Set once a frame under this session's receive key verified: the binding is proven, not only claimed. */
    private volatile boolean confirmed;
    private final ReplayWindow window = new ReplayWindow();

    private PeerSession(PeerId peer, Address address, byte[] theirNonce, byte[] sendKey, byte[] receiveKey) {
        this.peer = peer;
        this.address = address;
        this.theirNonce = theirNonce.clone();
        this.sendKey = sendKey;
        this.receiveKey = receiveKey;
    }

    /**
     * Derives the pair's keys.
     *
     * @throws GeneralSecurityException if their agreement key is unusable (e.g. of small order)
     */
    static PeerSession derive(Identity self, byte[] ownNonce, PeerAdvertisement their, byte[] theirNonce, Address address)
            throws GeneralSecurityException {
        if (ownNonce.length != NONCE_LENGTH || theirNonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce: expected " + NONCE_LENGTH + " bytes");
        }
        byte[] shared = agree(self, their.agreementKey());
        byte[] send = hkdf(shared, info(self.id(), their.id(), ownNonce, theirNonce));
        byte[] receive = hkdf(shared, info(their.id(), self.id(), theirNonce, ownNonce));
        java.util.Arrays.fill(shared, (byte) 0);
        return new PeerSession(their.id(), address, theirNonce, send, receive);
    }

    /**
     * X25519 of this peer's private key and {@code theirKey} (raw, 32 bytes), as RFC 7748 defines it: the same
     * secret the JDK's {@code KeyAgreement} gives, computed with Bouncy Castle's implementation, which takes a
     * fraction of the JDK 17 one's time (a peer derives one per member: it was the largest part of forming a
     * group of 100). An all-zero result (their key of small order) is refused, as the JDK refuses it.
     *
     * @throws GeneralSecurityException if their key is of small order or this peer's key has no raw scalar
     */
    static byte[] agree(Identity self, byte[] theirKey) throws GeneralSecurityException {
        if (theirKey.length != X25519.POINT_SIZE) throw new InvalidKeyException("X25519 key: expected 32 bytes");
        if (!(self.agreementPrivateKey() instanceof XECPrivateKey xec)) throw new InvalidKeyException("not an X25519 private key");
        byte[] scalar = xec.getScalar().orElseThrow(() -> new InvalidKeyException("X25519 private key without its scalar"));
        try {
            if (scalar.length != X25519.SCALAR_SIZE) throw new InvalidKeyException("X25519 private key: expected 32 bytes");
            byte[] shared = new byte[X25519.POINT_SIZE];
            if (!X25519.calculateAgreement(scalar, 0, theirKey, 0, shared, 0)) throw new InvalidKeyException("X25519 key of small order");
            return shared;
        } finally {
            java.util.Arrays.fill(scalar, (byte) 0);
        }
    }

    private static byte[] info(PeerId sender, PeerId receiver, byte[] senderNonce, byte[] receiverNonce) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(sender.value().getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(receiver.value().getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(senderNonce);
        b.writeBytes(receiverNonce);
        return b.toByteArray();
    }

    private static byte[] hkdf(byte[] ikm, byte[] info) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
        g.init(new HKDFParameters(ikm, SALT, info));
        byte[] out = new byte[32];
        g.generateBytes(out, 0, out.length);
        return out;
    }

    PeerId peer() {
        return peer;
    }

    Address address() {
        return address;
    }

    /** The nonce the peer sent this one (a copy): echoed in this peer's {@code Hello}s to it. */
    byte[] theirNonce() {
        return theirNonce.clone();
    }

    boolean sameSession(byte[] nonce) {
        return java.security.MessageDigest.isEqual(theirNonce, nonce);
    }

    /** The next sequence number to send (from 1). */
    long nextSequence() {
        return lastSent.incrementAndGet();
    }

    byte[] sendKey() {
        return sendKey;
    }

    byte[] receiveKey() {
        return receiveKey;
    }

    /** Marks the session proven by a verified frame. */
    void confirm() {
        confirmed = true;
    }

    /** True once a frame under this session verified. */
    boolean confirmed() {
        return confirmed;
    }

    /** Records a received sequence number; false for a replay. */
    boolean acceptSequence(long sequence) {
        return window.accept(sequence);
    }
}
