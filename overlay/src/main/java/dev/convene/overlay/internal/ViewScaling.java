package dev.convene.overlay.internal;

import org.jgroups.JChannel;
import org.jgroups.protocols.MERGE3;

/**
 * Stretches MERGE3's announcement interval with the view. Each member announces its view every
 * {@code min_interval}-{@code max_interval} to every other member (over TCP, as a discovery round whose every
 * answer is sent an INFO message), so a group of n costs n^2 messages per interval: at 100 TCP peers in one JVM that
 * traffic outgrew everything else. Above {@link #FROM} members both bounds grow in proportion to the view (twice as
 * long at 2 x {@link #FROM}), so the group's merge traffic grows linearly, and a split group of that size takes
 * proportionally longer to notice it should merge. Up to {@link #FROM} members the configured timings apply as they
 * are. JGroups reads the bounds each time it schedules the next announcement, so a change takes effect from the next
 * one. Event thread only.
 */
final class ViewScaling {
    /** Views up to this size keep the configured merge timings. */
    static final int FROM = 20;

    private final MERGE3 merge;
    private final long baseMin;
    private final long baseMax;
    private int applied = -1;

    private ViewScaling(MERGE3 merge) {
        this.merge = merge;
        this.baseMin = merge == null ? 0 : merge.getMinInterval();
        this.baseMax = merge == null ? 0 : merge.getMaxInterval();
    }

    /** For the channel's stack as built (a stack customised without MERGE3 is left alone). */
    static ViewScaling of(JChannel channel) {
        return new ViewScaling(channel.getProtocolStack().findProtocol(MERGE3.class));
    }

    /** The factor for a view of {@code size}: 1 up to {@link #FROM}, then {@code size / FROM}. */
    static double factor(int size) {
        return Math.max(1.0, size / (double) FROM);
    }

    /** Sets the merge interval for a view of {@code size}. */
    void apply(int size) {
        if (merge == null) return;
        int effective = Math.max(size, FROM);
        if (effective == applied) return;
        applied = effective;
        double f = factor(size);
        long max = Math.round(baseMax * f);
        // The minimum first: MERGE3 checks the values it holds (valid) before taking the new one, and a maximum set
        // first below the old minimum would fail that check.
        merge.setMinInterval(Math.min(Math.round(baseMin * f), max - 1));
        merge.setMaxInterval(max);
    }

    long minInterval() {
        return merge == null ? 0 : merge.getMinInterval();
    }

    long maxInterval() {
        return merge == null ? 0 : merge.getMaxInterval();
    }
}
