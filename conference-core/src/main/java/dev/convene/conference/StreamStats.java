package dev.convene.conference;

/**
 * Stream counters since start.
 *
 * @param opened streams this peer opened that the other side accepted
 * @param accepted streams other peers opened here that were accepted
 * @param refusedNotParticipant opens refused here because the opener or this peer is not a participant (a removed peer included)
 * @param refusedOther opens refused here for another reason (no handler, too many streams)
 * @param framesRejected frames refused: failed decryption, out of order or replayed, beyond the credit granted, or malformed
 * @param brokenByMembership streams broken because an end stopped being a participant or the conference ended
 * @param open streams open now
 */
public record StreamStats(long opened, long accepted, long refusedNotParticipant, long refusedOther, long framesRejected,
                          long brokenByMembership, int open) {
    /**
     * Checks the counters.
     *
     * @param opened streams this peer opened that the other side accepted
     * @param accepted streams other peers opened here that were accepted
     * @param refusedNotParticipant opens refused here because the opener or this peer is not a participant
     * @param refusedOther opens refused here for another reason
     * @param framesRejected frames refused
     * @param brokenByMembership streams broken by removal or the end
     * @param open streams open now
     */
    public StreamStats {
        if (opened < 0 || accepted < 0 || refusedNotParticipant < 0 || refusedOther < 0 || framesRejected < 0
                || brokenByMembership < 0 || open < 0) throw new IllegalArgumentException("negative counter");
    }
}
