package dev.convene.overlay.wire;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over a range of bytes, with one {@link Mac} per thread. Comparison is constant-time.
 * Thread-safe.
 */
final class FrameMac {
    /** Length of a MAC, in bytes. */
    static final int LENGTH = 32;
    /** A thread's {@link Mac} and the key it was last initialised with. */
    private static final class Keyed {
        final Mac mac;
        byte[] key;

        Keyed(Mac mac) {
            this.mac = mac;
        }
    }

    private static final ThreadLocal<Keyed> MACS = ThreadLocal.withInitial(() -> {
        try {
            return new Keyed(Mac.getInstance("HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    });

    private FrameMac() {
    }

    /** Writes the MAC of {@code data[offset, offset+length)} into {@code out} at {@code outOffset}. */
    static void compute(byte[] key, byte[] data, int offset, int length, byte[] out, int outOffset) {
        byte[] mac = mac(key, data, offset, length);
        System.arraycopy(mac, 0, out, outOffset, LENGTH);
    }

    /** True if {@code expected[at, at+32)} is the MAC of {@code data[offset, offset+length)}. */
    static boolean verify(byte[] key, byte[] data, int offset, int length, byte[] expected, int at) {
        byte[] mac = mac(key, data, offset, length);
        byte[] given = java.util.Arrays.copyOfRange(expected, at, at + LENGTH);
        return MessageDigest.isEqual(mac, given);
    }

    private static byte[] mac(byte[] key, byte[] data, int offset, int length) {
        if (key == null || key.length != LENGTH) throw new IllegalArgumentException("key: expected " + LENGTH + " bytes");
        Keyed k = MACS.get();
        Mac m = k.mac;
        // doFinal leaves the Mac initialised with its key: a thread that uses one key again (a send thread seals for
        // one destination, a receive thread mostly checks one sender) skips the key schedule (two SHA-256 blocks).
        if (k.key == null || !java.util.Arrays.equals(k.key, key)) {
            k.key = null;
            try {
                m.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (java.security.InvalidKeyException e) {
                throw new IllegalArgumentException("key: " + e.getMessage(), e);
            }
            k.key = key.clone();
        }
        try {
            m.update(data, offset, length);
            return m.doFinal();
        } catch (RuntimeException e) {
            k.key = null; // left in an unknown state: initialised again next time
            throw e;
        }
    }
}
