package dev.convene.conference;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.TestEvents.POLL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Durable events across restarts: kept in the store with chat, and delivered once a restarted peer knows their type. */
@Timeout(120)
class EventsDurabilityTest {
    @TempDir
    Path dir;

    private ConferencePeer startAt(ConferenceCluster cl, String name, UnaryOperator<ConferencePeer.Builder> customize) {
        Path home = dir.resolve(name);
        return cl.start(name, home, Identity.loadOrCreate(home), cl.clock, customize);
    }

    @Test
    void storedEventsSurviveARestartAndAreDeliveredOnceThePeerRegistersTheirType() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice", b -> b.eventType(POLL));
            ConferencePeer bob = startAt(cl, "bob", b -> b); // knows no event type yet
            cl.awaitDirectories(alice, bob);
            ConferenceId id = alice.create(NewConference.titled("Restart").invite(bob.self())).join().id();
            await(() -> bob.conference(id).isPresent(), () -> "bob has no invitation");
            bob.accept(id).join();
            await(() -> alice.conference(id).orElseThrow().participants().contains(bob.self()), () -> "bob not in");
            alice.say(id, "before").join().storedByAll().get(30, TimeUnit.SECONDS);
            alice.publish(id, POLL, "a").join().storedByAll().get(30, TimeUnit.SECONDS);
            alice.publish(id, POLL, "b").join().storedByAll().get(30, TimeUnit.SECONDS);
            await(() -> bob.eventStats().unknownType() == 2, () -> "bob: " + bob.eventStats());
            assertThat(bob.history(id)).extracting(ChatEntry::text).containsExactly("before");
            List<MessageId> ids = alice.events(id, POLL).stream().map(ConferenceEvent::id).toList();
            bob.close();
            alice.close();

            // Bob now knows the type: what he stored without delivering is read from his store at start.
            ConferencePeer bob2 = startAt(cl, "bob", b -> b.eventType(POLL));
            assertThat(bob2.events(id, POLL)).extracting(ConferenceEvent::value).containsExactly("a", "b");
            assertThat(bob2.events(id, POLL)).extracting(ConferenceEvent::id).isEqualTo(ids);
            assertThat(bob2.history(id)).extracting(ChatEntry::text).containsExactly("before");
            assertThat(bob2.eventStats().unknownType()).isZero();

            // Alice keeps her own and continues her sequence after them: no id is reused.
            ConferencePeer alice2 = startAt(cl, "alice", b -> b.eventType(POLL));
            assertThat(alice2.events(id, POLL)).extracting(ConferenceEvent::id).isEqualTo(ids);
            cl.awaitDirectories(alice2, bob2);
            PublishedEvent<String> c = alice2.publish(id, POLL, "c").join();
            assertThat(c.event().id().sequence()).isEqualTo(4);
            c.acknowledged().get(30, TimeUnit.SECONDS);
            await(() -> bob2.events(id, POLL).size() == 3, () -> "bob2: " + bob2.events(id, POLL));
            assertThat(bob2.events(id, POLL)).extracting(ConferenceEvent::value).containsExactly("a", "b", "c");
        }
    }
}
