package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerLookupException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DirectoryImpl}: lookup by id, name and prefix, and how joins, leaves and restarts change it. */
class DirectoryTest {
    private static final Instant T0 = Instant.parse("2026-11-03T10:00:00Z");

    private final Identity me = Identity.generate();
    private DirectoryImpl directory;

    @BeforeEach
    void setUp() {
        directory = new DirectoryImpl(me.id());
        directory.setSelf(ad(me, "me", T0));
    }

    private static PeerAdvertisement ad(Identity id, String name, Instant at) {
        return new PeerAdvertisement(id.id(), name, id.signingKey(), id.agreementKey(), "memory:" + name, Set.of(), at);
    }

    /** Puts a new peer online at a fresh address. */
    private PeerAdvertisement online(String name) {
        PeerAdvertisement ad = ad(Identity.generate(), name, T0);
        directory.put(ad, UUID.randomUUID());
        return ad;
    }

    /** Two identities whose ids share their first character: among 33 there always are (32 possible characters). */
    private static List<Identity> twoSharingAFirstCharacter() {
        Map<Character, Identity> byFirst = new HashMap<>();
        for (int i = 0; i < 33; i++) {
            Identity id = Identity.generate();
            Identity earlier = byFirst.putIfAbsent(id.id().value().charAt(0), id);
            if (earlier != null) return List.of(earlier, id);
        }
        throw new AssertionError("pigeonhole principle violated");
    }

    @Test
    void resolvesAnExactIdInAnyCase() {
        PeerAdvertisement bob = online("bob");
        assertThat(directory.resolve(bob.id().value())).isEqualTo(bob);
        assertThat(directory.resolve(bob.id().value().toUpperCase(Locale.ROOT))).isEqualTo(bob);
        assertThat(directory.resolve("  " + bob.id().value() + " ")).isEqualTo(bob);
    }

    @Test
    void resolvesANameIgnoringCase() {
        PeerAdvertisement bob = online("Bob Smith");
        online("alice");
        assertThat(directory.resolve("bob smith")).isEqualTo(bob);
        assertThat(directory.resolve("BOB SMITH")).isEqualTo(bob);
        assertThat(directory.resolve("Me").id()).isEqualTo(me.id());
    }

    @Test
    void resolvesAUniqueIdPrefix() {
        PeerAdvertisement bob = online("bob");
        online("carol");
        String shortId = bob.id().shortId();
        assertThat(directory.resolve(shortId)).isEqualTo(bob);
        assertThat(directory.resolve(shortId.toUpperCase(Locale.ROOT))).isEqualTo(bob);
    }

    @Test
    void ambiguousNameListsEveryCandidate() {
        PeerAdvertisement bob1 = online("bob");
        PeerAdvertisement bob2 = online("BOB");
        assertThatThrownBy(() -> directory.resolve("bob"))
                .isInstanceOfSatisfying(PeerLookupException.class,
                        e -> assertThat(e.candidates()).containsExactlyInAnyOrder(bob1, bob2))
                .hasMessageContaining("'bob' matches 2 peers")
                .hasMessageContaining(bob1.label()).hasMessageContaining(bob2.label())
                .hasMessageContaining("use more of the id");
    }

    @Test
    void sharedNamePrefersTheOnlyOnlinePeer() {
        PeerAdvertisement old = online("bob");
        directory.remove(directory.addressOf(old.id()));
        PeerAdvertisement current = online("bob");
        assertThat(directory.resolve("bob")).isEqualTo(current);
    }

    @Test
    void sharedNameWithBothOfflineIsAmbiguous() {
        PeerAdvertisement a = online("bob");
        PeerAdvertisement b = online("bob");
        directory.remove(directory.addressOf(a.id()));
        directory.remove(directory.addressOf(b.id()));
        assertThatThrownBy(() -> directory.resolve("bob")).isInstanceOf(PeerLookupException.class).hasMessageContaining("matches 2 peers");
    }

    @Test
    void ambiguousPrefixListsEveryCandidate() {
        List<Identity> pair = twoSharingAFirstCharacter();
        List<PeerAdvertisement> ads = new ArrayList<>();
        for (Identity id : pair) {
            PeerAdvertisement ad = ad(id, "peer" + ads.size(), T0);
            directory.put(ad, UUID.randomUUID());
            ads.add(ad);
        }
        String prefix = pair.get(0).id().value().substring(0, 1);
        assertThatThrownBy(() -> directory.resolve(prefix))
                .isInstanceOfSatisfying(PeerLookupException.class, e -> assertThat(e.candidates()).containsAll(ads))
                .hasMessageContaining("'" + prefix + "' matches");
    }

