package dev.convene.overlay.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jgroups.Message;
import org.jgroups.annotations.Property;
import org.jgroups.stack.Protocol;

/**
 * A test protocol at the top of a peer's stack that, while its switch is on, drops the overlay frames (bytes
 * starting with {@code CNV1}) the peer sends to one member, so that its handshake with that member starts
 * only when a test lets it: JGroups' own traffic (joins, views, heartbeats) passes. Switches are found by
 * {@link #id} in a registry of this test JVM.
 */
public class HoldOverlayFrames extends Protocol {
    /** The switches: id to (on, frames dropped). */
    static final Map<String, AtomicBoolean> SWITCHES = new ConcurrentHashMap<>();
    static final Map<String, AtomicLong> DROPPED = new ConcurrentHashMap<>();

    @Property(description = "the key of this protocol's switch in SWITCHES")
    protected String id = "";

    @Override
    public Object down(Message msg) {
        AtomicBoolean on = SWITCHES.get(id);
        if (on != null && on.get() && msg.getDest() != null && msg.hasArray() && msg.getLength() >= 4) {
            byte[] b = msg.getArray();
            int o = msg.getOffset();
            if (b[o] == 'C' && b[o + 1] == 'N' && b[o + 2] == 'V' && b[o + 3] == '1') {
                DROPPED.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
                return null;
            }
        }
        return down_prot.down(msg);
    }
}
