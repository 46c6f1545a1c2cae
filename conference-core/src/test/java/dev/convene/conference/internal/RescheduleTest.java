package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static dev.convene.conference.internal.Fixtures.HOUR;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceStateException;
import dev.convene.conference.InvalidInputException;
import dev.convene.conference.NotAllowedException;
import dev.convene.overlay.Identity;
import dev.convene.overlay.wire.WireBytes;
import dev.convene.overlay.wire.WireFormatException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Schedule changes: which are kept, which one is in effect (the same at every peer whatever the arrival order),
 * what the signer refuses before signing, and the wire bounds.
 */
class RescheduleTest {
    private final byte[] key = ContentCrypto.newKey();
    private final SignedContext ctx = Fixtures.signed(Fixtures.context(BOB, CAROL));
    private final ConferenceId id = ctx.context().id();
    private final Invitation bobs = Fixtures.invitation(ctx, ALICE, BOB, key);
    private final Invitation carols = Fixtures.invitation(ctx, ALICE, CAROL, key);
    /** Bob is co-organiser from an hour before the start until 20 minutes after it. */
    private final RoleChange grant = role(true, 1, Duration.ofHours(-1));
    private final RoleChange revoke = role(false, 2, Duration.ofMinutes(20));

    private RoleChange role(boolean organiser, int revision, Duration after) {
        RoleChange unsigned = new RoleChange(id, BOB.id(), organiser, revision, START.plus(after), new byte[0]);
        return new RoleChange(id, BOB.id(), organiser, revision, unsigned.at(), ALICE.sign(Protocol.bytes(Protocol.ROLE_BODY, unsigned)));
    }

    static Reschedule change(Identity signer, ConferenceId id, int revision, Instant at, Instant start, Duration duration) {
        Reschedule unsigned = new Reschedule(id, signer.id(), revision, at, start, duration, new byte[0]);
        return new Reschedule(id, signer.id(), revision, at, start, duration, signer.sign(Protocol.bytes(Protocol.RESCHEDULE_BODY, unsigned)));
    }

    private Reschedule change(Identity signer, int revision, Duration at, Duration startShift, Duration duration) {
        return change(signer, id, revision, START.plus(at), START.plus(startShift), duration);
    }

    private Meta meta(List<Invitation> inv, EndNotice end, List<RoleChange> roles, List<Reschedule> changes) {
        return new Meta(ctx, inv, List.of(), end, List.of(), List.of(), roles, changes);
    }

    /** Carol, knowing the conference and Bob's grant. */
    private Seams carol(MetaMerge[] merge) {
        Seams p = new Seams(CAROL, ConferenceStore.none(), START.minus(Duration.ofMinutes(30)));
        merge[0] = new MetaMerge(p.s, p.keys, p.chat, p.dispatch, c -> { });
        merge[0].onMeta(ALICE.id(), meta(List.of(bobs, carols), null, List.of(grant), List.of()));
        return p;
    }

    /** Every order of delivery, each record in a frame of its own: the same schedule in effect. */
    @Test
    void concurrentChangesResolveTheSameWayInEveryArrivalOrder() {
        Reschedule a1 = change(ALICE, 1, Duration.ofMinutes(-20), Duration.ofMinutes(10), HOUR);
        Reschedule b1 = change(BOB, 1, Duration.ofMinutes(-20), Duration.ofMinutes(30), Duration.ofHours(2));
        Reschedule a2 = change(ALICE, 2, Duration.ofMinutes(-15), Duration.ofMinutes(45), HOUR);
        Reschedule b2 = change(BOB, 2, Duration.ofMinutes(-10), Duration.ZERO, Duration.ofMinutes(30));
        Reschedule b3late = change(BOB, 3, Duration.ofMinutes(25), Duration.ofMinutes(-5), Duration.ofHours(3)); // after his revocation
        List<Object> records = List.of(a1, b1, a2, b2, b3late, revoke);
        Set<Reschedule> winners = new HashSet<>();
        Set<String> shown = new HashSet<>();
        int orders = 0;
        for (List<Object> order : permutations(records)) {
            MetaMerge[] merge = new MetaMerge[1];
            Seams p = carol(merge);
            for (Object r : order) {
                merge[0].onMeta(ALICE.id(), r instanceof Reschedule x ? meta(List.of(), null, List.of(grant), List.of(x))
                        : meta(List.of(), null, List.of(grant, (RoleChange) r), List.of()));
            }
            Conference c = p.s.conferences.get(id);
            winners.add(c.schedule);
            shown.add(c.view(CAROL.id()).context().start() + " " + c.view(CAROL.id()).context().duration());
            orders++;
        }
        assertThat(orders).isEqualTo(720);
        // The highest (revision, instant, key) among the valid: b3 came after Bob's revocation; a2 and b2 tie on the
        // revision and b2 is later.
        assertThat(winners).containsExactly(b2);
        assertThat(shown).containsExactly(START + " PT30M");
    }

