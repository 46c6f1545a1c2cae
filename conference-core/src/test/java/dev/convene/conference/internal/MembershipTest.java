package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.Answer;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.internal.Membership.Standing;
import dev.convene.conference.internal.Membership.Verdict;
import dev.convene.overlay.Identity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The validity rule as a pure function of the membership records held, whatever order they arrived in. */
class MembershipTest {
    private static final Duration SKEW = ConferenceEngine.MAX_FUTURE;
    private final Conference c = new Conference(Fixtures.signed(Fixtures.context(BOB, CAROL)));
    private final byte[] key = ContentCrypto.newKey();

    private Reply reply(Identity who, Answer a, int revision, long sequence) {
        Reply unsigned = new Reply(c.id, who.id(), a, "", revision, START, sequence, new byte[0]);
        return new Reply(c.id, who.id(), a, "", revision, START, sequence, who.sign(Protocol.bytes(Protocol.REPLY_BODY, unsigned)));
    }

    private void hold(Reply r) {
        c.replyLog.computeIfAbsent(r.author(), a -> new TreeMap<>()).put(r.revision(), r);
    }

    private ChatMessage chat(Identity author, long seq, Duration after, int epoch) {
        return Fixtures.chat(author, author.id(), c.id, seq, new HlcTimestamp(START.plus(after).toEpochMilli(), 0), epoch, key, "m" + seq);
    }

    private List<Standing> standings(Identity who, int upTo) {
        List<Standing> out = new ArrayList<>();
        for (long s = 1; s <= upTo; s++) out.add(Membership.standing(c, who.id(), s));
        return out;
    }

    @Test
    void anInviteeIsUndecidedUntilItAcceptsAndItsMessagesBeforeALeaveStayValid() {
        assertThat(Membership.standing(c, BOB.id(), 1)).isEqualTo(Standing.UNDECIDED);
        hold(reply(BOB, Answer.ACCEPT, 1, 0));
        assertThat(standings(BOB, 3)).containsOnly(Standing.IN);
        hold(reply(BOB, Answer.LEAVE, 2, 2)); // bob posted 1 and 2, then left
        assertThat(standings(BOB, 3)).containsExactly(Standing.IN, Standing.IN, Standing.UNDECIDED);
        hold(reply(BOB, Answer.ACCEPT, 3, 2)); // and came back without posting in between
        assertThat(standings(BOB, 3)).containsOnly(Standing.IN);
    }

    @Test
    void sequencesAnAuthorUsedWhileOutAreSettledThroughTheNextAdmission() {
        hold(reply(BOB, Answer.ACCEPT, 1, 0));
        hold(reply(BOB, Answer.LEAVE, 2, 1));
        hold(reply(BOB, Answer.ACCEPT, 3, 4)); // claims 2..4 were used while out: never valid
        assertThat(standings(BOB, 5)).containsExactly(Standing.IN, Standing.OUT, Standing.OUT, Standing.OUT, Standing.IN);
        assertThat(Membership.settledThrough(c, BOB.id(), 2)).isEqualTo(4);
    }

    @Test
    void aMissingRevisionLeavesLaterAnswersUnused() {
        hold(reply(BOB, Answer.ACCEPT, 1, 0));
        hold(reply(BOB, Answer.ACCEPT, 3, 5)); // revision 2 (a leave at 1?) not here yet
        assertThat(Membership.standing(c, BOB.id(), 3)).isEqualTo(Standing.IN);
        hold(reply(BOB, Answer.LEAVE, 2, 1));
        assertThat(Membership.standing(c, BOB.id(), 3)).isEqualTo(Standing.OUT);
    }

