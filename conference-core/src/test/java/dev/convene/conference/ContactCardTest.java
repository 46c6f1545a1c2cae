package dev.convene.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.ContactCard;
import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Inviting a colleague who has never been online: a contact card exchanged out of band. */
class ContactCardTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final String cluster = "card-" + UUID.randomUUID();

    private OverlayConfig config(String name, Path home) {
        return OverlayConfig.builder(name).mode(NetworkMode.MEMORY).cluster(cluster).home(home).build();
    }

    @Test
    @Timeout(60)
    void aPeerNeverSeenOnlineIsInvitedFromItsCardAndGetsTheInvitationWhenItComesOnline(@TempDir Path dir) throws Exception {
        Identity carolKeys = Identity.generate();
        String card = ContactCard.create(carolKeys, "carol", Instant.now()); // made before carol ever starts
        ConferenceId id;
        try (ConferencePeer alice = ConferencePeer.builder(config("alice", dir.resolve("alice")), Identity.loadOrCreate(dir.resolve("alice"))).start()) {
            PeerAdvertisement carol = alice.addContact(card).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(carol.id()).isEqualTo(carolKeys.id());
            assertThat(alice.directory().isOnline(carol.id())).isFalse();
            id = alice.create(NewConference.titled("Onboarding").invite(carol.id())).join().id();
        }
        // alice restarts (the contact is kept), then carol comes online for the first time
        try (ConferencePeer alice = ConferencePeer.builder(config("alice", dir.resolve("alice")), Identity.loadOrCreate(dir.resolve("alice")))
                     .start()) {
            assertThat(alice.directory().get(carolKeys.id())).isPresent();
            CompletableFuture<ConferenceView> invited = new CompletableFuture<>();
            try (ConferencePeer carol = ConferencePeer.builder(config("carol", dir.resolve("carol")), carolKeys)
                    .listener(new ConferenceListener() {
                        @Override
                        public void invitation(ConferenceView conference, PeerId inviter) {
                            invited.complete(conference);
                        }
                    }).start()) {
                assertThat(invited.get(WAIT.toSeconds(), TimeUnit.SECONDS).id()).isEqualTo(id);
                assertThat(ContactCard.parse(carol.contactCard()).id()).isEqualTo(carol.self());
            }
        }
    }

    @Test
    void forgedTruncatedAndForeignCardsAreRefused() {
        Identity keys = Identity.generate();
        String card = ContactCard.create(keys, "carol", Instant.parse("2026-11-28T00:00:00Z"));
        assertThat(ContactCard.parse("  " + card + "\n").name()).isEqualTo("carol");
        assertThatThrownBy(() -> ContactCard.parse("hello")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not start");
        assertThatThrownBy(() -> ContactCard.parse(card.substring(0, card.length() - 10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContactCard.parse(ContactCard.PREFIX + "x".repeat(ContactCard.MAX_LENGTH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("characters");
        // one changed character in the signed part: the signature no longer verifies (or the advertisement breaks)
        int at = ContactCard.PREFIX.length() + 40;
        String forged = card.substring(0, at) + (card.charAt(at) == 'A' ? 'B' : 'A') + card.substring(at + 1);
        assertThatThrownBy(() -> ContactCard.parse(forged)).isInstanceOf(IllegalArgumentException.class);
    }
}
