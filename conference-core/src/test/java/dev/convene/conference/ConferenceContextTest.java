package dev.convene.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a context accepts, and the message it gives for what it does not. */
class ConferenceContextTest {
    private static final Instant NOW = Instant.parse("2030-05-01T09:00:00Z");
    private static final PeerId ORGANISER = peer(0);
    private static final ConferenceId ID = ConferenceId.random();

    static PeerId peer(int n) {
        return PeerId.fromSigningKey(("peer-" + n).getBytes(StandardCharsets.US_ASCII));
    }

    static SortedSet<PeerId> peers(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(ConferenceContextTest::peer).collect(Collectors.toCollection(TreeSet::new));
    }

    private static ConferenceContext context(String title, String agenda, Instant start, Duration duration, SortedSet<PeerId> invitees,
                                             int version) {
        return new ConferenceContext(ID, title, agenda, ORGANISER, start, duration, invitees, NOW, version, false);
    }

    private static ConferenceContext withTitle(String title) {
        return context(title, "", NOW, Duration.ofHours(1), peers(1, 2), 1);
    }

    private static ConferenceContext startingAt(Instant start) {
        return context("Standup", "", start, Duration.ofMinutes(15), peers(1, 2), 1);
    }

    @Test
    void aValidContextKeepsItsFieldsAndEndsAfterItsDuration() {
        ConferenceContext c = context("Design review", "1. wire\n2. timings", NOW, Duration.ofMinutes(30), peers(1, 3), 1);
        assertThat(c.title()).isEqualTo("Design review");
        assertThat(c.agenda()).isEqualTo("1. wire\n2. timings");
        assertThat(c.invitees()).containsExactlyElementsOf(peers(1, 3));
        assertThat(c.end()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   \t  ", "\n"})
    void emptyOrBlankTitleIsRejected(String title) {
        assertThatThrownBy(() -> withTitle(title)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("title: empty (expected: 1-200 characters)");
    }

    @Test
    void titleIsStrippedOfSurroundingWhitespace() {
        assertThat(withTitle("  Retro \n").title()).isEqualTo("Retro");
    }

    @Test
    void titleOf200CharactersIsAccepted() {
        assertThat(withTitle("t".repeat(200)).title()).hasSize(200);
    }

    @Test
    void titleLongerThan200CharactersIsRejected() {
        assertThatThrownBy(() -> withTitle("t".repeat(201))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("title: 201 characters (expected: <= 200)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "line one\nline two", "tab\there", "bell\u0007", "esc\u001b[31mred", "del\u007f", "c1\u0085x"})
    void titleWithControlCharactersIsRejected(String title) {
        assertThatThrownBy(() -> withTitle(title)).isInstanceOf(UnsafeCharacterException.class)
                .hasMessageContaining("title: U+").hasMessageContaining("(expected: visible characters on one line)");
    }

    @Test
    void agendaOf4000CharactersIsAcceptedAndOneMoreIsRejected() {
        assertThat(context("T", "a".repeat(4000), NOW, Duration.ofHours(1), peers(1, 1), 1).agenda()).hasSize(4000);
        assertThatThrownBy(() -> context("T", "a".repeat(4001), NOW, Duration.ofHours(1), peers(1, 1), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("agenda: 4001 characters (expected: <= 4000)");
    }

    @Test
    void emptyAgendaIsAllowed() {
        assertThat(context("T", "", NOW, Duration.ofHours(1), peers(1, 1), 1).agenda()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, -3_600_000})
    void aNegativeDurationIsRejected(long millis) {
        assertThatThrownBy(() -> context("T", "", NOW, Duration.ofMillis(millis), peers(1, 1), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("duration: ")
                .hasMessageContaining("(expected: > 0");
    }

    @Test
    void aZeroDurationIsAStandingRoomWithNoScheduledEnd() {
        ConferenceContext c = context("T", "", NOW, ConferenceContext.STANDING, peers(1, 1), 1);
        assertThat(c.standing()).isTrue();
        assertThat(c.end()).isEqualTo(ConferenceContext.LATEST);
        ConferenceContext fixed = context("T", "", NOW, Duration.ofHours(1), peers(1, 1), 1);
        assertThat(fixed.standing()).isFalse();
        assertThat(fixed.end()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    }

    @Test
    void durationOfSevenDaysIsAcceptedAndLongerIsRejected() {
        assertThat(context("T", "", NOW, Duration.ofDays(7), peers(1, 1), 1).end()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        assertThatThrownBy(() -> context("T", "", NOW, Duration.ofDays(7).plusSeconds(1), peers(1, 1), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(expected: <= 7 days)");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void versionBelowOneIsRejected(int version) {
        assertThatThrownBy(() -> context("T", "", NOW, Duration.ofHours(1), peers(1, 1), version))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("version: " + version + " (expected: >= 1)");
    }

    @Test
    void organiserAmongInviteesIsRejected() {
        SortedSet<PeerId> invitees = peers(1, 2);
        invitees.add(ORGANISER);
        assertThatThrownBy(() -> context("T", "", NOW, Duration.ofHours(1), invitees, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invitees: the organiser cannot invite itself");
    }

    @Test
    void upTo256InviteesAreAcceptedAndMoreAreRejected() {
        assertThat(context("T", "", NOW, Duration.ofHours(1), peers(1, 256), 1).invitees()).hasSize(256);
        assertThatThrownBy(() -> context("T", "", NOW, Duration.ofHours(1), peers(1, 257), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invitees: 257 (expected: <= 256)");
    }

    @Test
    void noInviteesIsAllowed() {
        assertThat(context("Solo", "", NOW, Duration.ofHours(1), new TreeSet<>(), 1).invitees()).isEmpty();
    }

    @Test
    void inviteesAreCopiedAndCannotBeChangedAfterwards() {
        SortedSet<PeerId> source = peers(1, 2);
        ConferenceContext c = context("T", "", NOW, Duration.ofHours(1), source, 1);
        source.add(peer(9));
        assertThat(c.invitees()).containsExactlyElementsOf(peers(1, 2));
        assertThatThrownBy(() -> c.invitees().add(peer(10))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void newConferenceStartingNowOrLaterIsAccepted() {
        assertThatCode(() -> startingAt(NOW).validateNew(NOW)).doesNotThrowAnyException();
        assertThatCode(() -> startingAt(NOW.plus(Duration.ofDays(30))).validateNew(NOW)).doesNotThrowAnyException();
    }

    @Test
    void newConferenceStartingSlightlyInThePastIsAccepted() {
        assertThatCode(() -> startingAt(NOW.minusSeconds(30)).validateNew(NOW)).doesNotThrowAnyException();
        assertThatCode(() -> startingAt(NOW.minus(Duration.ofMinutes(5))).validateNew(NOW)).doesNotThrowAnyException();
    }

    @Test
    void newConferenceStartingMoreThanFiveMinutesAgoIsRejected() {
        Instant start = NOW.minus(Duration.ofMinutes(5)).minusMillis(1);
        assertThatThrownBy(() -> startingAt(start).validateNew(NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("start: " + start + " is in the past");
        assertThatThrownBy(() -> startingAt(NOW.minus(Duration.ofDays(1))).validateNew(NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withInviteesAddsThePeersAndBumpsTheVersion() {
        ConferenceContext v1 = context("T", "agenda", NOW, Duration.ofHours(1), peers(1, 2), 1);
        ConferenceContext v2 = v1.withInvitees(List.of(peer(3), peer(4)));
        assertThat(v2.invitees()).containsExactlyElementsOf(peers(1, 4));
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.withInvitees(List.of(peer(5))).version()).isEqualTo(3);
        assertThat(v2).usingRecursiveComparison().ignoringFields("invitees", "version").isEqualTo(v1);
        assertThat(v1.invitees()).containsExactlyElementsOf(peers(1, 2));
    }

    @Test
    void withInviteesNeverAddsTheOrganiser() {
        ConferenceContext v2 = withTitle("T").withInvitees(List.of(ORGANISER, peer(7)));
        assertThat(v2.invitees()).doesNotContain(ORGANISER).contains(peer(7));
        assertThat(v2.version()).isEqualTo(2);
    }

    @Test
    void withInviteesOfSomeoneAlreadyInvitedKeepsOneEntry() {
        ConferenceContext v2 = withTitle("T").withInvitees(Set.of(peer(1)));
        assertThat(v2.invitees()).containsExactlyElementsOf(peers(1, 2));
    }

    @Test
    void withInviteesBeyond256IsRejected() {
        ConferenceContext full = context("T", "", NOW, Duration.ofHours(1), peers(1, 256), 1);
        assertThatThrownBy(() -> full.withInvitees(List.of(peer(999)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invitees: 257 (expected: <= 256)");
    }
}
