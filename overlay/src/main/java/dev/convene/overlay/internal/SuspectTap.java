package dev.convene.overlay.internal;

import java.util.Collection;
import java.util.function.Consumer;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.stack.Protocol;

/**
 * A pass-through protocol placed just above VERIFY_SUSPECT2 that reports confirmed suspicions before GMS
 * acts on them (JGroups 5 no longer tells a Receiver about suspects). Adds no headers.
 */
public final class SuspectTap extends Protocol {
    private final Consumer<Collection<Address>> onSuspect;

    public SuspectTap(Consumer<Collection<Address>> onSuspect) {
        this.onSuspect = onSuspect;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object up(Event evt) {
        if (evt.getType() == Event.SUSPECT) {
            Object arg = evt.getArg();
            if (arg instanceof Collection<?> c) {
                onSuspect.accept((Collection<Address>) c);
            }
        }
        return up_prot.up(evt);
    }
}