    @Test
    void aTieOnRevisionAndInstantGoesToTheGreaterSignerKeyAndOneChangeIsKeptPerSignerAndRevision() {
        Reschedule a1 = change(ALICE, 1, Duration.ofMinutes(-20), Duration.ofMinutes(10), HOUR);
        Reschedule b1 = change(BOB, 1, Duration.ofMinutes(-20), Duration.ofMinutes(30), Duration.ofHours(2));
        Reschedule expected = java.util.Arrays.compareUnsigned(ALICE.signingKey(), BOB.signingKey()) > 0 ? a1 : b1;
        for (List<Reschedule> order : List.of(List.of(a1, b1), List.of(b1, a1))) {
            MetaMerge[] merge = new MetaMerge[1];
            Seams p = carol(merge);
            order.forEach(r -> merge[0].onMeta(ALICE.id(), meta(List.of(), null, List.of(grant), List.of(r))));
            assertThat(p.s.conferences.get(id).schedule).isEqualTo(expected);
        }
        // Alice contradicting herself at one revision: each peer keeps the smaller signature, so all agree.
        Reschedule other = change(ALICE, 1, Duration.ofMinutes(-20), Duration.ofMinutes(40), HOUR);
        Reschedule smaller = java.util.Arrays.compareUnsigned(a1.signature(), other.signature()) < 0 ? a1 : other;
        for (List<Reschedule> order : List.of(List.of(a1, other), List.of(other, a1))) {
            MetaMerge[] merge = new MetaMerge[1];
            Seams p = carol(merge);
            order.forEach(r -> merge[0].onMeta(ALICE.id(), meta(List.of(), null, List.of(grant), List.of(r))));
            assertThat(p.s.conferences.get(id).scheduleRecords.values()).containsExactly(smaller);
            assertThat(p.s.counters.reschedulesRefused.sum()).isZero();
        }
    }

    @Test
    void aRevokedCoOrganisersChangeStandsIfMadeWhileItHeldTheRoleAndNotAfter() {
        Reschedule inTime = change(BOB, 1, Duration.ofMinutes(10), Duration.ZERO, Duration.ofHours(2));
        Reschedule tooLate = change(BOB, 2, Duration.ofMinutes(21), Duration.ZERO, Duration.ofHours(3));
        // The revocation arrives last (both changes were kept by then) or first (the late one is refused on arrival).
        MetaMerge[] merge = new MetaMerge[1];
        Seams first = carol(merge);
        merge[0].onMeta(ALICE.id(), meta(List.of(), null, List.of(grant), List.of(inTime, tooLate)));
        assertThat(first.s.conferences.get(id).schedule).isEqualTo(tooLate);
        merge[0].onMeta(ALICE.id(), meta(List.of(), null, List.of(grant, revoke), List.of()));
        assertThat(first.s.conferences.get(id).schedule).isEqualTo(inTime);

        Seams second = carol(merge);
        merge[0].onMeta(ALICE.id(), meta(List.of(), null, List.of(grant, revoke), List.of(tooLate, inTime)));
        assertThat(second.s.conferences.get(id).schedule).isEqualTo(inTime);
        assertThat(second.s.counters.reschedulesRefused.sum()).isEqualTo(1);
        assertThat(second.s.conferences.get(id).view(CAROL.id()).context().end()).isEqualTo(START.plus(Duration.ofHours(2)));
    }

    @Test
    void aNonOrganisersChangeAndAChangeAfterTheEndAreRefusedAndCounted() {
        MetaMerge[] merge = new MetaMerge[1];
        Seams p = carol(merge);
        Conference c = p.s.conferences.get(id);
        // Carol is a member, not an organiser: her own signed change is refused.
        merge[0].onMeta(CAROL.id(), meta(List.of(), null, List.of(), List.of(change(CAROL, 1, Duration.ofMinutes(-20), Duration.ZERO, HOUR))));
        // A change signed by Bob's key under Alice's name does not verify.
        Reschedule forged = new Reschedule(id, ALICE.id(), 1, START, START, HOUR, BOB.sign(new byte[] {1}));
        merge[0].onMeta(BOB.id(), meta(List.of(), null, List.of(), List.of(forged)));
        assertThat(c.scheduleRecords).isEmpty();
        assertThat(p.s.counters.reschedulesRefused.sum()).isEqualTo(2);

        // Ended at +10 minutes: a change dated after is refused if the end is known, void if the end comes later.
        Reschedule afterEnd = change(ALICE, 1, Duration.ofMinutes(15), Duration.ZERO, Duration.ofHours(2));
        merge[0].onMeta(ALICE.id(), meta(List.of(), null, List.of(), List.of(afterEnd)));
        assertThat(c.schedule).isEqualTo(afterEnd);
        merge[0].onMeta(ALICE.id(), meta(List.of(), Fixtures.end(ALICE, id, START.plus(Duration.ofMinutes(10))), List.of(), List.of()));
        assertThat(c.schedule).isNull();
        Seams q = carol(merge);
        merge[0].onMeta(ALICE.id(), meta(List.of(), Fixtures.end(ALICE, id, START.plus(Duration.ofMinutes(10))), List.of(), List.of(afterEnd)));
        assertThat(q.s.conferences.get(id).schedule).isNull();
        assertThat(q.s.counters.reschedulesRefused.sum()).isEqualTo(1);
    }

