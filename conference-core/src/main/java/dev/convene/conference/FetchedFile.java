package dev.convene.conference;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file fetched whole and verified ({@link ConferencePeer#fetch}): every chunk matched its hash, and the whole
 * file matches the offer's SHA-256.
 *
 * @param offer the offer fetched
 * @param path where the file was written: in the directory asked for, under the offer's name (or that name with
 *             {@code " (N)"} before its extension if another file had it)
 * @param sha256 the SHA-256 of what was written, 64 lower-case hex digits (equal to {@code offer.sha256()})
 * @param size its size in bytes
 */
public record FetchedFile(FileOffer offer, Path path, String sha256, long size) {
    /**
     * Validates.
     *
     * @param offer the offer
     * @param path the file written
     * @param sha256 its hash
     * @param size its size
     * @throws IllegalArgumentException if the hash or size differ from the offer's
     * @throws NullPointerException if a part is null
     */
    public FetchedFile {
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(path, "path");
        if (!offer.sha256().equals(sha256) || offer.size() != size) throw new IllegalArgumentException("fetched file differs from its offer");
    }
}
