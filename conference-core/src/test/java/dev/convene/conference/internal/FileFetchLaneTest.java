package dev.convene.conference.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.ConferenceId;
import dev.convene.conference.FileOffer;
import dev.convene.conference.MessageId;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One fetch lane against fake streams (FileFetch.pumpLane): what it claims is released whatever way it ends. The
 * race FileTransferIT once hit (199 of 200 chunks: the holder left between a lane's claim and its requests' write,
 * the chunks claimed but not yet written stayed in flight for ever) set up deterministically: a write that fails.
 */
class FileFetchLaneTest {
    @TempDir
    Path home;

    private final Identity sharer = Identity.generate();
    private final FileOffer offer = new FileOffer(new ConferenceId("a".repeat(26)), new MessageId(sharer.id(), 1), sharer.id(), "x",
            8L * FileOffer.MIN_CHUNK_SIZE, "0".repeat(64), FileOffer.MIN_CHUNK_SIZE, "0".repeat(64), Instant.EPOCH);

    /** Accepts {@code ok} writes, then fails every write as a stream whose peer left does. */
    private static final class FailingOutput extends OutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        int ok;

        FailingOutput(int ok) {
            this.ok = ok;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (ok-- <= 0) throw new IOException("stream closed: the holder left");
            written.write(b, off, len);
        }
    }

    private static BitSet all(int n) {
        BitSet b = new BitSet();
        b.set(0, n);
        return b;
    }

    @Test
    void aWriteThatFailsReleasesEveryChunkTheLaneClaimed() throws IOException {
        FileSharing files = new FileSharing(home, "t", List.of(), Duration.ofSeconds(5));
        FileFetch fetch = new FileFetch(files, offer, home, null, Duration.ofSeconds(5).toNanos());
        PeerId holder = Identity.generate().id();
        try (Partial partial = Partial.open(files.store(), offer)) {
            for (int okWrites = 0; okWrites < FileFetch.WINDOW; okWrites++) {
                FailingOutput out = new FailingOutput(okWrites);
                assertThatThrownBy(() -> fetch.pumpLane(partial, holder, InputStream.nullInputStream(), out, all(8)))
                        .isInstanceOf(IOException.class);
                assertThat(out.written.size()).as("requests written before the failure").isEqualTo(okWrites * FileServer.REQUEST_BYTES);
                // Before the fix only the chunks whose request was written were released; the others stayed in flight.
                assertThat(fetch.inFlight().toString()).as("in flight after a lane whose write %d failed", okWrites + 1).isEqualTo("{}");
            }

            // Another lane (a source still there) then asks for the very chunks the failed lane had claimed.
            ByteArrayOutputStream asked = new ByteArrayOutputStream();
            byte[] notHeld = {FileServer.NOT_HELD, 0, 0, 0, 0};
            assertThat(fetch.pumpLane(partial, holder, new ByteArrayInputStream(notHeld), asked, all(8))).isEqualTo(-1);
            byte[] requests = asked.toByteArray();
            assertThat(requests).hasSize(FileFetch.WINDOW * FileServer.REQUEST_BYTES);
            for (int i = 0; i < FileFetch.WINDOW; i++) {
                byte[] one = Arrays.copyOfRange(requests, i * FileServer.REQUEST_BYTES, (i + 1) * FileServer.REQUEST_BYTES);
                assertThat(one).isEqualTo(FileServer.request(FileServer.CHUNK, offer.id(), i));
            }
            assertThat(fetch.inFlight().toString()).isEqualTo("{}");
        } finally {
            files.close();
        }
    }
}
