package dev.convene.conference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A future handed to applications: a blocking wait on it from the overlay's event thread, while it is not
 * complete, throws {@link EventThreadException} instead of deadlocking that thread (which is the one that
 * would complete it). Dependent stages ({@code thenApply}, ...) are guarded too.
 */
final class GuardedFuture<T> extends CompletableFuture<T> {
    private final Presence presence;

    GuardedFuture(Presence presence) {
        this.presence = presence;
    }

    private void refuseEventThread() {
        if (!isDone() && presence.onEventThread()) throw new EventThreadException(presence.eventThreadName());
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        refuseEventThread();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        refuseEventThread();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        refuseEventThread();
        return super.join();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new GuardedFuture<>(presence);
    }
}
