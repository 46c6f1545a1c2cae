package dev.convene.conference.internal;

import dev.convene.overlay.wire.WireFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One author signature over several chat messages posted together (PROTOCOL.md §2, "Batch signatures"): the author
 * signs {@link #TAG} followed by the root of a Merkle tree whose leaves are the messages' signed bodies
 * ({@code SHA-256(0x00 || CHAT_BODY)}; inner nodes {@code SHA-256(0x01 || left || right)}; an odd node at the end
 * of a level is carried up unchanged). Each message keeps its path to the root ({@link ChatMessage#proof()}: per
 * step a side byte, 0 when the sibling is on the right and 1 when it is on the left, and the sibling's 32-byte hash),
 * so it verifies alone, relayed or caught up, exactly as a message signed by itself does. A message signed by itself
 * has an empty path and its signature covers its body, as before batches.
 */
final class BatchSignature {
    /** What the author signs before the root: no other signed structure of the protocol starts with these bytes. */
    static final byte[] TAG = "convene/chat-batch/1".getBytes(StandardCharsets.US_ASCII);
    /** Bytes of one path step: the side byte and the sibling's hash. */
    static final int STEP = 33;
    /** The most messages signed together (a path of at most {@link #MAX_STEPS} steps). */
    static final int MAX_MESSAGES = 64;
    /** The most steps of a path: log2 of {@link #MAX_MESSAGES}. */
    static final int MAX_STEPS = 6;
    /** The most bytes of encoded messages signed together (one frame carries them all). */
    static final int MAX_BYTES = ConferenceEngine.BATCH_BYTES / 2;

    private BatchSignature() {
    }

    /** Messages signed together: what the author signs ({@link #statement}) and each message's path, in order. */
    record Signed(byte[] root, List<byte[]> proofs) {
        Signed {
            if (root.length != 32) throw new IllegalArgumentException("root of " + root.length + " bytes");
            proofs = List.copyOf(proofs);
        }
    }

    /** The leaf of a message: the hash of its signed body. */
    static byte[] leaf(ChatMessage m) {
        byte[] body = Protocol.bytes(Protocol.CHAT_BODY, m);
        MessageDigest d = sha256();
        d.update((byte) 0);
        d.update(body);
        return d.digest();
    }

    private static byte[] node(byte[] left, byte[] right) {
        MessageDigest d = sha256();
        d.update((byte) 1);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    /** The tree over {@code messages} (2 to {@link #MAX_MESSAGES}, unsigned: the proof is not part of a leaf). */
    static Signed build(List<ChatMessage> messages) {
        int n = messages.size();
        if (n < 2 || n > MAX_MESSAGES) throw new IllegalArgumentException(n + " messages in a batch signature");
        List<byte[]> level = new ArrayList<>(n);
        for (ChatMessage m : messages) level.add(leaf(m));
        // Per message: the node it is under at the current level, and its path so far.
        int[] at = new int[n];
        ByteBuffer[] paths = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            at[i] = i;
            paths[i] = ByteBuffer.allocate(MAX_STEPS * STEP);
        }
        while (level.size() > 1) {
            List<byte[]> up = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i < level.size(); i += 2) up.add(i + 1 < level.size() ? node(level.get(i), level.get(i + 1)) : level.get(i));
            for (int k = 0; k < n; k++) {
                int pos = at[k];
                int sibling = pos ^ 1;
                if (sibling < level.size()) {
                    paths[k].put((byte) (pos % 2 == 0 ? 0 : 1)).put(level.get(sibling));
                }
                at[k] = pos / 2;
            }
            level = up;
        }
        List<byte[]> proofs = new ArrayList<>(n);
        for (ByteBuffer p : paths) {
            byte[] out = new byte[p.position()];
            p.flip().get(out);
            proofs.add(out);
        }
        return new Signed(level.get(0), proofs);
    }

    /** The root a message and its path lead to. */
    static byte[] root(ChatMessage m) {
        byte[] h = leaf(m);
        byte[] proof = m.proof();
        for (int off = 0; off < proof.length; off += STEP) {
            MessageDigest d = sha256();
            d.update((byte) 1);
            if (proof[off] == 0) {
                d.update(h);
                d.update(proof, off + 1, STEP - 1);
            } else {
                d.update(proof, off + 1, STEP - 1);
                d.update(h);
            }
            h = d.digest();
        }
        return h;
    }

    /**
     * The statements the messages of {@code ms} are signed under, computed from one tree when {@code ms} is a whole
     * batch as it was signed (2 to {@link #MAX_MESSAGES} batched messages, one signature, in the tree's order): a
     * message whose path equals the path {@link #build} gives its place leads to the tree's root (its root is a
     * function of its leaf and its path alone), so it shares the tree's statement; any other message, and every message
     * of anything else, gets its own ({@link ChatMessage#signedBytes}). About 2n hashes for the batch instead of
     * n(1 + log2 n). The statements are only what the signature is then checked over: nothing is accepted here.
     */
    static List<byte[]> statements(List<ChatMessage> ms) {
        List<byte[]> out = new ArrayList<>(ms.size());
        Signed tree = null;
        if (ms.size() >= 2 && ms.size() <= MAX_MESSAGES) {
            byte[] signature = ms.get(0).signature();
            boolean whole = true;
            for (ChatMessage m : ms) {
                if (!m.batched() || !java.util.Arrays.equals(m.signature(), signature)) {
                    whole = false;
                    break;
                }
            }
            if (whole) tree = build(ms);
        }
        byte[] shared = tree == null ? null : statement(tree.root());
        for (int i = 0; i < ms.size(); i++) {
            ChatMessage m = ms.get(i);
            out.add(shared != null && java.util.Arrays.equals(m.proof(), tree.proofs().get(i)) ? shared : m.signedBytes());
        }
        return out;
    }

    /** What the author signs for a batch with this root. */
    static byte[] statement(byte[] root) {
        byte[] out = java.util.Arrays.copyOf(TAG, TAG.length + root.length);
        System.arraycopy(root, 0, out, TAG.length, root.length);
        return out;
    }

    /** Checks a path read from the wire: whole steps, at most {@link #MAX_STEPS}, side bytes 0 or 1. */
    static byte[] checkProof(byte[] proof) {
        if (proof.length % STEP != 0 || proof.length > MAX_STEPS * STEP) {
            throw new WireFormatException("batch proof of " + proof.length + " bytes (whole steps of " + STEP + ", at most " + MAX_STEPS + ")");
        }
        for (int off = 0; off < proof.length; off += STEP) {
            if (proof[off] != 0 && proof[off] != 1) throw new WireFormatException("batch proof side " + proof[off]);
        }
        return proof;
    }

    /**
     * One SHA-256 per thread: a receiver hashes a leaf, up to {@link #MAX_STEPS} nodes and a cache key per message,
     * and {@code MessageDigest.getInstance} (a provider lookup and a new object each time) cost more than the
     * hashing of these short inputs. Each use starts with a reset and ends with {@code digest()}; no caller computes
     * its input while holding it.
     */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    });

    private static MessageDigest sha256() {
        MessageDigest d = SHA256.get();
        d.reset();
        return d;
    }

    /**
     * Batch signatures that verified here, so that the other messages of a batch cost a hash path each instead of a
     * signature check: bounded ({@link #MAX_REMEMBERED}, the oldest forgotten first), safe from any thread. Keyed by a
     * hash of the author's key, the statement and the signature: a hit means exactly this signature by exactly this
     * key over exactly this root verified before. Failures are never remembered (each costs its sender's budget).
     */
    static final class Verified {
        /** The most batch signatures remembered. */
        static final int MAX_REMEMBERED = 4096;
        private final Set<ByteBuffer> known = ConcurrentHashMap.newKeySet();
        private final Queue<ByteBuffer> order = new ConcurrentLinkedQueue<>();

        static ByteBuffer key(byte[] authorKey, byte[] statement, byte[] signature) {
            MessageDigest d = sha256();
            d.update(authorKey);
            d.update(statement);
            d.update(signature);
            return ByteBuffer.wrap(d.digest());
        }

        boolean contains(ByteBuffer key) {
            return known.contains(key);
        }

        void add(ByteBuffer key) {
            if (!known.add(key)) return;
            order.add(key);
            while (known.size() > MAX_REMEMBERED) {
                ByteBuffer old = order.poll();
                if (old == null) break;
                known.remove(old);
            }
        }

        int size() {
            return known.size();
        }
    }
}
