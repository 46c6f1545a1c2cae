package dev.convene.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code peers} for people: fingerprints always, and a warning where a name has more than one key. */
class PeersCmdTest {
    @Test
    void aNameUsedByAnotherKeyIsFlaggedWithBothFingerprints() {
        List<PeersCmd.Row> rows = List.of(
                new PeersCmd.Row("n6uuy37pj4naagwu4vzb2zibgwtes4k3", "bob", "127.0.0.1:7800", "6fa9-4c6f-ef4f-1a00",
                        List.of(new PeersCmd.Other("xk2fqm7kbsdrq3vj4k6q2f5b7e2l3m4n", "0c1d-99e2-5a7b-3f10", false, false))),
                new PeersCmd.Row("oslk7epe6tss37wpb3u56sxut2b6jnlu", "carol", "127.0.0.1:7801", "7496-af91-e4f4-e52d", null));
        assertThat(PeersCmd.human(rows)).isEqualTo(String.format("2 peers online:"
                + "%n  bob    n6uuy37p  127.0.0.1:7800  key 6fa9-4c6f-ef4f-1a00  ! name also used by xk2fqm7k (offline) key 0c1d-99e2-5a7b-3f10;"
                + " compare fingerprints out of band"
                + "%n  carol  oslk7epe  127.0.0.1:7801  key 7496-af91-e4f4-e52d"));
    }

    @Test
    void aPeerUsingYourNameSaysSo() {
        List<PeersCmd.Row> rows = List.of(new PeersCmd.Row("n6uuy37pj4naagwu4vzb2zibgwtes4k3", "Alice", "127.0.0.1:7800",
                "6fa9-4c6f-ef4f-1a00", List.of(new PeersCmd.Other("oslk7epe6tss37wpb3u56sxut2b6jnlu", "7496-af91-e4f4-e52d", true, true))));
        assertThat(PeersCmd.human(rows)).endsWith("! name also used by you key 7496-af91-e4f4-e52d; compare fingerprints out of band");
    }
}
