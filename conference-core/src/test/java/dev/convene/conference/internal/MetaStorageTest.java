package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.HOUR;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.MutableClock;
import dev.convene.conference.RecordingListener;
import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 7: a change to a large conference's metadata writes what changed, not the whole metadata, and
 * a restart from the store brings all of it back. Engine driven directly, with a real store.
 */
class MetaStorageTest {
    private static final int INVITEES = 200;
    private static final int REPLIES = 50;
    @TempDir
    Path home;
    private final MutableClock clock = new MutableClock(START.minus(Duration.ofMinutes(10)));

    private ConferenceEngine bob() {
        ConferenceEngine e = new ConferenceEngine(BOB, home, clock, Runnable::run, List.of(new RecordingListener()), Duration.ofSeconds(1),
                Duration.ofHours(1));
        e.restore();
        return e;
    }

    @Test
    void aReplyToALargeConferenceWritesTheReplyNotTheWholeMetadataAndAllOfItComesBack() {
        List<Identity> invitees = new ArrayList<>(List.of(BOB));
        for (int i = 1; i < INVITEES; i++) invitees.add(Identity.generate());
        SignedContext ctx = Fixtures.signed(Fixtures.context(ALICE, START, HOUR, "All hands", "a".repeat(2000),
                invitees.stream().map(Identity::id).toList(), 1));
        ConferenceId id = ctx.context().id();
        byte[] key = ContentCrypto.newKey();
        List<Invitation> all = invitees.stream().map(p -> Fixtures.invitation(ctx, ALICE, p, key)).toList();
        ConferenceEngine bob = bob();
        bob.onMeta(ALICE.id(), new Meta(ctx, all, List.of(), null));
        long whole = bob.metaBytesWritten();
        assertThat(whole).as("the first save holds every invitation").isGreaterThan(INVITEES * 2000L);

        for (int i = 1; i <= REPLIES; i++) {
            bob.onMeta(ALICE.id(), new Meta(ctx, List.of(), List.of(Fixtures.reply(invitees.get(i), id, Answer.ACCEPT, "", 1,
                    clock.instant())), null));
        }
        long perReply = (bob.metaBytesWritten() - whole) / REPLIES;
        assertThat(perReply).as("bytes written per reply (the whole metadata is %d)", whole).isLessThan(1024);
        bob.closeStore();

        ConferenceEngine again = bob();
        ConferenceView v = again.view(id);
        assertThat(v.invitees()).hasSize(INVITEES);
        assertThat(v.participants()).hasSize(REPLIES + 1);
        assertThat(v.context().agenda()).hasSize(2000);
        again.closeStore();
    }
}
