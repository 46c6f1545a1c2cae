package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.wire.WireFormatException;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NameConflictsTest {
    private static PeerAdvertisement ad(String name) {
        Identity id = Identity.generate();
        return new PeerAdvertisement(id.id(), name, id.signingKey(), id.agreementKey(), "memory:x", Set.of(), Instant.EPOCH);
    }

    @Test
    void lookAlikeNamesShareASkeleton() {
        assertThat(NameConflicts.skeleton("bob")).isEqualTo(NameConflicts.skeleton("BOB"));
        assertThat(NameConflicts.skeleton("paypal")).isEqualTo(NameConflicts.skeleton("раураl")); // Cyrillic р, а, у
        assertThat(NameConflicts.skeleton("alice")).isEqualTo(NameConflicts.skeleton("aIice")); // capital I for l
        assertThat(NameConflicts.skeleton("bob")).isNotEqualTo(NameConflicts.skeleton("bobby"));
    }

    @Test
    void eachNewcomerUnderANameIsReportedOnceAgainstTheFirstAndBookkeepingIsLinear() {
        NameConflicts names = new NameConflicts();
        DirectoryImpl directory = new DirectoryImpl(Identity.generate().id());
        PeerAdvertisement first = ad("bob");
        directory.addKnown(first);
        names.register(first);
        int reports = 0;
        for (int i = 0; i < 1000; i++) {
            PeerAdvertisement next = ad(i % 2 == 0 ? "BOB" : "bоb"); // the second has a Cyrillic о
            directory.addKnown(next);
            var conflicts = names.add(next, directory);
            assertThat(conflicts).singleElement().isEqualTo(first);
            reports++;
            assertThat(names.add(next, directory)).as("the same identity again").isEmpty();
        }
        assertThat(reports).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bo\u200Bb", "\u202Ebob", "bob\u2028", "bob\u2029x", "b\u2066ob", "\uFEFFbob", "bo\u00ADb", "b\u200Dob"})
    void invisibleAndSeparatorCharactersAreRefusedInNamesAtDecode(String name) {
        assertThatThrownBy(() -> OverlayMessages.visible(name)).isInstanceOf(WireFormatException.class);
    }

    @Test
    void ordinaryNamesInAnyScriptPass() {
        assertThat(OverlayMessages.visible("Zoë 李 Ольга")).isEqualTo("Zoë 李 Ольга");
    }
}
