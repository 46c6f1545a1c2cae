package dev.convene.conference;

/**
 * Typed events received since this peer started: what was delivered and what was refused (docs/EVENTS.md).
 * A snapshot; counters only grow. Durable events from a peer that is not a participant are refused before they
 * are decrypted, with chat, and counted there (the overlay's rejected frames), not here.
 *
 * @param delivered events of a registered type delivered to listeners (durable and ephemeral, own included)
 * @param unknownType durable events of a type not registered here: stored and relayed, not delivered
 * @param oversized events whose value is larger than their type allows: not delivered
 * @param malformed events whose header did not parse or whose codec threw: not delivered
 * @param ephemeralRefused ephemeral events refused: from a peer that is not a current participant, for a
 *                         conference this peer is not in, undecryptable, or of a type not registered or not ephemeral
 * @param ephemeralRateLimited ephemeral events dropped because their sender exceeded its type's rate
 * @param durableRateLimited durable events not delivered because their author had more of their type within the
 *                           second before (by the events' own timestamps, so every peer decides alike), own included
 */
public record EventStats(long delivered, long unknownType, long oversized, long malformed, long ephemeralRefused,
                         long ephemeralRateLimited, long durableRateLimited) {
    /**
     * Counters without durable rate limiting (as before it existed).
     *
     * @param delivered events delivered
     * @param unknownType durable events of a type not registered here
     * @param oversized events larger than their type allows
     * @param malformed events that did not parse or decode
     * @param ephemeralRefused ephemeral events refused
     * @param ephemeralRateLimited ephemeral events over their sender's rate
     */
    public EventStats(long delivered, long unknownType, long oversized, long malformed, long ephemeralRefused, long ephemeralRateLimited) {
        this(delivered, unknownType, oversized, malformed, ephemeralRefused, ephemeralRateLimited, 0);
    }
}
