package dev.convene.overlay;

/**
 * Why an incoming frame was dropped. Each drop is counted in {@link OverlayStats}; none is fatal.
 */
public enum DropReason {
    /** Shorter than the smallest frame, or shorter than its declared length. */
    TRUNCATED,
    /** Longer than the frame cap, or a declared body length above the cap. */
    OVERSIZED,
    /** Does not start with the Convene magic: not our frame at all. */
    BAD_MAGIC,
    /** A wire version this peer does not speak. */
    BAD_VERSION,
    /** The declared body length disagrees with the bytes that came (trailing bytes, negative length). */
    BAD_LENGTH,
    /** A type id outside the closed set this peer registered. */
    UNKNOWN_TYPE,
    /** The Ed25519 signature does not verify over the raw bytes. */
    BAD_SIGNATURE,
    /** The signature verifies but the body does not decode (bounds, encoding, trailing bytes). */
    MALFORMED_BODY,
    /** Signed by a key other than the one the sending address is bound to, or an advertisement for another key. */
    SIGNER_MISMATCH,
    /** A well-formed message that the receiving layer refused (invalid content, replay, unauthorised). */
    REJECTED,
    /** A handler threw while processing the message. */
    HANDLER_FAILED,
    /** The sender went over its per-peer frame rate; a flood from one peer cannot stall the others. */
    RATE_LIMITED,
    /**
     * The queue of frames waiting to be handled is over its budget (bytes from this sender, bytes in total, or
     * frames in total): memory stays bounded under any load.
     */
    OVERLOADED,
    /** From a transport address that is not a member of the current view (a made-up or departed source). */
    NOT_MEMBER,
    /**
     * Not authenticated the way its type requires: a signed frame of a type that must carry a pair-key MAC,
     * or a MAC'd frame from a member whose advertisement (and so its key) never arrived.
     */
    UNAUTHENTICATED,
    /** The pair-key MAC does not verify: forged, damaged, or sent in the name of another member's address. */
    BAD_MAC,
    /** Its sequence number was already received from that peer (or is older than the replay window): a replay. */
    REPLAYED,
    /** An advertisement or a request for one beyond the small budget each view member has for them. */
    AD_BUDGET
}
