package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.TestEvents.CURSOR;
import static dev.convene.conference.TestEvents.POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.TestEvents.Cursor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Typed events between peers: a durable poll vote and an ephemeral cursor, interleaved with chat, caught up by a
 * late joiner through a peer that does not know the poll type; and the refusals a peer makes of bad events.
 */
@Timeout(180)
class EventsClusterTest {

    /** One line of the merged timeline: chat and poll events in canonical order. */
    private record Line(HlcTimestamp ts, MessageId id, String what) {
    }

    private static List<String> timeline(ConferencePeer p, ConferenceId id) {
        List<Line> all = new ArrayList<>();
        for (ChatEntry e : p.history(id)) all.add(new Line(e.timestamp(), e.id(), "chat " + e.text()));
        for (ConferenceEvent<String> e : p.events(id, POLL)) all.add(new Line(e.timestamp(), e.id(), "vote " + e.value()));
        all.sort(Comparator.comparing(Line::ts).thenComparing(l -> l.id().author()).thenComparingLong(l -> l.id().sequence()));
        return all.stream().map(l -> l.id() + " " + l.what()).toList();
    }

    private static ConferenceId live(ConferencePeer organiser, List<ConferencePeer> invitees) {
        ConferenceId id = organiser.create(NewConference.titled("Poll").participantsMayInvite(true)
                .invite(invitees.stream().map(ConferencePeer::self).toList())).join().id();
        for (ConferencePeer p : invitees) {
            await(() -> p.conference(id).isPresent(), () -> p.name() + " has no invitation");
            p.accept(id).join();
        }
        List<ConferencePeer> all = new ArrayList<>(invitees);
        all.add(organiser);
        for (ConferencePeer p : all) {
            await(() -> p.conference(id).orElseThrow().participants().size() == all.size(), () -> p.name() + ": participants incomplete");
        }
        return id;
    }

    @Test
    void durableEventsAreOrderedWithChatCaughtUpByALateJoinerThroughAPeerThatDoesNotKnowTheirType() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice", b -> b.eventType(POLL).eventType(CURSOR));
            ConferencePeer bob = cl.start("bob", b -> b.eventType(POLL).eventType(CURSOR));
            ConferencePeer carol = cl.start("carol", b -> b.eventType(CURSOR)); // no poll type: stores and relays only
            cl.awaitDirectories(alice, bob, carol);
            ConferenceId id = live(alice, List.of(bob, carol));
            List<String> bobVotes = new CopyOnWriteArrayList<>();
            List<String> aliceVotes = new CopyOnWriteArrayList<>();
            List<Cursor> bobCursors = new CopyOnWriteArrayList<>();
            List<Cursor> carolCursors = new CopyOnWriteArrayList<>();
            bob.onEvent(POLL, e -> bobVotes.add(e.author().shortId() + " " + e.value()));
            alice.onEvent(POLL, e -> aliceVotes.add(e.author().shortId() + " " + e.value()));
            bob.onEvent(CURSOR, e -> bobCursors.add(e.value()));
            carol.onEvent(CURSOR, e -> carolCursors.add(e.value()));

            // Each waits until every other participant stored the one before: their clocks saw it, so the order is this.
            alice.say(id, "c1").join().storedByAll().get(30, TimeUnit.SECONDS);
            PublishedEvent<String> yes = bob.publish(id, POLL, "yes").join();
            assertThat(yes.event().value()).isEqualTo("yes");
            assertThat(yes.storedByAll().get(30, TimeUnit.SECONDS).id()).isEqualTo(yes.event().id());
            carol.say(id, "c2").join().storedByAll().get(30, TimeUnit.SECONDS);
            alice.publish(id, POLL, "no").join().storedByAll().get(30, TimeUnit.SECONDS);
            bob.say(id, "c3").join().storedByAll().get(30, TimeUnit.SECONDS);
            alice.publish(id, CURSOR, new Cursor(3, 4)).join();

