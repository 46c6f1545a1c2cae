package dev.convene.bench;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.FrameCodec;

/**
 * The bench's chat messages, and the size of the frame Convene sends for one, so the raw baseline can send
 * a message of the same size.
 */
final class ChatText {
    /** Bytes of text per chat message: a typical chat line. */
    static final int TEXT_BYTES = 100;
    /** The size of the frame carrying one bench chat message (ids have a fixed length). */
    static final int FRAME_BYTES = frameBytes(ConferenceId.random(), dev.convene.overlay.Identity.generate().id());

    private ChatText() {
    }

    /** Message {@code m}: {@link #TEXT_BYTES} ASCII bytes, unique per number. */
    static String of(int m) {
        StringBuilder b = new StringBuilder(TEXT_BYTES).append("bench message ").append(m).append(' ');
        while (b.length() < TEXT_BYTES) b.append('x');
        return b.toString();
    }

    /**
     * The length of the frame that carries one chat message, from the frame layout ({@link FrameCodec}: header,
     * signer and signature around the body) and the chat body (conference id, author id, sequence, timestamp,
     * key epoch, nonce + AES-GCM ciphertext + tag, author signature). Within a few bytes: varints vary.
     */
    static int frameBytes(ConferenceId conference, PeerId author) {
        int body = 2 // Kryo's registration id
                + 1 + conference.value().length()
                + 1 + author.value().length()
                + 2 // sequence
                + 6 + 1 // timestamp: wall millis, counter
                + 1 // key epoch
                + 2 + 12 + TEXT_BYTES + 16 // nonce, ciphertext, tag
                + 1 + 64; // author signature
        return FrameCodec.OVERHEAD + body;
    }
}
