package dev.convene.conference;

import dev.convene.conference.internal.FileNames;
import dev.convene.overlay.PeerId;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file offered to a conference ({@link ConferencePeer#share}): a durable built-in event ({@code convene.file}/1,
 * docs/PROTOCOL.md §2 "Files"), so every participant, a late joiner included, sees the offers in the history's
 * order ({@link ConferencePeer#files}). The content is addressed by hashes: {@link #sha256()} of the whole file and
 * {@link #chunksRoot()}, the SHA-256 of the concatenated SHA-256 hashes of its chunks; a fetcher checks each chunk
 * against its hash before writing it, and the whole at the end. Immutable.
 *
 * @param conference the conference it was offered in
 * @param id the offer's event id: the sharer and its sequence
 * @param sharer the peer that offered it ({@code id.author()})
 * @param name the file's name, without a path: {@link #MAX_NAME_BYTES} bytes of UTF-8 at most, no control, format
 *             or separator characters, none of {@code / \ : * ? " < > |}, not {@code .} or {@code ..}, no leading or
 *             trailing space or trailing dot, not a Windows device name ({@code CON}, {@code NUL.txt}, {@code COM1} ...)
 * @param size the size in bytes: 0 to {@link #MAX_SIZE}
 * @param sha256 the SHA-256 of the whole content, 64 lower-case hex digits
 * @param chunkSize the chunk size, a power of two from {@link #MIN_CHUNK_SIZE} to {@link #MAX_CHUNK_SIZE}; the last
 *                  chunk may be shorter; at most {@link #MAX_CHUNKS} chunks
 * @param chunksRoot the SHA-256 of the chunks' SHA-256 hashes concatenated in order, 64 lower-case hex digits
 * @param sharedAt when the sharer offered it, by its clock
 */
public record FileOffer(ConferenceId conference, MessageId id, PeerId sharer, String name, long size, String sha256,
                        int chunkSize, String chunksRoot, Instant sharedAt) {
    /** The largest file that can be offered: 64 GiB. */
    public static final long MAX_SIZE = 64L << 30;
    /** The most chunks a file may have. */
    public static final int MAX_CHUNKS = 1 << 16;
    /** The smallest chunk size: 16 KiB. */
    public static final int MIN_CHUNK_SIZE = 16 << 10;
    /** The largest chunk size: 4 MiB. */
    public static final int MAX_CHUNK_SIZE = 4 << 20;
    /** The chunk size {@link ConferencePeer#share} uses unless the file needs larger chunks: 256 KiB. */
    public static final int DEFAULT_CHUNK_SIZE = 256 << 10;
    /** The longest name, in bytes of UTF-8. */
    public static final int MAX_NAME_BYTES = 255;
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    /**
     * Validates: a record that breaks a bound never exists, whether made here or decoded from the network.
     *
     * @param conference the conference
     * @param id the event id
     * @param sharer the sharer
     * @param name the name
     * @param size the size
     * @param sha256 the whole file's hash
     * @param chunkSize the chunk size
     * @param chunksRoot the hash of the chunk hashes
     * @param sharedAt when it was offered
     * @throws IllegalArgumentException if a value is out of bounds, the name is not safe, or the sharer is not the
     *     id's author
     * @throws NullPointerException if a part is null
     */
    public FileOffer {
        Objects.requireNonNull(conference, "conference");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sharer, "sharer");
        Objects.requireNonNull(sharedAt, "sharedAt");
        if (!sharer.equals(id.author())) throw new IllegalArgumentException("sharer: not the offer's author");
        FileNames.check(name);
        checkShape(size, chunkSize);
        if (sha256 == null || !HEX.matcher(sha256).matches()) throw new IllegalArgumentException("sha256: (expected: 64 lower-case hex digits)");
        if (chunksRoot == null || !HEX.matcher(chunksRoot).matches()) {
            throw new IllegalArgumentException("chunksRoot: (expected: 64 lower-case hex digits)");
        }
    }

    /**
     * Checks a size and chunk size against the bounds.
     *
     * @param size the file size
     * @param chunkSize the chunk size
     * @throws IllegalArgumentException if either is out of bounds or there would be too many chunks
     */
    public static void checkShape(long size, int chunkSize) {
        if (size < 0 || size > MAX_SIZE) throw new IllegalArgumentException("size: " + size + " (expected: 0-" + MAX_SIZE + ")");
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE || Integer.bitCount(chunkSize) != 1) {
            throw new IllegalArgumentException("chunkSize: " + chunkSize + " (expected: a power of two, " + MIN_CHUNK_SIZE + "-" + MAX_CHUNK_SIZE + ")");
        }
        long chunks = (size + chunkSize - 1) / chunkSize;
        if (chunks > MAX_CHUNKS) throw new IllegalArgumentException("chunks: " + chunks + " (expected: <= " + MAX_CHUNKS + ")");
    }

    /**
     * How many chunks the file has (0 for an empty file).
     *
     * @return the chunk count
     */
    public int chunkCount() {
        return (int) ((size + chunkSize - 1) / chunkSize);
    }

    /**
     * The length of one chunk: {@link #chunkSize()}, or less for the last.
     *
     * @param index the chunk, from 0
     * @return its length in bytes
     * @throws IndexOutOfBoundsException if there is no such chunk
     */
    public int chunkLength(int index) {
        java.util.Objects.checkIndex(index, chunkCount());
        return (int) Math.min(chunkSize, size - (long) index * chunkSize);
    }

    /**
     * The name a local file of this name is offered under: characters unsafe in a file name become {@code _},
     * device names get a {@code _} in front (as {@link ConferencePeer#share} does), so a name typed as it is on disk
     * can be matched to its offer.
     *
     * @param localName a file's name as it is on disk
     * @return the name its offer carries
     */
    public static String offeredName(String localName) {
        return FileNames.sanitise(localName);
    }
}