            await(() -> bobCursors.contains(new Cursor(3, 4)) && carolCursors.contains(new Cursor(3, 4)), () -> "cursor not received");
            await(() -> carol.eventStats().unknownType() == 2, () -> "carol: " + carol.eventStats());
            List<String> expected = List.of(
                    alice.self().shortId() + ":1 chat c1", bob.self().shortId() + ":1 vote yes", carol.self().shortId() + ":1 chat c2",
                    alice.self().shortId() + ":2 vote no", bob.self().shortId() + ":2 chat c3");
            assertThat(timeline(alice, id)).isEqualTo(timeline(bob, id)).isEqualTo(expected);
            for (ConferencePeer p : List.of(alice, bob, carol)) {
                // Chat history holds chat only; events take their author's sequence numbers.
                assertThat(p.history(id)).extracting(ChatEntry::text).containsExactly("c1", "c2", "c3");
            }
            assertThat(carol.events(id, POLL)).isEmpty();
            assertThat(aliceVotes).containsExactly(bob.self().shortId() + " yes", alice.self().shortId() + " no");
            assertThat(bobVotes).containsExactly(bob.self().shortId() + " yes", alice.self().shortId() + " no");
            assertThat(alice.events(id, POLL)).extracting(e -> e.type()).containsOnly(POLL);

