package dev.convene.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** The canonical history order: (timestamp, author, sequence), whatever order the entries arrived in. */
class ChatEntryTest {
    private static final ConferenceId CONF = ConferenceId.random();
    private static final PeerId A = peer("a");
    private static final PeerId B = peer("b");

    private static PeerId peer(String seed) {
        return PeerId.fromSigningKey(seed.getBytes(StandardCharsets.US_ASCII));
    }

    private static ChatEntry entry(long wall, int counter, PeerId author, long seq) {
        return new ChatEntry(CONF, new MessageId(author, seq), new HlcTimestamp(wall, counter), author.shortId(),
                author.shortId() + ":" + seq, false);
    }

    /** Peers, first and second in id order. */
    private static PeerId first() {
        return A.compareTo(B) < 0 ? A : B;
    }

    private static PeerId second() {
        return A.compareTo(B) < 0 ? B : A;
    }

    @Test
    void earlierTimestampComesFirstWhateverTheAuthorAndSequence() {
        ChatEntry early = entry(100, 5, second(), 9);
        ChatEntry late = entry(101, 0, first(), 1);
        assertThat(ChatEntry.CANONICAL_ORDER.compare(early, late)).isNegative();
        assertThat(ChatEntry.CANONICAL_ORDER.compare(entry(100, 1, second(), 9), entry(100, 2, first(), 1))).isNegative();
    }

    @Test
    void equalTimestampsAreOrderedByAuthorId() {
        assertThat(ChatEntry.CANONICAL_ORDER.compare(entry(100, 0, first(), 7), entry(100, 0, second(), 1))).isNegative();
    }

    @Test
    void sameTimestampAndAuthorAreOrderedBySequence() {
        assertThat(ChatEntry.CANONICAL_ORDER.compare(entry(100, 0, A, 2), entry(100, 0, A, 10))).isNegative();
    }

    @Test
    void textAndPendingDoNotTakePartInTheOrder() {
        ChatEntry stored = entry(100, 0, A, 1);
        ChatEntry acked = new ChatEntry(CONF, stored.id(), stored.timestamp(), "other name", "other text", true);
        assertThat(ChatEntry.CANONICAL_ORDER.compare(stored, acked)).isZero();
    }

    @RepeatedTest(20)
    void aShuffledHistorySortsToTheSameOrderEveryTime(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        List<ChatEntry> expected = new ArrayList<>();
        for (long wall = 1_000; wall < 1_004; wall++) {
            for (int counter = 0; counter < 3; counter++) {
                for (PeerId author : List.of(first(), second())) {
                    for (long seq = 1; seq <= 2; seq++) expected.add(entry(wall, counter, author, seq + counter * 10 + (wall - 1_000) * 100));
                }
            }
        }
        List<ChatEntry> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, random);
        shuffled.sort(ChatEntry.CANONICAL_ORDER);
        assertThat(shuffled).containsExactlyElementsOf(expected);

        // The per-conference history set uses the same order, so insertion order does not matter there either.
        Collections.shuffle(shuffled, random);
        ConcurrentSkipListSet<ChatEntry> history = new ConcurrentSkipListSet<>(ChatEntry.CANONICAL_ORDER);
        history.addAll(shuffled);
        assertThat(history).containsExactlyElementsOf(expected);
    }

    @Test
    void authorAndSentAtComeFromIdAndTimestamp() {
        ChatEntry e = entry(1_234, 0, B, 3);
        assertThat(e.author()).isEqualTo(B);
        assertThat(e.sentAt().toEpochMilli()).isEqualTo(1_234);
    }
}
