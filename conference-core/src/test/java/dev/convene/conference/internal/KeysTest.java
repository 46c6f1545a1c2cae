package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Content keys driven directly: sealed in invitations, rotated and granted, opened, read under. */
class KeysTest {
    private final byte[] key = ContentCrypto.newKey();
    private final SignedContext ctx = Fixtures.signed(Fixtures.context(BOB, CAROL));

    /** The conference as Alice, its organiser, holds it: her key for epoch 0, Bob and Carol invited by her. */
    private Conference atAlice(Seams alice) {
        Conference c = new Conference(ctx);
        c.keys.put(0, key);
        for (var invitee : java.util.List.of(BOB, CAROL)) {
            Invitation inv = Fixtures.invitation(ctx, ALICE, invitee, key);
            c.invitations.put(invitee.id(), inv);
        }
        return c;
    }

    @Test
    void anInvitationSealsEveryEpochAndTheInviteeOpensThemAndHearsOfItOnce() {
        Seams alice = new Seams(ALICE);
        Conference c = atAlice(alice);
        alice.keys.rotate(c, 1);
        Conference fresh = new Conference(ctx);
        c.invitations.remove(BOB.id());
        alice.keys.addInvitation(c, new dev.convene.overlay.PeerAdvertisement(BOB.id(), "bob", BOB.signingKey(), BOB.agreementKey(),
                "memory:x", java.util.Set.of("overlay/1"), alice.clock.instant()));
        Invitation sealed = c.invitations.get(BOB.id());
        assertThat(sealed.firstEpoch()).isZero();
        assertThat(sealed.keyEpoch()).isEqualTo(1);

        Seams bob = new Seams(BOB);
        bob.keys.openKey(fresh, sealed);
        bob.keys.openKey(fresh, sealed);
        assertThat(fresh.keys.get(0)).isEqualTo(key);
        assertThat(fresh.keys.get(1)).isEqualTo(c.keys.get(1));
        assertThat(fresh.currentEpoch).isEqualTo(1);
        bob.dispatch.flushPendingEvents(fresh, null);
        assertThat(bob.heard).containsExactly("invitation from " + ALICE.id().shortId());
    }

    @Test
    void aRotationGrantsTheNewKeyToEveryInviteeAndTheyOpenIt() {
        Seams alice = new Seams(ALICE);
        Conference c = atAlice(alice);
        alice.keys.rotate(c, 1);
        assertThat(c.currentEpoch).isEqualTo(1);
        assertThat(c.keys.get(1)).isNotEqualTo(key).hasSize(ContentCrypto.KEY_LENGTH);
        assertThat(c.grants).hasSize(2);

        Seams bob = new Seams(BOB);
        Conference atBob = new Conference(ctx);
        atBob.keys.put(0, key);
        atBob.grants.putAll(c.grants);
        assertThat(bob.keys.refreshKeys(atBob)).isEmpty(); // a new epoch, not a changed one
        assertThat(atBob.keys.get(1)).isEqualTo(c.keys.get(1));
        assertThat(atBob.currentEpoch).isEqualTo(1);
    }

    @Test
    void aMessageReadsUnderItsEpochsKeyOnly() {
        Conference c = Seams.aliceWithBob(key);
        ChatMessage m = Fixtures.chat(ALICE, c.id, 1, Seams.at(1), key, "hello");
        assertThat(Keys.read(c, m)).isEqualTo("hello");
        c.keys.put(0, ContentCrypto.newKey());
        assertThat(Keys.read(c, m)).isNull();
        c.keys.clear();
        assertThat(Keys.read(c, m)).isNull();
    }
}
