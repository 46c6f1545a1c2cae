package dev.convene.conference;

import static dev.convene.conference.ConferenceState.CANCELLED;
import static dev.convene.conference.ConferenceState.ENDED;
import static dev.convene.conference.ConferenceState.LIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The lifecycle table: every (from, to) pair, allowed or not. */
class ConferenceStateTest {
    private static final Set<String> ALLOWED = Set.of("SCHEDULED>LIVE", "SCHEDULED>ENDED", "SCHEDULED>CANCELLED", "LIVE>ENDED");

    static Stream<Arguments> everyPair() {
        return EnumSet.allOf(ConferenceState.class).stream()
                .flatMap(from -> EnumSet.allOf(ConferenceState.class).stream().map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void onlyTheFourLifecycleMovesAreAllowed(ConferenceState from, ConferenceState to) {
        boolean allowed = ALLOWED.contains(from + ">" + to);
        assertThat(from.canMoveTo(to)).isEqualTo(allowed);
        if (allowed) {
            assertThat(from.moveTo(to)).isSameAs(to);
        } else {
            assertThatThrownBy(() -> from.moveTo(to))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("from " + from + " to " + to);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ConferenceState.class, names = {"ENDED", "CANCELLED"})
    void leavingAFinishedConferenceSaysItIsOver(ConferenceState over) {
        assertThatThrownBy(() -> over.moveTo(LIVE)).hasMessageContaining("it is over");
    }

    @ParameterizedTest
    @EnumSource(ConferenceState.class)
    void onlyEndedAndCancelledAreOver(ConferenceState state) {
        assertThat(state.isOver()).isEqualTo(state == ENDED || state == CANCELLED);
    }
}
