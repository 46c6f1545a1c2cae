package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.UnsafeCharacterException;
import dev.convene.conference.internal.HostileBytes.RawContext;
import dev.convene.conference.internal.HostileBytes.RawMeta;
import dev.convene.overlay.wire.WireBytes;
import dev.convene.overlay.wire.WireFormatException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Every value that leads to arithmetic or reaches a reader's screen is checked when a record is decoded: signed
 * metadata that breaks a range or holds an unsafe character never becomes a record.
 */
class HostileDecodeTest {
    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

    private static RawContext context(String title, String agenda, Instant start, Instant createdAt) {
        return new RawContext(ConferenceId.derive(ALICE.signingKey(), createdAt), title, agenda, ALICE.id(), start, Duration.ofHours(1),
                List.of(BOB.id()), createdAt, 1, false);
    }

    private static void refused(RawContext c) {
        byte[] bytes = RawMeta.signedBy(ALICE, c).bytes();
        assertThatThrownBy(() -> WireBytes.decode(Protocol.META, bytes)).isInstanceOf(WireFormatException.class);
    }

    @Test
    void theContextOfIssue11IsRefusedAtDecode() {
        RawContext doom = HostileBytes.startNearInstantMax(ALICE, List.of(BOB.id()), NOW);
        byte[] bytes = RawMeta.signedBy(ALICE, doom).bytes();
        assertThatThrownBy(() -> WireBytes.decode(Protocol.META, bytes)).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("start");
    }

    @Test
    void startsAndCreationTimesOutsideTheSaneRangeAreRefused() {
        refused(context("T", "", Instant.parse("+10000-01-01T00:00:00Z"), NOW));
        refused(context("T", "", Instant.parse("1969-12-31T23:59:59Z"), NOW));
        refused(context("T", "", NOW, Instant.MIN));
        refused(context("T", "", NOW, Instant.MAX));
        assertThatCode(() -> WireBytes.decode(Protocol.META, RawMeta.signedBy(ALICE, context("T", "", ConferenceContext.LATEST,
                NOW)).bytes())).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0000, 0x0007, 0x001b, 0x007f, 0x0085, 0x200b, 0x200e, 0x202e, 0x2028, 0x2029, 0x2066, 0xfeff, 0x3164, 0xe0041})
    void titlesWithControlInvisibleOrSeparatorCharactersAreRefused(int codePoint) {
        refused(context("Pay " + Character.toString(codePoint) + "day", "", NOW, NOW));
        UnsafeCharacterException e = (UnsafeCharacterException) catchThrowable(() -> new ConferenceContext(
                ConferenceId.random(), "Pay " + Character.toString(codePoint) + "day", "", ALICE.id(), NOW, Duration.ofHours(1),
                new TreeSet<>(), NOW, 1, false));
        assertThat(e.codePoint()).isEqualTo(codePoint);
        assertThat(e.field()).isEqualTo("title");
        assertThat(e.index()).isEqualTo(4);
    }

    @Test
    void anAgendaMayHaveLinesAndTabsButNotSeparatorsOrInvisibleCharacters() {
        assertThatCode(() -> WireBytes.decode(Protocol.META, RawMeta.signedBy(ALICE, context("T", "1. a\n\t2. b — café ☕",
                NOW, NOW)).bytes())).doesNotThrowAnyException();
        refused(context("T", "1. a\u20282. b", NOW, NOW));
        refused(context("T", "1. a\r\n2. b", NOW, NOW));
        refused(context("T", "see\u200bthis", NOW, NOW));
    }

    @Test
    void aReplyReasonWithAnUnsafeCharacterOrATimeOutOfRangeIsRefused() {
        Reply ok = Fixtures.reply(BOB, ConferenceId.random(), Answer.DECLINE, "busy", 1, NOW);
        byte[] good = WireBytes.encode(Protocol.REPLY, ok, 4096);
        assertThat(WireBytes.decode(Protocol.REPLY, good).reason()).isEqualTo("busy");
        Reply hidden = Fixtures.reply(BOB, ConferenceId.random(), Answer.DECLINE, "busy\u2029really", 1, NOW);
        assertThatThrownBy(() -> WireBytes.decode(Protocol.REPLY, WireBytes.encode(Protocol.REPLY, hidden, 4096)))
                .isInstanceOf(WireFormatException.class);
        Reply late = Fixtures.reply(BOB, ConferenceId.random(), Answer.DECLINE, "busy", 1, Instant.MAX);
        assertThatThrownBy(() -> WireBytes.decode(Protocol.REPLY, WireBytes.encode(Protocol.REPLY, late, 4096)))
                .isInstanceOf(WireFormatException.class);
    }

    @Test
    void aChatTimestampBeyondTheLatestInstantIsRefused() {
        HlcTimestamp far = new HlcTimestamp(Long.MAX_VALUE, 0);
        assertThatThrownBy(() -> WireBytes.decode(Protocol.HLC, WireBytes.encode(Protocol.HLC, far, 128)))
                .isInstanceOf(WireFormatException.class);
        HlcTimestamp last = new HlcTimestamp(ConferenceContext.LATEST.toEpochMilli(), 3);
        assertThat(WireBytes.decode(Protocol.HLC, WireBytes.encode(Protocol.HLC, last, 128))).isEqualTo(last);
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("nothing thrown");
    }
}
