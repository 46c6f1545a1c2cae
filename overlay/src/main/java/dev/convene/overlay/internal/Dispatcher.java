package dev.convene.overlay.internal;

import dev.convene.overlay.DropReason;
import dev.convene.overlay.MessageHandler;
import dev.convene.overlay.OverlayListener;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.RejectedMessageException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands authenticated messages to the handler of their type and presence events to the listeners, on the
 * event thread, counting what a handler refuses or fails on. A listener or handler that throws never stops
 * the others. Handlers are fixed at start; listeners may be added and removed from any thread.
 */
final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final String label;
    private final Map<Integer, MessageHandler<Object>> handlers;
    private final List<OverlayListener> listeners = new CopyOnWriteArrayList<>();
    private final Counters counters;
    /** Whether the peer is stopping: frames queued before its close are still handled, and cannot send any more. */
    private final java.util.function.BooleanSupplier stopping;

    Dispatcher(String label, Map<Integer, MessageHandler<Object>> handlers, List<OverlayListener> listeners, Counters counters) {
        this(label, handlers, listeners, counters, () -> false);
    }

    Dispatcher(String label, Map<Integer, MessageHandler<Object>> handlers, List<OverlayListener> listeners, Counters counters,
               java.util.function.BooleanSupplier stopping) {
        this.label = label;
        this.handlers = Map.copyOf(handlers);
        this.listeners.addAll(listeners);
        this.counters = counters;
        this.stopping = stopping;
    }

    void deliver(PeerId from, int typeId, Object body) {
        MessageHandler<Object> handler = handlers.get(typeId);
        if (handler == null) {
            counters.drop(DropReason.UNKNOWN_TYPE);
            return;
        }
        try {
            handler.onMessage(from, body);
            counters.delivered.increment();
        } catch (RejectedMessageException e) {
            counters.drop(DropReason.REJECTED);
            log.debug("{}: rejected {} from {}: {}", label, body.getClass().getSimpleName(), from.shortId(), e.getMessage());
        } catch (dev.convene.overlay.OverlayException e) {
            counters.drop(DropReason.HANDLER_FAILED);
            // A handler answering a frame queued before close finds the peer stopped: expected while leaving, not a fault.
            if (stopping.getAsBoolean()) {
                log.debug("{}: handler for {} on a message from {} could not answer: {}", label, body.getClass().getSimpleName(), from.shortId(), e.getMessage());
            } else {
                log.warn("{}: handler for {} failed on a message from {}", label, body.getClass().getSimpleName(), from.shortId(), e);
            }
        } catch (RuntimeException e) {
            counters.drop(DropReason.HANDLER_FAILED);
            log.warn("{}: handler for {} failed on a message from {}", label, body.getClass().getSimpleName(), from.shortId(), e);
        }
    }

    void fire(Consumer<OverlayListener> call) {
        for (OverlayListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn("{}: listener {} failed", label, l, e);
            }
        }
    }

    void add(OverlayListener l) {
        listeners.add(l);
    }

    void remove(OverlayListener l) {
        listeners.remove(l);
    }
}
