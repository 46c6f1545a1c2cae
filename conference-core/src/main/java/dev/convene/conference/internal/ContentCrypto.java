package dev.convene.conference.internal;

import dev.convene.overlay.Identity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The conference content key and what is done with it, all with the JDK: a random 256-bit AES key per
 * conference, sealed to each invitee with X25519 (an ephemeral sender key, so the sealed box reveals no
 * sender) + HKDF-SHA256 + AES-GCM, and chat bodies encrypted with AES-GCM under it, bound to their
 * conference, author and sequence by the associated data.
 */
final class ContentCrypto {
    static final int KEY_LENGTH = 32;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Cipher.getInstance looks up providers each time, which showed up first in a profile: one per thread. */
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM", e);
        }
    });

    private ContentCrypto() {
    }

    static byte[] newKey() {
        byte[] k = new byte[KEY_LENGTH];
        RANDOM.nextBytes(k);
        return k;
    }

    /** Seals {@code contentKey} (one key, or several concatenated) to the holder of X25519 key {@code recipient}: ephemeral(32) | nonce(12) | ciphertext. */
    static byte[] seal(byte[] contentKey, byte[] recipient, byte[] context) {
        try {
            KeyPair eph = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            byte[] ephRaw = Arrays.copyOfRange(eph.getPublic().getEncoded(), 12, 44);
            byte[] kek = hkdf(agree(eph.getPrivate(), Identity.agreementPublicKey(recipient)), context, ephRaw);
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(context);
            byte[] ct = c.doFinal(contentKey);
            return ByteBuffer.allocate(32 + NONCE + ct.length).put(ephRaw).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing the content key failed", e);
        }
    }

    /**
     * Opens a sealed key (or several keys concatenated) with this peer's X25519 private key; throws if it was
     * not sealed to it or was altered.
     */
    static byte[] open(byte[] sealed, PrivateKey own, byte[] context) throws GeneralSecurityException {
        int keys = sealed.length - 32 - NONCE - TAG_BITS / 8;
        if (keys < KEY_LENGTH || keys % KEY_LENGTH != 0) throw new GeneralSecurityException("sealed key: wrong length");
        byte[] ephRaw = Arrays.copyOfRange(sealed, 0, 32);
        byte[] kek = hkdf(agree(own, Identity.agreementPublicKey(ephRaw)), context, ephRaw);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(TAG_BITS, sealed, 32, NONCE));
        c.updateAAD(context);
        return c.doFinal(sealed, 32 + NONCE, sealed.length - 32 - NONCE);
    }

    /** Encrypts a chat body: nonce(12) | ciphertext+tag. */
    static byte[] encrypt(byte[] key, byte[] plain, byte[] aad) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher c = GCM.get();
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            byte[] ct = c.doFinal(plain);
            return ByteBuffer.allocate(NONCE + ct.length).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    static byte[] decrypt(byte[] key, byte[] box, byte[] aad) throws GeneralSecurityException {
        if (box.length < NONCE + TAG_BITS / 8) throw new GeneralSecurityException("ciphertext too short");
        Cipher c = GCM.get();
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, box, 0, NONCE));
        c.updateAAD(aad);
        return c.doFinal(box, NONCE, box.length - NONCE);
    }

    private static byte[] agree(PrivateKey own, PublicKey other) throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance("X25519");
        ka.init(own);
        ka.doPhase(other, true);
        return ka.generateSecret();
    }

    /** HKDF-SHA256 (RFC 5869), one block: salt = the ephemeral key, info = the context. */
    private static byte[] hkdf(byte[] secret, byte[] info, byte[] salt) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(secret);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update("convene content key v1|".getBytes(StandardCharsets.US_ASCII));
        mac.update(info);
        mac.update((byte) 1);
        return mac.doFinal();
    }
}