            // The authors of the votes leave; a late joiner can get them from carol only, who never delivered them.
            List<String> aliceTimeline = timeline(alice, id);
            alice.close();
            bob.close();
            ConferencePeer dave = cl.start("dave", b -> b.eventType(POLL).eventType(CURSOR));
            List<Cursor> daveCursors = new CopyOnWriteArrayList<>();
            List<String> daveVotes = new CopyOnWriteArrayList<>();
            dave.onEvent(CURSOR, e -> daveCursors.add(e.value()));
            dave.onEvent(POLL, e -> daveVotes.add(e.value()));
            cl.awaitDirectories(carol, dave);
            carol.invite(id, List.of(dave.self())).join();
            await(() -> dave.conference(id).isPresent(), () -> "dave has no invitation");
            dave.accept(id).join();
            await(() -> dave.history(id).size() == 3 && dave.events(id, POLL).size() == 2,
                    () -> "dave: " + dave.history(id) + " " + dave.events(id, POLL));
            assertThat(timeline(dave, id)).isEqualTo(aliceTimeline);
            // Listeners hear events in each author's order (as chat listeners do); events() has the canonical order.
            assertThat(daveVotes).containsExactlyInAnyOrder("yes", "no");
            assertThat(dave.events(id, POLL)).extracting(ConferenceEvent::value).containsExactly("yes", "no");
            assertThat(daveCursors).isEmpty(); // ephemeral events are never stored or relayed
            assertThat(dave.eventStats().delivered()).isEqualTo(2);
        }
    }

    @Test
    void publishingBeyondATypesLimitsFailsWithTheLimit() throws Exception {
        EventType<String> slow = EventType.of("com.example.poll.vote", 2, TestEvents.VOTE_CODEC, Delivery.DURABLE).withLimits(8, 1);
        EventType<String> unregistered = EventType.of("com.example.other", 1, TestEvents.VOTE_CODEC, Delivery.DURABLE);
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice", b -> b.eventType(slow));
            ConferenceId id = alice.create(NewConference.titled("Limits")).join().id();
            assertThatThrownBy(() -> alice.publish(id, slow, "123456789").join()).hasRootCauseInstanceOf(EventLimitException.class)
                    .rootCause().satisfies(t -> {
                        EventLimitException e = (EventLimitException) t;
                        assertThat(e.limit()).isEqualTo(EventLimitException.Limit.SIZE);
                        assertThat(e.type()).isEqualTo("com.example.poll.vote/2");
                        assertThat(e.allowed()).isEqualTo(8);
                        assertThat(e.actual()).isEqualTo(9);
                    });
            assertThatThrownBy(() -> alice.publish(id, unregistered, "x").join()).hasRootCauseInstanceOf(EventLimitException.class)
                    .rootCause().extracting(t -> ((EventLimitException) t).limit()).isEqualTo(EventLimitException.Limit.UNREGISTERED);
            // One per second with a burst of one: twenty at once cannot all pass (unless they took 19 s).
            int refused = 0;
            for (int i = 0; i < 20; i++) {
                try {
                    alice.publish(id, slow, "v" + i).join();
                } catch (java.util.concurrent.CompletionException e) {
                    assertThat(e).hasRootCauseInstanceOf(EventLimitException.class);
                    assertThat(((EventLimitException) e.getCause()).limit()).isEqualTo(EventLimitException.Limit.RATE);
                    refused++;
                }
            }
            assertThat(refused).isPositive();
            assertThat(alice.events(id, slow)).hasSize(20 - refused);
            assertThat(alice.history(id)).isEmpty();
            assertThatThrownBy(() -> alice.onEvent(unregistered, e -> { })).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void oversizedAndUndecodableEventsAreCountedNotDeliveredAndThePeerGoesOn() throws Exception {
        // The same type at bob is stricter: at most 8 bytes, and its codec refuses values starting with '!'.
        EventType<String> lenient = EventType.of("com.example.poll.vote", 1, TestEvents.LENIENT_CODEC, Delivery.DURABLE);
        EventType<String> strict = POLL.withLimits(8, 20);
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice", b -> b.eventType(lenient));
            ConferencePeer bob = cl.start("bob", b -> b.eventType(strict));
            cl.awaitDirectories(alice, bob);
            ConferenceId id = live(alice, List.of(bob));
            List<String> got = new CopyOnWriteArrayList<>();
            bob.onEvent(strict, e -> got.add(e.value()));
            alice.publish(id, lenient, "far too long for bob").join().storedByAll().get(30, TimeUnit.SECONDS);
            alice.publish(id, lenient, "!bad").join().storedByAll().get(30, TimeUnit.SECONDS);
            alice.session(id).publish(lenient, "ok").join().storedByAll().get(30, TimeUnit.SECONDS);
            alice.say(id, "still chatting").join().storedByAll().get(30, TimeUnit.SECONDS);
            await(() -> got.contains("ok"), () -> "bob got " + got);
            assertThat(got).containsExactly("ok");
            assertThat(bob.events(id, strict)).extracting(ConferenceEvent::value).containsExactly("ok");
            assertThat(bob.session(id).events(strict)).isEqualTo(bob.events(id, strict));
            assertThat(bob.eventStats().oversized()).isEqualTo(1);
            assertThat(bob.eventStats().malformed()).isEqualTo(1);
            assertThat(bob.history(id)).extracting(ChatEntry::text).containsExactly("still chatting");
            assertThat(alice.events(id, lenient)).extracting(ConferenceEvent::value).containsExactly("far too long for bob", "!bad", "ok");
        }
    }

    @Test
    void anEphemeralFloodIsCutToTheReceiversRate() throws Exception {
        // Bob's copy of the type allows him 1000 a second; alice accepts 5 a second from one sender.
        EventType<Cursor> fast = CURSOR.withLimits(64, 1000);
        EventType<Cursor> slow = CURSOR.withLimits(64, 5);
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice", b -> b.eventType(slow));
            ConferencePeer bob = cl.start("bob", b -> b.eventType(fast));
            cl.awaitDirectories(alice, bob);
            ConferenceId id = live(alice, List.of(bob));
            List<Cursor> got = new CopyOnWriteArrayList<>();
            alice.onEvent(slow, e -> got.add(e.value()));
            long start = System.nanoTime();
            for (int i = 0; i < 200; i++) bob.publish(id, fast, new Cursor(i, i)).join();
            await(() -> alice.eventStats().delivered() + alice.eventStats().ephemeralRateLimited() == 200, () -> "alice: " + alice.eventStats());
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(alice.eventStats().ephemeralRateLimited()).isPositive();
            assertThat((double) alice.eventStats().delivered()).isLessThanOrEqualTo(5 + 5 * seconds + 1);
            assertThat(alice.history(id)).isEmpty();
            alice.say(id, "up").join().acknowledged().get(30, TimeUnit.SECONDS); // still up
        }
    }
}
