package dev.convene.conference;

import dev.convene.overlay.PeerId;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * An authenticated, encrypted, flow-controlled byte stream between two participants of one conference, opened
 * with {@link ConferencePeer#openStream} and received by a handler given to {@link ConferencePeer#onStream}.
 * Reads and writes block (never call them on the overlay's event thread); a write waits for credit granted by
 * the other side's reads, so a reader that stops stalls only this stream. Closing the output stream is a
 * half-close: the other side reads to the end, and may still write back. The stream is broken (reads and
 * writes throw a {@link StreamIOException}) when either end stops being a participant, the conference ends,
 * the other peer goes offline, or a frame fails its check.
 */
public interface ConferenceStream extends AutoCloseable {
    /**
     * The conference both ends take part in.
     *
     * @return the conference
     */
    ConferenceId conference();

    /**
     * The other end.
     *
     * @return the other peer
     */
    PeerId peer();

    /**
     * The protocol name the opener asked for.
     *
     * @return the protocol name
     */
    String protocol();

    /**
     * What the other side wrote; -1 once it closed its output.
     *
     * @return the input stream
     */
    InputStream input();

    /**
     * Bytes to the other side; {@code close()} on it is a half-close.
     *
     * @return the output stream
     */
    OutputStream output();

    /** Closes both directions: the output ends cleanly, unread input is dropped and the other side's writes fail. */
    @Override
    void close();
}
