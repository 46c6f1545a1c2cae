package dev.convene.conference;

/**
 * A blocking wait on the overlay's event thread (from an {@link dev.convene.overlay.OverlayListener} or a
 * message handler) for something only that thread can complete: it would wait forever, so it is refused.
 * Chain a callback instead ({@code thenAccept}), or do the work on another thread.
 */
public final class EventThreadException extends ConferenceException {
    private static final long serialVersionUID = 1L;
    /** @serial the event thread's name. */
    private final String thread;

    /**
     * A refused wait.
     *
     * @param thread the name of the event thread that tried to wait
     */
    public EventThreadException(String thread) {
        super("waiting on the overlay event thread " + thread + " would deadlock");
        this.thread = thread;
    }

    /**
     * The thread that tried to wait.
     *
     * @return its name
     */
    public String thread() {
        return thread;
    }
}