    @Test
    void unknownQueryIsAClearErrorWithNoCandidates() {
        online("bob");
        assertThatThrownBy(() -> directory.resolve("nobody here"))
                .isInstanceOfSatisfying(PeerLookupException.class, e -> assertThat(e.candidates()).isEmpty())
                .hasMessage("no known peer matches 'nobody here'; run 'peers' to list the peers you can name");
        assertThatThrownBy(() -> directory.resolve("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")).isInstanceOf(PeerLookupException.class);
        assertThatThrownBy(() -> directory.resolve("")).isInstanceOf(PeerLookupException.class);
    }

    @Test
    void aUniqueNameWinsOverAnIdPrefixThatSpellsTheSame() {
        PeerAdvertisement bob = online("bob");
        String prefix = bob.id().value().substring(0, 3);
        PeerAdvertisement named = online(prefix);
        assertThat(directory.resolve(prefix)).isEqualTo(named);
    }

    @Test
    void peersThatLeftStayKnownButNotOnline() {
        PeerAdvertisement bob = online("bob");
        Address at = directory.addressOf(bob.id());
        assertThat(directory.online()).containsExactly(bob);
        assertThat(directory.remove(at)).contains(bob);
        assertThat(directory.isOnline(bob.id())).isFalse();
        assertThat(directory.online()).isEmpty();
        assertThat(directory.known()).extracting(PeerAdvertisement::name).containsExactly("bob", "me");
        assertThat(directory.resolve("bob")).isEqualTo(bob);
        assertThat(directory.remove(at)).isEmpty();
    }

    @Test
    void joinIsReportedOnlyWhenAPeerComesOnline() {
        Identity bob = Identity.generate();
        Address first = UUID.randomUUID();
        assertThat(directory.put(ad(bob, "bob", T0), first)).isTrue();
        assertThat(directory.put(ad(bob, "bob", T0.plusSeconds(1)), first)).isFalse();
        directory.remove(first);
        assertThat(directory.put(ad(bob, "bob", T0.plusSeconds(2)), UUID.randomUUID())).isTrue();
    }

    @Test
    void restartAtANewAddressUnbindsTheOldOne() {
        Identity bob = Identity.generate();
        Address before = UUID.randomUUID();
        Address after = UUID.randomUUID();
        directory.put(ad(bob, "bob", T0), before);
        directory.put(ad(bob, "bob", T0.plusSeconds(5)), after);
        assertThat(directory.peerAt(before)).isNull();
        assertThat(directory.peerAt(after)).isEqualTo(bob.id());
        assertThat(directory.addressOf(bob.id())).isEqualTo(after);
        // The old address leaving later must not take the restarted peer offline.
        assertThat(directory.remove(before)).isEmpty();
        assertThat(directory.isOnline(bob.id())).isTrue();
    }

    @Test
    void anOlderAdvertisementArrivingLateDoesNotReplaceANewerOne() {
        Identity bob = Identity.generate();
        Address at = UUID.randomUUID();
        directory.put(ad(bob, "bob v2", T0.plusSeconds(10)), at);
        directory.put(ad(bob, "bob v1", T0), at);
        assertThat(directory.get(bob.id())).map(PeerAdvertisement::name).contains("bob v2");
    }

    @Test
    void selfIsAlwaysKnownAndOnlineButNeverListedAsOnline() {
        assertThat(directory.isOnline(me.id())).isTrue();
        assertThat(directory.get(me.id())).map(PeerAdvertisement::name).contains("me");
        assertThat(directory.online()).isEmpty();
        assertThat(directory.known()).extracting(PeerAdvertisement::name).containsExactly("me");
    }

    @Test
    void listsAreSortedByNameThenId() {
        online("carol");
        online("Alice");
        online("bob");
        assertThat(directory.online()).extracting(PeerAdvertisement::name).containsExactly("Alice", "bob", "carol");
        assertThat(directory.known()).extracting(PeerAdvertisement::name).containsExactly("Alice", "bob", "carol", "me");
    }
}
