package dev.convene.conference.internal;

import dev.convene.conference.ConferenceStream;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.FileOffer;
import dev.convene.conference.MessageId;
import dev.convene.overlay.PeerId;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunk protocol, {@code convene/files/1} over a {@link ConferenceStream} (docs/PROTOCOL.md §2 "Files"), and
 * its serving side. The fetcher (the opener) writes requests of 45 bytes, {@code op (1) | offer author (32 ASCII)
 * | offer sequence (8) | chunk index (4)}; the holder answers each, in order, with {@code status (1) | length (4)
 * | bytes}: for {@link #HAVE} the bitmap of the chunks it holds, for {@link #HASHES} the chunk hashes, for
 * {@link #CHUNK} the chunk. A request for an offer it does not know or hold, a chunk it has not got, or a
 * requester that is no longer a participant gets {@link #NOT_HELD} and is counted (except {@link #HAVE} about a
 * known offer this peer does not hold: the normal answer to a fetcher looking for sources); a malformed request
 * ends the stream. One handler thread per stream (the stream layer bounds them); no disk work on the event thread.
 */
final class FileServer {
    private static final Logger log = LoggerFactory.getLogger(FileServer.class);
    static final String PROTOCOL = "convene/files/1";
    static final int REQUEST_BYTES = 1 + 32 + 8 + 4;
    static final byte HAVE = 1, HASHES = 2, CHUNK = 3;
    static final byte OK = 0, NOT_HELD = 1;

    private final FileSharing files;

    FileServer(FileSharing files) {
        this.files = files;
    }

    static byte[] request(byte op, MessageId offer, int index) {
        return ByteBuffer.allocate(REQUEST_BYTES).put(op).put(offer.author().value().getBytes(StandardCharsets.US_ASCII))
                .putLong(offer.sequence()).putInt(index).array();
    }

    /** Serves one stream until the fetcher closes it. */
    void serve(ConferenceStream stream) {
        try (stream) {
            InputStream in = stream.input();
            OutputStream out = stream.output();
            while (true) {
                byte[] req = in.readNBytes(REQUEST_BYTES);
                if (req.length == 0) return; // the fetcher is done
                if (req.length < REQUEST_BYTES) throw new EOFException("truncated request");
                ByteBuffer b = ByteBuffer.wrap(req);
                byte op = b.get();
                MessageId id;
                try {
                    id = SocialCodecs.readReference(b);
                } catch (IllegalArgumentException e) {
                    files.requestsRefused.increment();
                    return; // malformed: end the stream
                }
                int index = b.getInt();
                if (op != HAVE && op != HASHES && op != CHUNK) {
                    files.requestsRefused.increment();
                    return;
                }
                byte[] answer = answer(stream, op, id, index);
                if (answer == null) {
                    // "Do you hold it?" about a known offer is how fetchers look for sources: a normal no, not counted.
                    if (op != HAVE || files.offer(stream.conference(), id) == null) files.requestsRefused.increment();
                    out.write(new byte[] {NOT_HELD, 0, 0, 0, 0});
                    continue;
                }
                out.write(ByteBuffer.allocate(5 + answer.length).put(OK).putInt(answer.length).put(answer).array());
                if (op != HAVE) {
                    files.chunksServed.increment();
                    files.bytesServed.add(answer.length);
                }
            }
        } catch (IOException e) {
            log.debug("{}: file stream with {} ended: {}", files.label, stream.peer().shortId(), e.toString());
        }
    }

    /** The answer's bytes, or null if this peer does not hold what is asked (or may not give it). */
    private byte[] answer(ConferenceStream stream, byte op, MessageId id, int index) throws IOException {
        PeerId from = stream.peer();
        ConferenceView view = files.peer.conference(stream.conference()).orElse(null);
        if (view == null || !view.participants().contains(from)) return null;
        FileOffer offer = files.offer(stream.conference(), id);
        if (offer == null) return null;
        if (files.store().complete(offer)) {
            return switch (op) {
                case HAVE -> all(offer);
                case HASHES -> files.store().readManifest(offer);
                default -> index >= 0 && index < offer.chunkCount() ? files.store().readChunk(offer, index) : null;
            };
        }
        Partial p = files.partial(offer);
        if (p == null || p.hashes() == null) return null;
        return switch (op) {
            case HAVE -> p.bitmap();
            case HASHES -> p.hashes();
            default -> index >= 0 && index < offer.chunkCount() && p.has(index) ? p.read(index) : null;
        };
    }

    private static byte[] all(FileOffer offer) {
        BitSet b = new BitSet();
        b.set(0, offer.chunkCount());
        return Arrays.copyOf(b.toByteArray(), (offer.chunkCount() + 7) / 8);
    }
}
