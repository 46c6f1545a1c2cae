package dev.convene.cli.output;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the peer's own events (presence, conferences) go on their way to the {@link EventWriter}: held back
 * until {@link #open()}, so that {@code ready} is always the first line, then written as they come, in the
 * order they came. Every event and every {@link #changed()} also runs {@code onChange}, which wakes
 * waiting commands.
 *
 * <p>Thread-safe: the overlay's event thread and the conference callback thread both publish here.
 */
public final class EventGate {
    private final EventWriter out;
    private final Runnable onChange;
    private List<Event> held = new ArrayList<>();

    public EventGate(EventWriter out, Runnable onChange) {
        this.out = out;
        this.onChange = onChange;
    }

    /** Emits what was held back and everything after it. */
    public synchronized void open() {
        held.forEach(out::emit);
        held = null;
    }

    void publish(Event event) {
        synchronized (this) {
            if (held != null) {
                held.add(event);
            } else {
                out.emit(event);
            }
        }
        onChange.run();
    }

    /** Something changed that has no event of its own: waits check again. */
    void changed() {
        onChange.run();
    }
}
