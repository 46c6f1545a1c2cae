package dev.convene.overlay;

import java.util.Map;

/**
 * Counters of one overlay since it started: a snapshot.
 *
 * @param framesSent frames queued for the transport (a multicast to n peers counts n); see {@code outboundDropped}
 * @param framesReceived frames that arrived, good or bad
 * @param framesDelivered frames authenticated, decoded and handed to a handler
 * @param drops dropped incoming frames per reason (every reason present, zero or not)
 * @param members members of the current view, this peer included
 * @param receivedByType authenticated frames received per message type id (dropped or delivered after that)
 * @param signatureChecks Ed25519 verifications of incoming frames (advertisements and requests for them only)
 * @param macChecks pair-key MAC verifications of incoming frames
 * @param outboundDropped outgoing frames dropped because their receiver's queue (or all queues) was over budget,
 *     or the transport refused them
 * @param queuedBytes bytes of incoming frames waiting for the event thread now
 */
public record OverlayStats(long framesSent, long framesReceived, long framesDelivered, Map<DropReason, Long> drops,
                           int members, Map<Integer, Long> receivedByType, long signatureChecks, long macChecks,
                           long outboundDropped, long queuedBytes) {
    /**
     * Checks the components.
     *
     * @param framesSent frames handed to the transport (a multicast to n peers counts n)
     * @param framesReceived frames that arrived, good or bad
     * @param framesDelivered frames authenticated, decoded and handed to a handler
     * @param drops dropped frames per reason (every reason present, zero or not)
     * @param members members of the current view, this peer included
     * @param receivedByType authenticated frames received per message type id (dropped or delivered after that)
     * @param signatureChecks Ed25519 verifications of signed overlay frames (hello, advertisement requests)
     * @param macChecks HMAC verifications of authenticated frames
     * @param outboundDropped frames dropped at a full outbound queue
     * @param queuedBytes bytes of incoming frames waiting for the event thread now
     */
    public OverlayStats {
        drops = Map.copyOf(drops);
        receivedByType = Map.copyOf(receivedByType);
    }

    /**
     * The counters of earlier versions, the new ones zero.
     *
     * @param framesSent frames handed to the transport
     * @param framesReceived frames that arrived, good or bad
     * @param framesDelivered frames authenticated, decoded and handed to a handler
     * @param drops dropped frames per reason
     * @param members members of the current view, this peer included
     * @param receivedByType authenticated frames received per message type id
     */
    public OverlayStats(long framesSent, long framesReceived, long framesDelivered, Map<DropReason, Long> drops, int members,
                        Map<Integer, Long> receivedByType) {
        this(framesSent, framesReceived, framesDelivered, drops, members, receivedByType, 0, 0, 0, 0);
    }

    /**
     * Authenticated frames of one type received.
     *
     * @param typeId the message type id
     * @return authenticated frames of one type received
     */
    public long received(int typeId) {
        return receivedByType.getOrDefault(typeId, 0L);
    }

    /**
     * All drops together.
     *
     * @return all drops together
     */
    public long totalDrops() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Drops for one reason.
     *
     * @param reason the reason
     * @return drops for one reason
     */
    public long drops(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }
}
