package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferenceView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Listener dispatch driven directly: order, a failing listener, events held until the change is applied. */
class DispatchTest {
    private final List<Runnable> callbackQueue = new ArrayList<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final ConferenceListener failing = new ConferenceListener() {
        @Override
        public void started(ConferenceView v) {
            throw new IllegalStateException("listener bug");
        }
    };
    private final ConferenceListener recording = new ConferenceListener() {
        @Override
        public void started(ConferenceView v) {
            heard.add("started " + (v == null ? "-" : v.id().shortId()));
        }

        @Override
        public void ended(ConferenceView v) {
            heard.add("ended");
        }
    };
    private final Dispatch dispatch = new Dispatch(new EngineState(BOB, ConferenceStore.none(), java.time.Clock.systemUTC()),
            callbackQueue::add, List.of(failing, recording));
    private final Conference c = Seams.aliceWithBob(ContentCrypto.newKey());

    @Test
    void eventsRunOnTheCallbackExecutorInOrderPastAFailingListener() {
        dispatch.fire(l -> l.started(null));
        dispatch.fire(l -> l.ended(null));
        assertThat(heard).isEmpty(); // nothing runs on the caller's thread
        callbackQueue.forEach(Runnable::run);
        assertThat(heard).containsExactly("started -", "ended");
    }

    @Test
    void eventsFiredLaterWaitForTheViewAfterTheChange() {
        dispatch.fireLater(c, v -> l -> l.started(v));
        callbackQueue.forEach(Runnable::run);
        assertThat(heard).isEmpty();

        ConferenceView view = c.view(BOB.id());
        dispatch.flushPendingEvents(c, view);
        dispatch.flushPendingEvents(c, view); // flushed once only
        callbackQueue.forEach(Runnable::run);
        assertThat(heard).containsExactly("started " + c.id.shortId());
    }

    @Test
    void eventsOfADiscardedConferenceAreNeverFired() {
        dispatch.fireLater(c, v -> l -> l.started(v));
        dispatch.discard(c.id);
        dispatch.flushPendingEvents(c, c.view(ALICE.id()));
        callbackQueue.forEach(Runnable::run);
        assertThat(heard).isEmpty();
    }
}
