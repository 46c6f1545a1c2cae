package dev.convene.conference.internal;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferenceView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Listener dispatch: events handed to the callback thread in order, a failing listener logged and skipped; events that need the view after a change queued until it is applied. */
final class Dispatch {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    private final EngineState s;
    private final Executor callbacks;
    private final List<ConferenceListener> listeners;

    Dispatch(EngineState s, Executor callbacks, List<ConferenceListener> listeners) {
        this.s = s;
        this.callbacks = callbacks;
        this.listeners = listeners;
    }

    /** Tells listeners of a message shown in a history. */
    void message(ChatEntry entry) {
        callbacks.execute(() -> listeners.forEach(l -> safely(() -> l.message(entry))));
    }

    /** Tells listeners that a message shown before is taken out of the history. */
    void retracted(ChatEntry entry, String reason) {
        callbacks.execute(() -> listeners.forEach(l -> safely(() -> l.retracted(entry, reason))));
    }

    /** Tells listeners that a message was edited by its author. */
    void edited(ChatEntry latest) {
        callbacks.execute(() -> listeners.forEach(l -> safely(() -> l.edited(latest))));
    }

    /** Tells listeners that a message was deleted by its author. */
    void deleted(ChatEntry tombstone) {
        callbacks.execute(() -> listeners.forEach(l -> safely(() -> l.deleted(tombstone))));
    }

    /** Drops the events queued for a conference that is not kept. */
    void discard(ConferenceId id) {
        pendingEvents.remove(id);
    }

    private final Map<ConferenceId, List<java.util.function.Function<ConferenceView, Consumer<ConferenceListener>>>> pendingEvents = new HashMap<>();

    /** Queues an event that needs the view after the current change is applied. */
    void fireLater(Conference c, java.util.function.Function<ConferenceView, Consumer<ConferenceListener>> event) {
        pendingEvents.computeIfAbsent(c.id, k -> new ArrayList<>()).add(event);
    }

    void flushPendingEvents(Conference c, ConferenceView v) {
        List<java.util.function.Function<ConferenceView, Consumer<ConferenceListener>>> list = pendingEvents.remove(c.id);
        if (list != null) list.forEach(e -> fire(e.apply(v)));
    }

    /** Runs {@code r} on the callback thread, after the events queued before it. */
    void callback(Runnable r) {
        callbacks.execute(() -> safely(r));
    }

    void fire(Consumer<ConferenceListener> event) {
        callbacks.execute(() -> listeners.forEach(l -> safely(() -> event.accept(l))));
    }

    void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("{}: conference listener failed", s.label(), e);
        }
    }
}
