package dev.convene.conference;

import java.util.Objects;

/**
 * How far a fetch is ({@link ConferencePeer#fetch}): told once when the fetch starts (with what a resumed fetch
 * already had; the whole size if this peer held the file already), after each verified chunk, and when a source
 * stops being used.
 *
 * @param offer the offer being fetched
 * @param bytesDone bytes verified and written so far, 0 to {@code bytesTotal}
 * @param bytesTotal the file's size
 * @param sources how many participants chunks are being fetched from now
 */
public record FileProgress(FileOffer offer, long bytesDone, long bytesTotal, int sources) {
    /**
     * Validates.
     *
     * @param offer the offer
     * @param bytesDone bytes done
     * @param bytesTotal bytes in all
     * @param sources sources now
     * @throws IllegalArgumentException if a count is out of bounds
     * @throws NullPointerException if the offer is null
     */
    public FileProgress {
        Objects.requireNonNull(offer, "offer");
        if (bytesTotal != offer.size() || bytesDone < 0 || bytesDone > bytesTotal || sources < 0) {
            throw new IllegalArgumentException("progress: " + bytesDone + "/" + bytesTotal + " from " + sources + " (expected: 0 <= done <= size)");
        }
    }
}
