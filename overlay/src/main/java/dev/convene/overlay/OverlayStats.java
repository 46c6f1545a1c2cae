package dev.convene.overlay;

import java.util.Map;

/**
 * Counters of one overlay since it started: a snapshot.
 *
 * @param framesSent frames handed to the transport (a multicast to n peers counts n)
 * @param framesReceived frames that arrived, good or bad
 * @param framesDelivered frames verified, decoded and handed to a handler
 * @param drops dropped frames per reason (every reason present, zero or not)
 * @param members members of the current view, this peer included
 * @param receivedByType verified frames received per message type id (dropped or delivered after that)
 */
public record OverlayStats(long framesSent, long framesReceived, long framesDelivered, Map<DropReason, Long> drops,
                           int members, Map<Integer, Long> receivedByType) {
    /**
     * Checks the components.
     *
     * @param framesSent frames handed to the transport (a multicast to n peers counts n)
     * @param framesReceived frames that arrived, good or bad
     * @param framesDelivered frames verified, decoded and handed to a handler
     * @param drops dropped frames per reason (every reason present, zero or not)
     * @param members members of the current view, this peer included
     * @param receivedByType verified frames received per message type id (dropped or delivered after that)
     */
    public OverlayStats {
        drops = Map.copyOf(drops);
        receivedByType = Map.copyOf(receivedByType);
    }

    /**
     * Verified frames of one type received.
     *
     * @param typeId the message type id
     * @return verified frames of one type received
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
