package dev.convene.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The creation spec: its defaults, and that each step returns a new spec. */
class NewConferenceTest {
    private static final PeerId BOB = PeerId.fromSigningKey("bob".getBytes(StandardCharsets.US_ASCII));
    private static final PeerId CAROL = PeerId.fromSigningKey("carol".getBytes(StandardCharsets.US_ASCII));

    @Test
    void byDefaultItStartsAtOnceLastsAnHourAndInvitesNobody() {
        NewConference spec = NewConference.titled("Standup");
        assertThat(spec.start()).isNull();
        assertThat(spec.startIn()).isEqualTo(Duration.ZERO);
        assertThat(spec.duration()).isEqualTo(Duration.ofHours(1));
        assertThat(spec.invitees()).isEmpty();
        assertThat(spec.agenda()).isEmpty();
        assertThat(spec.participantsMayInvite()).isFalse();
    }

    @Test
    void eachStepLeavesTheEarlierSpecUnchanged() {
        NewConference base = NewConference.titled("Standup");
        NewConference full = base.agenda("news").startingIn(Duration.ofMinutes(10)).lasting(Duration.ofMinutes(15)).invite(BOB)
                .participantsMayInvite(true);
        assertThat(base).isEqualTo(NewConference.titled("Standup"));
        assertThat(full.agenda()).isEqualTo("news");
        assertThat(full.startIn()).isEqualTo(Duration.ofMinutes(10));
        assertThat(full.duration()).isEqualTo(Duration.ofMinutes(15));
        assertThat(full.invitees()).containsExactly(BOB);
        assertThat(full.participantsMayInvite()).isTrue();
    }

    @Test
    void anExplicitStartAndADelayReplaceEachOther() {
        Instant at = Instant.parse("2030-01-01T10:00:00Z");
        NewConference explicit = NewConference.titled("T").startingIn(Duration.ofMinutes(5)).startingAt(at);
        assertThat(explicit.start()).isEqualTo(at);
        assertThat(explicit.startIn()).isEqualTo(Duration.ZERO);
        NewConference delayed = explicit.startingIn(Duration.ofMinutes(5));
        assertThat(delayed.start()).isNull();
        assertThat(delayed.startIn()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void invitingAddsToThoseAlreadyInvitedAndCopiesTheList() {
        List<PeerId> list = new ArrayList<>(List.of(BOB));
        NewConference spec = NewConference.titled("T").invite(list).invite(CAROL);
        list.clear();
        assertThat(spec.invitees()).containsExactly(BOB, CAROL);
    }
}