    @Test
    void aChangeDatedAfterTheScheduledEndDoesNotReopenTheConference() {
        Conference c = new Conference(ctx);
        Reschedule afterEnd = change(ALICE, 1, Duration.ofMinutes(61), Duration.ZERO, Duration.ofHours(3));
        c.scheduleRecords.put(Conference.scheduleKey(afterEnd), afterEnd);
        c.resolveSchedule();
        assertThat(c.schedule).isNull();
        assertThat(c.stateAt(START.plus(Duration.ofMinutes(90)))).isEqualTo(ConferenceState.ENDED);
        // Extended while it ran: the state follows the schedule in effect.
        Reschedule extend = change(ALICE, 1, Duration.ofMinutes(30), Duration.ZERO, Duration.ofHours(2));
        c.scheduleRecords.put(Conference.scheduleKey(extend), extend);
        assertThat(c.resolveSchedule()).isTrue();
        assertThat(c.stateAt(START.plus(Duration.ofMinutes(90)))).isEqualTo(ConferenceState.LIVE);
        assertThat(c.stateAt(START.plus(Duration.ofHours(2)))).isEqualTo(ConferenceState.ENDED);
        // A cancellation is judged against the start in effect.
        c.end = Fixtures.end(ALICE, id, START.minus(Duration.ofMinutes(1)));
        assertThat(c.stateAt(START)).isEqualTo(ConferenceState.CANCELLED);
    }

