package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.Answer;
import dev.convene.overlay.RejectedMessageException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metadata merge driven directly: what makes a conference known, which records are kept, what is handed on. */
class MetaMergeTest {
    private final byte[] key = ContentCrypto.newKey();
    private final SignedContext ctx = Fixtures.signed(Fixtures.context(BOB, CAROL));
    private final Seams bob = new Seams(BOB);
    private final List<Conference> changed = new ArrayList<>();
    private final MetaMerge merge = new MetaMerge(bob.s, bob.keys, bob.chat, bob.dispatch, changed::add);

    @Test
    void aValidInvitationMakesTheConferenceKnownOpensItsKeyAndHandsTheChangeOn() {
        merge.onMeta(ALICE.id(), new Meta(ctx, List.of(Fixtures.invitation(ctx, ALICE, BOB, key)), List.of(), null));
        Conference c = bob.s.conferences.get(ctx.context().id());
        assertThat(c).isNotNull();
        assertThat(bob.s.readable).containsKey(c.id);
        assertThat(c.keys.get(0)).isEqualTo(key);
        assertThat(changed).containsExactly(c);
    }

    @Test
    void aConferenceWithoutAValidInvitationForThisPeerIsRefusedAndItsEventsDropped() {
        SignedContext withoutBob = Fixtures.signed(Fixtures.context(CAROL));
        var forged = Fixtures.signedBy(MALLORY, Fixtures.invitation(withoutBob, ALICE, BOB, key));
        assertThatThrownBy(() -> merge.onMeta(MALLORY.id(), new Meta(withoutBob, List.of(forged), List.of(), null)))
                .isInstanceOf(RejectedMessageException.class);
        assertThat(bob.s.conferences).isEmpty();
        assertThat(changed).isEmpty();
        bob.dispatch.flushPendingEvents(new Conference(withoutBob), null);
        assertThat(bob.heard).isEmpty();
    }

    @Test
    void anAnswerIsTakenOnlyAboveTheKnownRevisionAndOnlyFromAMember() {
        merge.onMeta(ALICE.id(), new Meta(ctx, List.of(Fixtures.invitation(ctx, ALICE, BOB, key),
                Fixtures.invitation(ctx, ALICE, CAROL, key)), List.of(), null));
        Conference c = bob.s.conferences.get(ctx.context().id());
        Reply accept = Fixtures.reply(CAROL, c.id, Answer.ACCEPT, "", 1, START);
        merge.mergeReplies(c, List.of(accept), CAROL.id());
        merge.mergeReplies(c, List.of(Fixtures.reply(CAROL, c.id, Answer.DECLINE, "", 1, START)), CAROL.id());
        assertThat(c.replies.get(CAROL.id())).isSameAs(accept);
        assertThat(c.participants()).contains(CAROL.id());

        Reply later = Fixtures.reply(CAROL, c.id, Answer.DECLINE, "", 2, START);
        merge.mergeReplies(c, List.of(later), CAROL.id());
        assertThat(c.replies.get(CAROL.id())).isSameAs(later);
        assertThat(c.replyLog.get(CAROL.id())).containsOnlyKeys(1, 2);

        merge.mergeReplies(c, List.of(Fixtures.reply(MALLORY, c.id, Answer.ACCEPT, "", 1, START)), MALLORY.id());
        assertThat(c.replies).doesNotContainKey(MALLORY.id());
    }
}
