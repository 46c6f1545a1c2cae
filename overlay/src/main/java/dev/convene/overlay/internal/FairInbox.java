package dev.convene.overlay.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admitted frames wait here for the event thread, one queue per sender, taken in turn: a sender that floods
 * (thousands of large frames that each cost work) delays another sender's frame by at most the one of its frames
 * in progress, not by its whole backlog: a sender with nothing waiting is put first in turn, senders with a backlog
 * alternate. Order per sender is kept (FIFO). Each frame put
 * here puts one token on the event executor, and each token runs the next frame in turn, so the executor's own
 * tasks (view changes, timers) keep their place among tokens.
 *
 * <p>Keys are what the gate proved: the MAC-authenticated peer for a session frame; one shared key for frames
 * authenticated by a signature (few, and budgeted by the gate).
 */
final class FairInbox {
    private final Executor events;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Object, ArrayDeque<Runnable>> queues = new HashMap<>();
    private final ArrayDeque<Object> turns = new ArrayDeque<>();

    FairInbox(Executor events) {
        this.events = events;
    }

    /**
     * Queues {@code task} behind {@code key}'s earlier ones.
     *
     * @return false if the event executor refused (closed) and the task was taken back unrun; true if it ran or
     *         will run (a token of another frame may have run it meanwhile)
     */
    boolean put(Object key, Runnable task) {
        lock.lock();
        try {
            ArrayDeque<Runnable> q = queues.get(key);
            if (q == null) {
                q = new ArrayDeque<>();
                queues.put(key, q);
                // A sender with nothing waiting goes next: it waits only for the frame in progress, not also for the
                // next one of a sender with a backlog (which keeps its turn after it).
                turns.addFirst(key);
            }
            q.add(task);
        } finally {
            lock.unlock();
        }
        try {
            events.execute(this::runNext);
            return true;
        } catch (RejectedExecutionException e) {
            lock.lock();
            try {
                ArrayDeque<Runnable> q = queues.get(key);
                if (q == null || !q.removeLastOccurrence(task)) return true; // another token took it: it ran
                if (q.isEmpty()) {
                    queues.remove(key);
                    turns.remove(key);
                }
            } finally {
                lock.unlock();
            }
            return false;
        }
    }

    /** Frames waiting, all senders (for tests). */
    int waiting() {
        lock.lock();
        try {
            return queues.values().stream().mapToInt(ArrayDeque::size).sum();
        } finally {
            lock.unlock();
        }
    }

    private void runNext() {
        Runnable next;
        lock.lock();
        try {
            Object key = turns.poll();
            if (key == null) return;
            ArrayDeque<Runnable> q = queues.get(key);
            next = q.poll();
            if (q.isEmpty()) queues.remove(key);
            else turns.add(key);
        } finally {
            lock.unlock();
        }
        next.run();
    }
}