    @Test
    void valuesOutOfTheContextsBoundsAreRefusedOnConstructionAndOnDecode() {
        assertThatThrownBy(() -> change(ALICE, id, 1, START, START, Duration.ofDays(7).plusNanos(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> change(ALICE, id, 1, START, START, Duration.ofMinutes(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> change(ALICE, id, 1, START, ConferenceContext.LATEST.plusSeconds(1), HOUR)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> change(ALICE, id, 1, START, Instant.EPOCH.minusSeconds(1), HOUR)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> change(ALICE, id, 0, START, START, HOUR)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> change(ALICE, id, Protocol.MAX_RESCHEDULES + 1, START, START, HOUR)).isInstanceOf(IllegalArgumentException.class);
        // The latest start with the longest duration: valid, and its end is computed without overflow.
        Reschedule edge = change(ALICE, id, 1, START, ConferenceContext.LATEST, ConferenceContext.MAX_DURATION);
        assertThat(edge.end()).isEqualTo(ConferenceContext.LATEST.plus(ConferenceContext.MAX_DURATION));
        byte[] encoded = Fixtures.encode(Protocol.RESCHEDULE, edge);
        assertThat(Fixtures.encode(Protocol.RESCHEDULE, WireBytes.decode(Protocol.RESCHEDULE, encoded))).isEqualTo(encoded);
        // On the wire: a duration of Long.MAX_VALUE seconds, a negative one, a revision beyond the bound.
        for (long seconds : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, ConferenceContext.MAX_DURATION.getSeconds() + 1}) {
            byte[] bytes = Fixtures.raw(w -> w.write(id, Protocol.CONFERENCE_ID).writePeerId(ALICE.id()).writeVarInt(1).writeInstant(START)
                    .writeInstant(START).writeLong(seconds).writeVarInt(0).writeBytes(new byte[Identity.SIGNATURE_LENGTH]));
            assertThatThrownBy(() -> WireBytes.decode(Protocol.RESCHEDULE, bytes)).isInstanceOf(WireFormatException.class);
        }
        byte[] revision = Fixtures.raw(w -> w.write(id, Protocol.CONFERENCE_ID).writePeerId(ALICE.id()).writeVarInt(Protocol.MAX_RESCHEDULES + 1)
                .writeInstant(START).writeInstant(START).writeLong(60).writeVarInt(0).writeBytes(new byte[Identity.SIGNATURE_LENGTH]));
        assertThatThrownBy(() -> WireBytes.decode(Protocol.RESCHEDULE, revision)).isInstanceOf(WireFormatException.class);
    }

    @Test
    void changesTravelInMetaAndAsStoredRowsAndAnOlderHeadWithoutThemStillDecodes() {
        Conference c = new Conference(ctx);
        Reschedule r = change(ALICE, id, 1, START, START.plus(HOUR), HOUR);
        c.scheduleRecords.put(Conference.scheduleKey(r), r);
        Meta back = WireBytes.decode(Protocol.META, Fixtures.encode(Protocol.META, c.meta()));
        assertThat(back.schedules()).singleElement().extracting(Reschedule::start).isEqualTo(START.plus(HOUR));
        var rows = MetaRecords.changed(c);
        assertThat(rows).containsOnlyKeys("s/" + ALICE.id().value() + "/1");
        assertThat(MetaRecords.assemble(new Meta(ctx, List.of(), List.of(), null), rows).schedules()).singleElement()
                .extracting(x -> Fixtures.encode(Protocol.RESCHEDULE, x)).isEqualTo(Fixtures.encode(Protocol.RESCHEDULE, r));
        // A head written before schedule changes existed ends after the role changes.
        byte[] old = Fixtures.raw(w -> w.write(ctx, Protocol.SIGNED_CONTEXT).writeCollection(List.<Invitation>of(), Protocol.INVITATION)
                .writeCollection(List.<Reply>of(), Protocol.REPLY).writeBoolean(false).writeCollection(List.<Removal>of(), Protocol.REMOVAL)
                .writeCollection(List.<KeyGrant>of(), Protocol.GRANT).writeCollection(List.<RoleChange>of(), Protocol.ROLE));
        assertThat(WireBytes.decode(Protocol.STORED_META, old).schedules()).isEmpty();
        assertThatThrownBy(() -> WireBytes.decode(Protocol.META, old)).as("a frame must be whole").isInstanceOf(WireFormatException.class);
    }

    private static Operations operations(Seams p) {
        Persistence persistence = new Persistence(p.s, p.keys, p.chat);
        StateChanges changes = new StateChanges(p.s, p.dispatch, persistence);
        HistorySync sync = new HistorySync(p.s, p.chat, p.acks, 1);
        MetaMerge meta = new MetaMerge(p.s, p.keys, p.chat, p.dispatch, changes::afterChange);
        return new Operations(p.s, p.dispatch, p.keys, p.chat, sync, persistence, meta, changes);
    }

    @Test
    void theSignerRefusesNonOrganisersEndedConferencesAndBadValuesBeforeSigning() {
        Conference c = Seams.aliceWithBob(key);
        Seams bob = new Seams(BOB, ConferenceStore.none(), START.minus(Duration.ofMinutes(30)));
        bob.s.conferences.put(c.id, c);
        Operations asBob = operations(bob);
        assertThatThrownBy(() -> asBob.reschedule(c.id, null, Duration.ofHours(2))).isInstanceOf(NotAllowedException.class)
                .extracting(e -> ((NotAllowedException) e).rule()).isEqualTo(NotAllowedException.Rule.ORGANISERS_ONLY);

        Seams alice = new Seams(ALICE, ConferenceStore.none(), START.minus(Duration.ofMinutes(30)));
        Conference mine = new Conference(c.context);
        alice.s.conferences.put(mine.id, mine);
        Operations ops = operations(alice);
        assertThatThrownBy(() -> ops.reschedule(mine.id, null, null)).isInstanceOf(InvalidInputException.class)
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo(InvalidInputException.SCHEDULE);
        assertThatThrownBy(() -> ops.reschedule(mine.id, null, Duration.ofDays(8))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ops.reschedule(mine.id, null, Duration.ofSeconds(-1))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ops.reschedule(mine.id, START.minus(Duration.ofHours(2)), null)).as("in the past")
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ops.reschedule(mine.id, ConferenceContext.LATEST.plusSeconds(1), null)).isInstanceOf(InvalidInputException.class);
        assertThat(mine.scheduleRecords).isEmpty();
        assertThat(alice.heard).isEmpty();

        // Made live by the clock: it cannot start later than now.
        alice.clock.advance(Duration.ofMinutes(40));
        assertThatThrownBy(() -> ops.reschedule(mine.id, START.plus(HOUR), null)).isInstanceOf(InvalidInputException.class);
        // Ended: refused whatever the values.
        mine.end = Fixtures.end(ALICE, mine.id, START.plus(Duration.ofMinutes(10)));
        assertThatThrownBy(() -> ops.reschedule(mine.id, null, HOUR)).isInstanceOf(ConferenceStateException.class);
        assertThat(mine.scheduleRecords).isEmpty();
        assertThat(mine.ctx().start()).isEqualTo(START);
    }

    static <T> List<List<T>> permutations(List<T> items) {
        if (items.isEmpty()) return List.of(List.of());
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T head = rest.remove(i);
            for (List<T> tail : permutations(rest)) {
                List<T> p = new ArrayList<>();
                p.add(head);
                p.addAll(tail);
                out.add(p);
            }
        }
        return out;
    }
}
