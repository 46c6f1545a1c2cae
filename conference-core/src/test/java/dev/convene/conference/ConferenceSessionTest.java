package dev.convene.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One object per conference, and the history in pages. */
class ConferenceSessionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final String cluster = "session-" + UUID.randomUUID();

    private ConferencePeer start(String name) {
        return ConferencePeer.builder(OverlayConfig.builder(name).mode(NetworkMode.MEMORY).cluster(cluster).build(),
                Identity.generate()).start();
    }

    @Test
    @Timeout(60)
    void aSessionChatsListensToItsOwnConferenceAndPagesItsHistory() throws Exception {
        try (ConferencePeer alice = start("alice"); ConferencePeer bob = start("bob")) {
            alice.awaitOnline(bob.self(), WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            CompletableFuture<ConferenceView> invited = new CompletableFuture<>();
            bob.addListener(new ConferenceListener() {
                @Override
                public void invitation(ConferenceView conference, PeerId inviter) {
                    if (conference.title().equals("Review")) invited.complete(conference);
                }
            });
            ConferenceSession review = alice.session(alice.create(NewConference.titled("Review").invite(bob.self())).join().id());
            ConferenceSession other = alice.session(alice.create(NewConference.titled("Other").invite(bob.self())).join().id());
            ConferenceSession atBob = bob.session(invited.get(WAIT.toSeconds(), TimeUnit.SECONDS).id());
            List<String> heard = new CopyOnWriteArrayList<>();
            List<String> stored = new CopyOnWriteArrayList<>();
            CompletableFuture<PeerId> joined = new CompletableFuture<>();
            review.addListener(new ConferenceListener() {
                @Override
                public void message(ChatEntry message) {
                    heard.add(message.text());
                }

                @Override
                public void delivered(ChatEntry message) {
                    stored.add("one " + message.text());
                }

                @Override
                public void deliveredToAll(ChatEntry message) {
                    stored.add("all " + message.text());
                }

                @Override
                public void participantJoined(ConferenceView conference, PeerId peer, String reason) {
                    joined.complete(peer);
                }
            });
            atBob.accept().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(joined.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(bob.self());
            assertThat(review.participants()).containsExactlyInAnyOrder(alice.self(), bob.self());
            assertThat(review.state()).isEqualTo(ConferenceState.LIVE);

            for (int i = 1; i <= 7; i++) review.say("m" + i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            other.say("elsewhere").get(WAIT.toSeconds(), TimeUnit.SECONDS);
            ConferenceCluster.await(() -> heard.size() >= 7, heard::toString);
            assertThat(heard).containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7"); // only this conference, in order
            ConferenceCluster.await(() -> stored.size() >= 14, stored::toString);
            assertThat(stored).filteredOn(e -> e.startsWith("all ")).containsExactly("all m1", "all m2", "all m3", "all m4", "all m5", "all m6", "all m7");
            assertThat(stored).doesNotContain("one elsewhere", "all elsewhere");
            assertThat(stored.indexOf("one m1")).isLessThan(stored.indexOf("all m1"));

            // pages going back from the newest, then forward from the oldest
            List<ChatEntry> newest = review.historyBefore(null, 3);
            assertThat(newest).extracting(ChatEntry::text).containsExactly("m5", "m6", "m7");
            List<ChatEntry> before = review.historyBefore(newest.get(0).id(), 3);
            assertThat(before).extracting(ChatEntry::text).containsExactly("m2", "m3", "m4");
            assertThat(review.historyBefore(before.get(0).id(), 3)).extracting(ChatEntry::text).containsExactly("m1");
            List<ChatEntry> first = review.historyAfter(null, 4);
            assertThat(first).extracting(ChatEntry::text).containsExactly("m1", "m2", "m3", "m4");
            assertThat(review.historyAfter(first.get(3).id(), 4)).extracting(ChatEntry::text).containsExactly("m5", "m6", "m7");
            assertThat(review.historyAfter(newest.get(2).id(), 4)).isEmpty();
            assertThat(review.history()).hasSize(7);

            assertThatThrownBy(() -> review.historyBefore(null, 0)).isInstanceOfSatisfying(InvalidInputException.class,
                    e -> assertThat(e.field()).isEqualTo(InvalidInputException.LIMIT));
            MessageId unknown = new MessageId(alice.self(), 99);
            assertThatThrownBy(() -> review.historyAfter(unknown, 2)).isInstanceOfSatisfying(InvalidInputException.class,
                    e -> assertThat(e.field()).isEqualTo(InvalidInputException.AFTER));
            assertThatThrownBy(() -> alice.session(ConferenceId.random())).isInstanceOf(ConferenceNotFoundException.class);

            review.end().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(review.state()).isEqualTo(ConferenceState.ENDED);
        }
    }
}
