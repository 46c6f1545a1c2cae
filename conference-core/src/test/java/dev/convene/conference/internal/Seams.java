package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.START;

import dev.convene.conference.Answer;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MutableClock;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The engine's parts wired as {@link ConferenceEngine} wires them, without an overlay or a store, for tests that
 * drive one part directly. Listeners run inline.
 */
final class Seams {
    final MutableClock clock;
    final EngineState s;
    final List<String> heard = new CopyOnWriteArrayList<>();
    final Dispatch dispatch;
    final Keys keys;
    final Acks acks;
    final ChatLog chat;
    final List<Runnable> scheduled = new CopyOnWriteArrayList<>();

    Seams(Identity self) {
        this(self, ConferenceStore.none());
    }

    Seams(Identity self, ConferenceStore store) {
        this(self, store, START.plus(Duration.ofMinutes(5)));
    }

    Seams(Identity self, ConferenceStore store, java.time.Instant now) {
        this(self, store, now, false);
    }

    /**
     * Runs what the pool handed back to the engine thread ({@link #scheduled}) until {@code done}, the test thread
     * standing in for the engine thread; fails after 30 s.
     */
    void runEngineUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() >= deadline) throw new AssertionError("engine work never finished");
            if (scheduled.isEmpty()) {
                Thread.sleep(1); // the workers are still checking
                continue;
            }
            scheduled.remove(0).run();
        }
    }

    /** With {@code pooled}, chat signatures are checked on a worker pool whose results land in {@link #scheduled}. */
    Seams(Identity self, ConferenceStore store, java.time.Instant now, boolean pooled) {
        this(self, store, null, now, pooled);
    }

    /** With {@code chatStore}, a persistence thread writes to it ({@link ChatWriter#threaded}); its hand-backs land in {@link #scheduled}. */
    Seams(Identity self, ConferenceStore store, ConferenceStore chatStore, java.time.Instant now, boolean pooled) {
        clock = new MutableClock(now);
        s = new EngineState(self, store, chatStore, pooled, clock);
        s.events = scheduled::add; // what the engine thread would run next, kept for the test to look at
        dispatch = new Dispatch(s, Runnable::run, List.of(new ConferenceListener() {
            @Override
            public void message(ChatEntry m) {
                heard.add("message " + m.text());
            }

            @Override
            public void delivered(ChatEntry m) {
                heard.add("delivered " + m.id().sequence());
            }

            @Override
            public void deliveredToAll(ChatEntry m) {
                heard.add("stored by all " + m.id().sequence());
            }

            @Override
            public void retracted(ChatEntry m, String reason) {
                heard.add("retracted " + m.text() + ": " + reason);
            }

            @Override
            public void eventRetracted(dev.convene.conference.ConferenceEvent<?> e, String reason) {
                heard.add("event retracted " + e.id().sequence() + ": " + reason);
            }

            @Override
            public void invitation(ConferenceView v, PeerId inviter) {
                heard.add("invitation from " + inviter.shortId());
            }

            @Override
            public void started(ConferenceView v) {
                heard.add("started " + v.state());
            }

            @Override
            public void rescheduled(ConferenceView before, ConferenceView after) {
                heard.add("rescheduled " + after.context().start() + " " + after.context().duration());
            }

            @Override
            public void ended(ConferenceView v) {
                heard.add("ended " + v.state());
            }

            @Override
            public void participantJoined(ConferenceView v, PeerId peer, String reason) {
                heard.add("joined " + peer.shortId() + " " + reason);
            }

            @Override
            public void participantLeft(ConferenceView v, PeerId peer, String reason) {
                heard.add("left " + peer.shortId() + " " + reason);
            }
        }));
        keys = new Keys(s, dispatch);
        acks = new Acks(s, dispatch);
        chat = new ChatLog(s, dispatch, acks);
    }

    /** Alice's conference with Bob invited under {@code key} (epoch 0) and Bob's acceptance, as Bob holds it. */
    static Conference aliceWithBob(byte[] key) {
        SignedContext ctx = Fixtures.signed(Fixtures.context(BOB));
        Conference c = new Conference(ctx);
        Invitation inv = Fixtures.invitation(ctx, ALICE, BOB, key);
        c.invitations.put(BOB.id(), inv);
        c.nonces.add(inv.nonceHex());
        Reply accept = Fixtures.reply(BOB, c.id, Answer.ACCEPT, "", 1, START);
        c.replyLog.computeIfAbsent(BOB.id(), a -> new java.util.TreeMap<>()).put(1, accept);
        c.replies.put(BOB.id(), accept);
        c.keys.put(0, key);
        return c;
    }

    static HlcTimestamp at(long millisAfterStart) {
        return new HlcTimestamp(START.toEpochMilli() + millisAfterStart, 0);
    }
}
