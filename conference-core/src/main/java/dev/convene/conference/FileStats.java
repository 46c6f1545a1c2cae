package dev.convene.conference;

/**
 * File sharing counters since this peer started (docs/PROTOCOL.md §2 "Files", docs/SECURITY.md). A snapshot;
 * counters only grow, except {@code activeFetches}.
 *
 * @param shared offers this peer published
 * @param offersRefused offers received that were not kept: an unsafe name, a size or chunk count out of bounds,
 *                      a malformed value (the event itself is stored and relayed, as any event)
 * @param chunksServed chunks (and chunk hash lists) this peer sent to fetchers
 * @param bytesServed bytes of those
 * @param requestsRefused requests this peer refused: an offer it does not hold (or does not know), a chunk it has
 *                        not got, a malformed request
 * @param chunksFetched chunks fetched, verified and written
 * @param bytesFetched bytes of those
 * @param chunksRejected chunks (or chunk hash lists) received that did not match their hash: not written, the
 *                       source dropped for that fetch
 * @param fetchesCompleted fetches that ended with a verified file
 * @param fetchesFailed fetches that failed (their verified chunks are kept for a later fetch)
 * @param activeFetches fetches running now
 * @param fetchesCancelled fetches stopped by cancelling their future (their verified chunks are kept for a later
 *                         fetch); not counted in {@code fetchesFailed}
 */
public record FileStats(long shared, long offersRefused, long chunksServed, long bytesServed, long requestsRefused,
                        long chunksFetched, long bytesFetched, long chunksRejected, long fetchesCompleted, long fetchesFailed,
                        int activeFetches, long fetchesCancelled) {
}
