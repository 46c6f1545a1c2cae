package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.Answer;
import dev.convene.overlay.wire.WireCodec;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link MetaDigest#of} keeps each kind's hash while its records are the same objects ({@link MetaDigest.Cache}): after
 * every kind of metadata change (a record added, replaced by another under the same key, removed, a nested log changed
 * in place, the context replaced) the digest is the one computed from scratch over {@link Conference#meta()}, and it
 * differs from the digest before the change. Replacing a record by an equal copy changes nothing.
 */
class MetaDigestCacheTest {
    private final byte[] key = ContentCrypto.newKey();

    @Test
    void aCachedDigestFollowsEveryKindOfMetadataChange() throws Exception {
        Conference c = Seams.aliceWithBob(key);
        List<String> changes = new ArrayList<>();
        MetaDigest[] last = {check(c)};
        Consumer<String> changed = what -> {
            MetaDigest now;
            try {
                now = check(c);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertThat(now.sameRecords(last[0])).as("the digest after: " + what).isFalse();
            changes.add(what);
            last[0] = now;
        };

        // Invitations: one added, one replaced under the same key (same count), one removed and another added (same count).
        c.invitations.put(CAROL.id(), Fixtures.invitation(c.context, ALICE, CAROL, key));
        changed.accept("an invitation added");
        c.invitations.put(CAROL.id(), Fixtures.invitation(c.context, ALICE, CAROL, key));
        changed.accept("an invitation replaced");
        c.invitations.remove(CAROL.id());
        c.invitations.put(MALLORY.id(), Fixtures.invitation(c.context, ALICE, MALLORY, key));
        changed.accept("an invitation removed, another added");

        // Answers: a new member's, a new revision in an existing log, one replaced at the same revision, a log cleared.
        c.replyLog.computeIfAbsent(MALLORY.id(), a -> new TreeMap<>()).put(1, Fixtures.reply(MALLORY, c.id, Answer.ACCEPT, "", 1, START));
        changed.accept("an answer of a new member");
        c.replyLog.get(BOB.id()).put(2, Fixtures.reply(BOB, c.id, Answer.DECLINE, "", 2, START.plusSeconds(1)));
        changed.accept("a new revision of an answer");
        c.replyLog.get(BOB.id()).put(2, Fixtures.reply(BOB, c.id, Answer.DECLINE, "busy", 2, START.plusSeconds(1)));
        changed.accept("an answer replaced at the same revision");
        c.replyLog.get(MALLORY.id()).clear();
        changed.accept("a member's answers cleared in place");

        // The end, removals, grants, role and schedule changes.
        c.end = Fixtures.end(ALICE, c.id, START.plusSeconds(60));
        changed.accept("the end");
        c.end = Fixtures.end(ALICE, c.id, START.plusSeconds(61));
        changed.accept("another end");
        c.end = null;
        changed.accept("no end");
        c.removalRecords.add(Fixtures.removal(ALICE, c.id, MALLORY.id(), 1, START.plusSeconds(2)));
        changed.accept("a removal");
        c.removalRecords.set(0, Fixtures.removal(ALICE, c.id, MALLORY.id(), 1, START.plusSeconds(3)));
        changed.accept("a removal replaced");
        KeyGrant g = Fixtures.grant(ALICE, c.id, BOB, 1, ContentCrypto.newKey());
        c.grants.put(g.slot(), g);
        changed.accept("a grant");
        c.grants.put(g.slot(), Fixtures.grant(ALICE, c.id, BOB, 1, ContentCrypto.newKey()));
        changed.accept("a grant replaced in its slot");
        c.roleLog.computeIfAbsent(BOB.id(), p -> new TreeMap<>()).put(1, role(c, BOB, true, 1));
        changed.accept("a role change");
        c.roleLog.get(BOB.id()).put(2, role(c, BOB, false, 2));
        changed.accept("a second role change in the same log");
        Reschedule r = reschedule(c, 1, Duration.ofHours(2));
        c.scheduleRecords.put(Conference.scheduleKey(r), r);
        changed.accept("a schedule change");
        c.scheduleRecords.put(Conference.scheduleKey(r), reschedule(c, 1, Duration.ofHours(3)));
        changed.accept("a schedule change replaced under its key");

        // The context: a new version.
        c.context = SignedContext.sign(c.ctx().withInvitees(List.of(CAROL.id())), ALICE);
        changed.accept("a new context");
        assertThat(changes).hasSize(19);

        // The same records as equal copies (as after a restart): the same digest.
        MetaDigest before = MetaDigest.of(c, false);
        Invitation bob = c.invitations.get(BOB.id());
        Invitation copy = dev.convene.overlay.wire.WireBytes.decode(Protocol.INVITATION, Protocol.bytes(Protocol.INVITATION, bob));
        assertThat(copy).isNotSameAs(bob);
        c.invitations.put(BOB.id(), copy);
        assertThat(check(c).sameRecords(before)).isTrue();
    }

    /** The digest {@link MetaDigest#of} gives, asserted equal to one computed from scratch over {@code c.meta()}. */
    private static MetaDigest check(Conference c) throws Exception {
        MetaDigest cached = MetaDigest.of(c, false);
        Meta m = c.meta();
        List<MetaDigest.Kind> kinds = List.of(
                kind(List.of(m.context()), Protocol.SIGNED_CONTEXT),
                kind(m.invitations(), Protocol.INVITATION),
                kind(m.replies(), Protocol.REPLY),
                kind(m.end() == null ? List.of() : List.of(m.end()), Protocol.END),
                kind(m.removals(), Protocol.REMOVAL),
                kind(m.grants(), Protocol.GRANT),
                kind(m.roles(), Protocol.ROLE),
                kind(m.schedules(), Protocol.RESCHEDULE));
        assertThat(cached.kinds()).as("the cached digest against one from scratch").isEqualTo(kinds);
        // Asked again with nothing changed: the same.
        assertThat(MetaDigest.of(c, true).kinds()).isEqualTo(kinds);
        return cached;
    }

    /** A kind as PROTOCOL.md defines it: the count, and the SHA-256 over the sorted SHA-256s of the records' encodings. */
    private static <T> MetaDigest.Kind kind(List<T> records, WireCodec<T> codec) throws Exception {
        List<byte[]> hashes = new ArrayList<>();
        for (T r : records) hashes.add(MessageDigest.getInstance("SHA-256").digest(Protocol.bytes(codec, r)));
        hashes.sort(Arrays::compareUnsigned);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        hashes.forEach(sha::update);
        return new MetaDigest.Kind(records.size(), sha.digest());
    }

    private static RoleChange role(Conference c, dev.convene.overlay.Identity who, boolean organiser, int revision) {
        RoleChange unsigned = new RoleChange(c.id, who.id(), organiser, revision, START.plusSeconds(revision), new byte[0]);
        return new RoleChange(c.id, who.id(), organiser, revision, unsigned.at(), ALICE.sign(Protocol.bytes(Protocol.ROLE_BODY, unsigned)));
    }

    private static Reschedule reschedule(Conference c, int revision, Duration duration) {
        Reschedule unsigned = new Reschedule(c.id, ALICE.id(), revision, START, START, duration, new byte[0]);
        return new Reschedule(c.id, ALICE.id(), revision, START, START, duration, ALICE.sign(Protocol.bytes(Protocol.RESCHEDULE_BODY, unsigned)));
    }
}
