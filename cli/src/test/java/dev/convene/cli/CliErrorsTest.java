package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceException;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceLookupException;
import dev.convene.conference.ConferenceNotFoundException;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceStateException;
import dev.convene.conference.HomeLockedException;
import dev.convene.conference.HomeOwnerException;
import dev.convene.conference.InvalidInputException;
import dev.convene.conference.MemberException;
import dev.convene.conference.NotAllowedException;
import dev.convene.conference.PeerClosedException;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CLI words the library's typed refusals itself, from their data: commands and options appear only here. */
class CliErrorsTest {
    private final ConferenceId id = ConferenceId.random();
    private final PeerId peer = Identity.generate().id();

    @Test
    void wordsEachRefusalFromItsData() {
        assertThat(CliErrors.conference(new ConferenceNotFoundException(id)))
                .isEqualTo("no conference " + id.shortId() + " here; run 'conferences' to list them");
        assertThat(CliErrors.conference(new ConferenceLookupException("standup", List.of())))
                .isEqualTo("no conference matches 'standup'; run 'conferences' to list them");
        assertThat(CliErrors.conference(new ConferenceStateException(id, ConferenceState.SCHEDULED, Set.of(ConferenceState.LIVE))))
                .isEqualTo("conference " + id.shortId() + " is scheduled, not live; wait until it starts ('wait started')");
        assertThat(CliErrors.conference(new ConferenceStateException(id, ConferenceState.ENDED,
                Set.of(ConferenceState.SCHEDULED, ConferenceState.LIVE)))).startsWith("conference " + id.shortId() + " is already ended");
        assertThat(CliErrors.conference(new NotAllowedException(id, NotAllowedException.Rule.ORGANISER_CANNOT_DECLINE)))
                .isEqualTo("the organiser cannot decline; use 'leave' or 'end'");
        assertThat(CliErrors.conference(new MemberException(null, peer, MemberException.Problem.UNKNOWN_PEER)))
                .isEqualTo("unknown peer " + peer.shortId() + "; invite only peers listed by 'peers'");
        assertThat(CliErrors.conference(new InvalidInputException(InvalidInputException.TEXT, "16385 bytes", "<= 16384 bytes")))
                .isEqualTo("text: 16385 bytes (expected: <= 16384 bytes); split it");
        assertThat(CliErrors.conference(new PeerClosedException(peer))).isEqualTo("this peer has stopped; start it again");
        assertThat(CliErrors.conference(new HomeLockedException(Path.of("/h"), 42, peer)))
                .isEqualTo("the home /h is in use by peer " + peer.shortId() + " (process 42); stop that peer first, or pass another --home");
        PeerId other = Identity.generate().id();
        assertThat(CliErrors.conference(new HomeOwnerException(Path.of("/h"), peer, other)))
                .contains("belongs to peer " + peer.shortId()).contains(other.shortId()).endsWith("pass another --home");
    }

    @Test
    void everyRuleAndProblemHasWordingAndDescribeUsesIt() {
        for (NotAllowedException.Rule r : NotAllowedException.Rule.values()) {
            assertThat(CliErrors.conference(new NotAllowedException(id, r))).doesNotContain(r.name()).isNotBlank();
        }
        for (MemberException.Problem p : MemberException.Problem.values()) {
            assertThat(CliErrors.conference(new MemberException(id, peer, p))).doesNotContain(p.name()).contains(peer.shortId());
        }
        ConferenceException e = new ConferenceNotFoundException(id);
        assertThat(CliErrors.describe(e)).isEqualTo(CliErrors.conference(e));
    }
}
