package dev.convene.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Conference and message ids: form, parsing and validation. */
class ConferenceIdTest {

    @Test
    void randomIdsAre26Base32CharactersAndDiffer() {
        Set<ConferenceId> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ConferenceId id = ConferenceId.random();
            assertThat(id.value()).hasSize(ConferenceId.LENGTH).matches("[a-z2-7]{26}");
            assertThat(seen.add(id)).isTrue();
        }
    }

    @Test
    void parsingAcceptsUpperCaseAndSurroundingSpace() {
        ConferenceId id = ConferenceId.random();
        assertThat(ConferenceId.parse("  " + id.value().toUpperCase() + "\n")).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abcdefghijklmnopqrstuvwxy", "abcdefghijklmnopqrstuvwxyza", "abcdefghijklmnopqrstuvwx01",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxy="})
    void malformedIdsAreRejectedWithWhatWasExpected(String text) {
        assertThatThrownBy(() -> new ConferenceId(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: 26 base32 characters");
    }

    @Test
    void theShortIdIsTheFirstEightCharacters() {
        ConferenceId id = ConferenceId.random();
        assertThat(id.shortId()).isEqualTo(id.value().substring(0, 8));
        assertThat(id).hasToString(id.value());
    }

    @Test
    void idsOrderByTheirText() {
        assertThat(new ConferenceId("a".repeat(26))).isLessThan(new ConferenceId("b".repeat(26)));
    }

    @Test
    void aMessageIdNeedsASequenceOfOneOrMore() {
        PeerId author = PeerId.fromSigningKey("author".getBytes(StandardCharsets.US_ASCII));
        assertThat(new MessageId(author, 1)).hasToString(author.shortId() + ":1");
        assertThatThrownBy(() -> new MessageId(author, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sequence: 0 (expected: >= 1)");
    }
}
