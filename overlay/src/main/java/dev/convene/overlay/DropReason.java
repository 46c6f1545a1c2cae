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
    /** This peer's queue of frames waiting to be handled is full: memory stays bounded under any load. */
    OVERLOADED
}
