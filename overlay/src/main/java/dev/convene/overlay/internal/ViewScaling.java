package dev.convene.overlay.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jgroups.JChannel;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.pbcast.NAKACK2;

/**
 * Stretches MERGE3's announcement interval with the view. Each member announces its view every
 * {@code min_interval}-{@code max_interval} to every other member (over TCP, as a discovery round whose every
 * answer is sent an INFO message), so a group of n costs n^2 messages per interval: at 100 TCP peers in one JVM that
 * traffic outgrew everything else. Above {@link #FROM} members both bounds grow in proportion to the view (twice as
 * long at 2 x {@link #FROM}), so the group's merge traffic grows linearly, and a split group of that size takes
 * proportionally longer to notice it should merge. Up to {@link #FROM} members the configured timings apply as they
 * are. JGroups reads the bounds each time it schedules the next announcement, so a change takes effect from the next
 * one.
 *
 * <p>UNICAST3's retransmission interval grows the same way, up to {@link #XMIT_MAX_MILLIS}. Its timer task walks every
 * unicast connection of the peer each {@code xmit_interval} (sending pending acks, asking for gaps, resending an
 * unacknowledged last message), and after the handshake every member holds a connection to every other: a group of
 * n walks n^2 connections per interval (about a tenth of the CPU samples of a group of 100 forming in one JVM). In
 * a larger view a lost unicast frame is therefore asked for later (up to {@link #XMIT_MAX_MILLIS} instead of the
 * configured interval; docs/NETWORKS.md, "Large groups"), and acks wait as long (a batch of 100 or more messages is
 * acknowledged at once whatever the interval). JGroups schedules the task with the interval of the moment it starts,
 * so a change stops and restarts it.
 *
 * <p>NAKACK2's retransmission interval grows the same way. Its task walks a table per member of the view each
 * {@code xmit_interval}, so a group of n in one JVM walks n^2 tables per interval too: with UNICAST3's already
 * scaled, it was the largest single item in a profile of an idle conference of 100 in one JVM (docs/BENCHMARKS.md, "What a
 * 100-participant conference spends when nobody posts"). A lost multicast is asked for later in a large view, as a
 * lost unicast is. JGroups 5.5 keeps NAKACK2's start and stop of that task protected: they are reached through a
 * private lookup (JGroups is an automatic module, so its packages are open); where they cannot be, NAKACK2 keeps its
 * configured interval. Event thread only.
 */
final class ViewScaling {
    /** Views up to this size keep the configured merge timings. */
    static final int FROM = 20;
    /** The longest retransmission interval the scaling sets (a configured interval above it is kept as it is). */
    static final long XMIT_MAX_MILLIS = 1000;

    private final MERGE3 merge;
    private final long baseMin;
    private final long baseMax;
    private final UNICAST3 unicast;
    private final long baseXmit;
    private final NAKACK2 nak;
    private final long baseNakXmit;
    private int applied = -1;

    /** NAKACK2's {@code stopRetransmitTask} and {@code startRetransmitTask} (protected), or null if out of reach. */
    private static final MethodHandle NAK_STOP = nakTask("stopRetransmitTask");
    private static final MethodHandle NAK_START = nakTask("startRetransmitTask");

    private static MethodHandle nakTask(String name) {
        try {
            return MethodHandles.privateLookupIn(NAKACK2.class, MethodHandles.lookup())
                    .findVirtual(NAKACK2.class, name, MethodType.methodType(void.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another JGroups, or a module setup that does not open it: the configured interval stays
        }
    }

    private ViewScaling(MERGE3 merge, UNICAST3 unicast, NAKACK2 nak) {
        this.merge = merge;
        this.baseMin = merge == null ? 0 : merge.getMinInterval();
        this.baseMax = merge == null ? 0 : merge.getMaxInterval();
        this.unicast = unicast;
        this.baseXmit = unicast == null ? 0 : unicast.getXmitInterval();
        this.nak = NAK_STOP == null || NAK_START == null ? null : nak;
        this.baseNakXmit = nak == null ? 0 : nak.getXmitInterval();
    }

    /** For the channel's stack as built (a stack customised without MERGE3 is left alone). */
    static ViewScaling of(JChannel channel) {
        return new ViewScaling(channel.getProtocolStack().findProtocol(MERGE3.class),
                channel.getProtocolStack().findProtocol(UNICAST3.class), channel.getProtocolStack().findProtocol(NAKACK2.class));
    }

    /** The factor for a view of {@code size}: 1 up to {@link #FROM}, then {@code size / FROM}. */
    static double factor(int size) {
        return Math.max(1.0, size / (double) FROM);
    }

    /** UNICAST3's retransmission interval for a view of {@code size} when {@code base} is configured. */
    static long xmitInterval(long base, int size) {
        return Math.max(base, Math.min(XMIT_MAX_MILLIS, Math.round(base * factor(size))));
    }

    /** Sets the merge and retransmission intervals for a view of {@code size}. */
    void apply(int size) {
        int effective = Math.max(size, FROM);
        if (effective == applied) return;
        applied = effective;
        applyXmit(size);
        if (merge == null) return;
        double f = factor(size);
        long max = Math.round(baseMax * f);
        // The minimum first: MERGE3 checks the values it holds (valid) before taking the new one, and a maximum set
        // first below the old minimum would fail that check.
        merge.setMinInterval(Math.min(Math.round(baseMin * f), max - 1));
        merge.setMaxInterval(max);
    }

    private void applyXmit(int size) {
        applyNakXmit(size);
        if (unicast == null) return;
        long interval = xmitInterval(baseXmit, size);
        if (interval == unicast.getXmitInterval()) return;
        unicast.setXmitInterval(interval);
        if (!unicast.isXmitTaskRunning()) return; // not started yet (it starts with the interval set), or stopped
        try {
            unicast.stopRetransmitTask();
            unicast.startRetransmitTask(); // runs once at once, then every interval
        } catch (RuntimeException e) {
            // The channel closed meanwhile (its timer refuses tasks): nothing left to retransmit.
        }
    }

    private void applyNakXmit(int size) {
        if (nak == null) return;
        long interval = xmitInterval(baseNakXmit, size);
        if (interval == nak.getXmitInterval()) return;
        nak.setXmitInterval(interval);
        if (!nak.isXmitTaskRunning()) return; // not started yet (it starts with the interval set), or stopped
        try {
            NAK_STOP.invoke(nak);
            NAK_START.invoke(nak); // runs once at once, then every interval
        } catch (RuntimeException e) {
            // The channel closed meanwhile (its timer refuses tasks): nothing left to retransmit.
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("NAKACK2's retransmission task could not be restarted", e); // declares none
        }
    }

    long xmitInterval() {
        return unicast == null ? 0 : unicast.getXmitInterval();
    }

    /** NAKACK2's retransmission interval now (0 without NAKACK2, or where its task is out of reach). */
    long nakXmitInterval() {
        return nak == null ? 0 : nak.getXmitInterval();
    }

    long minInterval() {
        return merge == null ? 0 : merge.getMinInterval();
    }

    long maxInterval() {
        return merge == null ? 0 : merge.getMaxInterval();
    }
}
