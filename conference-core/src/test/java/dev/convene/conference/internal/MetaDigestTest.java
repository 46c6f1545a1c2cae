package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.Answer;
import dev.convene.overlay.wire.WireBytes;
import dev.convene.overlay.wire.WireFormatException;
import org.junit.jupiter.api.Test;

/** The meta digest: the same for the same records whatever order they were learned in, different otherwise; bounded on the wire. */
class MetaDigestTest {
    private final byte[] key = ContentCrypto.newKey();

    @Test
    void theSameRecordsGiveTheSameDigestWhateverTheOrderTheyWereLearnedIn() {
        Conference one = Seams.aliceWithBob(key);
        Invitation carol = Fixtures.invitation(one.context, ALICE, CAROL, key);
        Reply carolAccepts = Fixtures.reply(CAROL, one.id, Answer.ACCEPT, "", 1, START);
        // The same records, one learned carol's invitation after bob's, the other before it.
        Conference two = new Conference(one.context);
        two.invitations.put(CAROL.id(), carol);
        two.invitations.putAll(one.invitations);
        one.replyLog.forEach((p, log) -> two.replyLog.put(p, new java.util.TreeMap<>(log)));
        one.invitations.put(CAROL.id(), carol);
        assertThat(MetaDigest.of(one, true).sameRecords(MetaDigest.of(two, false))).isTrue();

        one.replyLog.computeIfAbsent(CAROL.id(), a -> new java.util.TreeMap<>()).put(1, carolAccepts);
        MetaDigest differs = MetaDigest.of(one, false);
        assertThat(differs.sameRecords(MetaDigest.of(two, false))).isFalse();
        assertThat(differs.kinds().get(2).count()).isEqualTo(2); // answers: bob's and carol's
        assertThat(MetaDigest.none(one.id).sameRecords(MetaDigest.of(two, false))).isFalse();
    }

    @Test
    void roundTripsAndRefusesWhatIsOutOfBounds() {
        MetaDigest d = MetaDigest.of(Seams.aliceWithBob(key), true);
        byte[] bytes = Fixtures.encode(MetaDigest.CODEC, d);
        MetaDigest back = WireBytes.decode(MetaDigest.CODEC, bytes);
        assertThat(back.sameRecords(d)).isTrue();
        assertThat(back.answer()).isTrue();
        assertThat(bytes.length).as("a few hundred bytes, whatever the conference's size").isLessThan(400);

        byte[] badFlag = bytes.clone();
        int flagAt = Fixtures.encode(Protocol.CONFERENCE_ID, d.conference()).length;
        badFlag[flagAt] = 2;
        assertThatThrownBy(() -> WireBytes.decode(MetaDigest.CODEC, badFlag)).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> new MetaDigest.Kind(MetaDigest.MAX_COUNT + 1, new byte[32])).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> new MetaDigest.Kind(1, new byte[31])).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> new MetaDigest(d.conference(), false, d.kinds().subList(0, 7))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> WireBytes.decode(MetaDigest.CODEC, java.util.Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(WireFormatException.class);
    }

    @Test
    void onlyTheKindsThatDifferAreNamedAndSentWhenTheContextAndInvitationsMatch() {
        Conference one = Seams.aliceWithBob(key);
        Conference two = new Conference(one.context);
        two.invitations.putAll(one.invitations);
        one.replyLog.forEach((p, log) -> two.replyLog.put(p, new java.util.TreeMap<>(log)));
        assertThat(MetaDigest.of(one, false).differingKinds(MetaDigest.of(two, false))).isZero();
        assertThat(one.metaOfKinds(0, Integer.MAX_VALUE).replies()).isEmpty();

        // two lost bob's answer: only the answers differ, and only they are sent (with the context every Meta carries).
        two.replyLog.clear();
        int differing = MetaDigest.of(one, false).differingKinds(MetaDigest.of(two, false));
        assertThat(differing).isEqualTo(1 << 2);
        Meta part = one.metaOfKinds(differing, Integer.MAX_VALUE);
        assertThat(part).isNotNull();
        assertThat(part.invitations()).isEmpty();
        assertThat(part.replies()).isEqualTo(one.meta().replies()).isNotEmpty();
        assertThat(part.context()).isSameAs(one.context);
        assertThat(part.end()).isNull();
        assertThat(part.grants()).isEmpty();
        // Too large for the budget: the whole metadata (in chunks) instead.
        assertThat(one.metaOfKinds(differing, 10)).isNull();

        // Another invitation (or another context) needs the whole metadata: answers verify with the invitations' keys.
        two.replyLog.putAll(one.replyLog);
        one.invitations.put(CAROL.id(), Fixtures.invitation(one.context, ALICE, CAROL, key));
        differing = MetaDigest.of(one, false).differingKinds(MetaDigest.of(two, false));
        assertThat(differing).isEqualTo(1 << MetaDigest.INVITATIONS);
        assertThat(one.metaOfKinds(differing, Integer.MAX_VALUE)).isNull();
        assertThat(MetaDigest.none(one.id).differingKinds(MetaDigest.of(two, false)) & (1 << MetaDigest.CONTEXT)).isNotZero();
        assertThat(one.metaOfKinds(1 << MetaDigest.CONTEXT, Integer.MAX_VALUE)).isNull();
    }
}
