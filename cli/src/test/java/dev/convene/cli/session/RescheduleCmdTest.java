package dev.convene.cli.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.cli.CliException;
import dev.convene.cli.output.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code reschedule}'s syntax (checked before a peer starts) and what its event says to people. */
class RescheduleCmdTest {
    private final CommandRegistry registry = CommandRegistry.standard();

    private void rejects(String line, String message) {
        assertThatThrownBy(() -> registry.parseLine(line, null)).as(line)
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.isUsage()).isTrue())
                .hasMessage(message);
    }

    @Test
    void acceptsAStartADurationOrBothInCreatesForms() {
        for (String line : List.of("reschedule k3j2 --start 14:30", "reschedule k3j2 --duration 2h", "reschedule 'Design review' --start 2026-12-01T09:00",
                "reschedule k3j2 --start '2026-12-01 09:00' --duration=90m", "reschedule k3j2 --start 2026-12-01T08:00Z --duration 1h30m")) {
            assertThat(registry.parseLine(line, null)).as(line).isPresent();
        }
    }

    @Test
    void refusesWhatCreateRefusesAndAskingForNothing() {
        String usage = "usage: reschedule CONF [--start TIME] [--duration D]";
        rejects("reschedule", "reschedule: missing arguments; " + usage);
        rejects("reschedule k3j2", "reschedule: give --start TIME, --duration D or both (e.g. reschedule k3j2 --start 14:30 --duration 2h)");
        rejects("reschedule k3j2 --start soon",
                "reschedule: --start: 'soon' (expected: a time such as 14:30, 2026-12-01T09:00 or 2026-12-01T08:00Z)");
        rejects("reschedule k3j2 --duration 0m", "reschedule: --duration: '0m' (expected: more than 0 and at most 168h, e.g. 30m or 2h)");
        rejects("reschedule k3j2 --duration 169h", "reschedule: --duration: '169h' (expected: more than 0 and at most 168h, e.g. 30m or 2h)");
        rejects("reschedule k3j2 --in 10m --duration 1h", "reschedule: unknown option '--in'; usage: reschedule CONF [--start TIME] [--duration D]");
    }

    @Test
    void theEventSaysTheNewScheduleAndTheOldOne() {
        Event.ConferenceRescheduled e = new Event.ConferenceRescheduled("k3j2abcdefgh", "Design\u202ereview", "2026-12-01T10:00:00Z", "PT2H",
                "2026-12-01T12:00:00Z", "2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z");
        assertThat(e.type()).isEqualTo("conference-rescheduled");
        assertThat(e.human()).startsWith("* 'Design").contains("(k3j2abcd) was rescheduled: ").contains(" until ").contains("(was ")
                .doesNotContain("\u202e");
        Event.ConferenceRescheduled standing = new Event.ConferenceRescheduled("k3j2abcdefgh", "Room", "2026-12-01T10:00:00Z", "PT0S",
                "9999-12-31T23:59:59Z", "2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z");
        assertThat(standing.human()).contains("onwards, a standing room (was ");
    }
}