    @Test
    void theOrganiserIsInUntilItLeavesAndARemovalCutsAtWhatTheOrganiserHeld() {
        assertThat(Membership.standing(c, ALICE.id(), 7)).isEqualTo(Standing.IN);
        hold(reply(ALICE, Answer.LEAVE, 1, 3));
        assertThat(standings(ALICE, 4)).containsExactly(Standing.IN, Standing.IN, Standing.IN, Standing.UNDECIDED);

        hold(reply(CAROL, Answer.ACCEPT, 1, 0));
        c.removals.put(CAROL.id(), Fixtures.removal(ALICE, c.id, CAROL.id(), 1, START.plus(Duration.ofMinutes(10)), 2));
        assertThat(standings(CAROL, 4)).containsExactly(Standing.IN, Standing.IN, Standing.OUT, Standing.OUT);
        assertThat(Membership.settledThrough(c, CAROL.id(), 3)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anOldEpochMessageDatedAfterARemovalIsInvalidForEveryAuthor() {
        hold(reply(BOB, Answer.ACCEPT, 1, 0));
        hold(reply(CAROL, Answer.ACCEPT, 1, 0));
        c.removals.put(CAROL.id(), Fixtures.removal(ALICE, c.id, CAROL.id(), 1, START.plus(Duration.ofMinutes(10)), 0));
        assertThat(Membership.verdict(c, chat(BOB, 1, Duration.ofMinutes(9), 0), SKEW)).isEqualTo(Verdict.VALID);
        assertThat(Membership.verdict(c, chat(BOB, 1, Duration.ofMinutes(11), 0), SKEW)).isEqualTo(Verdict.INVALID);
        assertThat(Membership.verdict(c, chat(BOB, 1, Duration.ofMinutes(11), 1), SKEW)).isEqualTo(Verdict.VALID);
        assertThat(Membership.verdict(c, chat(CAROL, 1, Duration.ofMinutes(9), 0), SKEW)).isEqualTo(Verdict.INVALID);
    }

    @Test
    void theVerdictsDoNotDependOnTheOrderTheRecordsArrivedIn() {
        List<Reply> records = List.of(reply(BOB, Answer.ACCEPT, 1, 0), reply(BOB, Answer.LEAVE, 2, 3), reply(BOB, Answer.ACCEPT, 3, 5),
                reply(BOB, Answer.DECLINE, 4, 8), reply(BOB, Answer.ACCEPT, 5, 8), reply(CAROL, Answer.DECLINE, 1, 0),
                reply(CAROL, Answer.ACCEPT, 2, 0));
        Random random = new Random(12);
        List<List<Standing>> seen = new ArrayList<>();
        for (int trial = 0; trial < 50; trial++) {
            Conference fresh = new Conference(c.context);
            List<Reply> order = new ArrayList<>(records);
            Collections.shuffle(order, random);
            for (Reply r : order) fresh.replyLog.computeIfAbsent(r.author(), a -> new TreeMap<>()).put(r.revision(), r);
            List<Standing> out = new ArrayList<>();
            for (Identity who : List.of(BOB, CAROL)) {
                for (long s = 1; s <= 10; s++) out.add(Membership.standing(fresh, who.id(), s));
            }
            seen.add(out);
        }
        assertThat(seen).allMatch(s -> s.equals(seen.get(0)));
        assertThat(seen.get(0).subList(0, 10)).containsExactly(Standing.IN, Standing.IN, Standing.IN, Standing.OUT, Standing.OUT,
                Standing.IN, Standing.IN, Standing.IN, Standing.IN, Standing.IN);
    }

    private RoleChange role(Identity who, boolean organiser, int revision, Duration after) {
        RoleChange unsigned = new RoleChange(c.id, who.id(), organiser, revision, START.plus(after), new byte[0]);
        return new RoleChange(c.id, who.id(), organiser, revision, unsigned.at(), ALICE.sign(Protocol.bytes(Protocol.ROLE_BODY, unsigned)));
    }

    @Test
    void aCoOrganisersActIsJudgedByTheRoleItHeldWhenItActed() {
        c.invitations.put(BOB.id(), Fixtures.invitation(c.context, ALICE, BOB, key));
        for (RoleChange r : List.of(role(BOB, false, 3, Duration.ofMinutes(30)), role(BOB, true, 1, Duration.ofMinutes(10)))) {
            c.roleLog.computeIfAbsent(r.peer(), p -> new TreeMap<>()).put(r.revision(), r);
        }
        // Revision 2 (a revoke at 20 min, say) has not arrived: what is known is judged by what is known.
        assertThat(c.isOrganiserAt(BOB.id(), START.plus(Duration.ofMinutes(5)))).isFalse();
        assertThat(c.isOrganiserAt(BOB.id(), START.plus(Duration.ofMinutes(15)))).isTrue();
        assertThat(c.isOrganiserAt(BOB.id(), START.plus(Duration.ofMinutes(25)))).isTrue();
        assertThat(c.isOrganiserAt(BOB.id(), START.plus(Duration.ofMinutes(35)))).isFalse();
        assertThat(c.coOrganisers()).isEmpty();
        assertThat(c.isOrganiserAt(ALICE.id(), START)).isTrue();
        assertThat(c.isOrganiserAt(CAROL.id(), START.plus(Duration.ofMinutes(15)))).as("no invitation, no role").isFalse();
    }

    private EndNotice end(Identity by, Duration after, boolean coOrganiser) {
        EndNotice unsigned = new EndNotice(c.id, START.plus(after), coOrganiser ? by.id() : null, new byte[0]);
        return new EndNotice(c.id, unsigned.at(), unsigned.signer(), by.sign(Protocol.bytes(Protocol.END_BODY, unsigned)));
    }

    @Test
    void theEarliestAuthorisedEndWinsWhateverTheOrder() {
        c.invitations.put(BOB.id(), Fixtures.invitation(c.context, ALICE, BOB, key));
        c.invitations.put(CAROL.id(), Fixtures.invitation(c.context, ALICE, CAROL, key));
        RoleChange grant = role(BOB, true, 1, Duration.ofMinutes(10));
        c.roleLog.computeIfAbsent(BOB.id(), p -> new TreeMap<>()).put(1, grant);
        EndNotice byAlice = end(ALICE, Duration.ofMinutes(30), false);
        EndNotice byBob = end(BOB, Duration.ofMinutes(20), true);
        EndNotice byBobTooEarly = end(BOB, Duration.ofMinutes(5), true); // before his role
        EndNotice byCarol = end(CAROL, Duration.ofMinutes(1), true); // never had the role
        List<EndNotice> all = List.of(byAlice, byBob, byBobTooEarly, byCarol);
        Random random = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            Conference fresh = new Conference(c.context);
            fresh.invitations.putAll(c.invitations);
            fresh.roleLog.put(BOB.id(), new TreeMap<>(c.roleLog.get(BOB.id())));
            List<EndNotice> order = new ArrayList<>(all);
            Collections.shuffle(order, random);
            order.forEach(e -> ConferenceEngine.mergeEnd(fresh, e));
            assertThat(fresh.end).isSameAs(byBob);
        }
    }
}
