package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.TestMessages.Note;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Timeout;

/**
 * The optional transport encryption ({@link OverlayConfig.Builder#transportKey}), run on SHARED_LOOPBACK and on
 * real loopback TCP: members with the key form a group and talk; what leaves a member's stack is ciphertext;
 * a process with no key, or another key, never gets into the group and receives nothing.
 */
@Timeout(120)
class TransportEncryptionClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Copies every payload a member hands to its transport: what a network eavesdropper could capture. */
    static final class WireTap extends Protocol {
        private final List<byte[]> payloads = new CopyOnWriteArrayList<>();

        @Override
        public Object down(Message msg) {
            if (msg.hasArray()) payloads.add(Arrays.copyOfRange(msg.getArray(), msg.getOffset(), msg.getOffset() + msg.getLength()));
            return down_prot.down(msg);
        }

        boolean carried(byte[] needle) {
            return payloads.stream().anyMatch(p -> indexOf(p, needle) >= 0);
        }

        static void attach(Overlay overlay, WireTap tap) throws Exception {
            ProtocolStack stack = OverlayTestHooks.core(overlay).channel().getProtocolStack();
            stack.insertProtocol(tap, ProtocolStack.Position.ABOVE, stack.getTransport().getClass());
        }

        private static int indexOf(byte[] hay, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= hay.length; i++) {
                for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
                return i;
            }
            return -1;
        }
    }

    static Stream<Arguments> transports() {
        return Stream.of(Arguments.of("memory", (Supplier<TestCluster>) TestCluster::memory),
                Arguments.of("tcp", (Supplier<TestCluster>) TestCluster::tcp));
    }

    private static Overlay start(TestCluster cluster, String name, TransportKey key, Inbox inbox) {
        return cluster.start(cluster.config(name, null).transportKey(key).build(), Identity.generate(),
                b -> b.handle(TestMessages.NOTE, inbox));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void membersWithTheSameKeyFormAGroupAndWhatTheyCarryIsCiphertext(String transport, Supplier<TestCluster> clusters) throws Exception {
        TransportKey key = TransportKey.generate();
        try (TestCluster cluster = clusters.get()) {
            Inbox atAlice = new Inbox();
            Inbox atBob = new Inbox();
            Inbox atCarol = new Inbox();
            Overlay alice = start(cluster, "alice", key, atAlice);
            Overlay bob = start(cluster, "bob", key, atBob);
            Overlay carol = start(cluster, "carol", key, atCarol);
            TestCluster.awaitFullDirectory(WAIT, List.of(alice, bob, carol));
            WireTap tap = new WireTap();
            WireTap.attach(alice, tap);

            String secret = "agenda item 7: the merger with Initech";
            alice.broadcast(new Note(1, secret));
            bob.send(alice.self(), new Note(2, "noted"));
            atBob.await(WAIT, alice.self(), secret);
            atCarol.await(WAIT, alice.self(), secret);
            atAlice.await(WAIT, bob.self(), "noted");

            assertThat(alice.stackDescription()).contains("<SYM_ENCRYPT");
            Protocol encrypt = OverlayTestHooks.core(alice).channel().getProtocolStack().findProtocol(SYM_ENCRYPT.class);
            assertThat(encrypt).isNotNull();
            assertThat(tap.payloads).isNotEmpty();
            assertThat(tap.carried(secret.getBytes(StandardCharsets.UTF_8))).as("plaintext on the wire").isFalse();
            assertThat(tap.carried(alice.identity().signingKey())).as("the signer's key, clear in every frame").isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void withoutTheKeyTheSameNoteCrossesTheWireInClear(String transport, Supplier<TestCluster> clusters) throws Exception {
        // The control for the test above: the tap does see plaintext when nothing encrypts it.
        try (TestCluster cluster = clusters.get()) {
            Inbox atBob = new Inbox();
            Overlay alice = start(cluster, "alice", null, new Inbox());
            Overlay bob = start(cluster, "bob", null, atBob);
            TestCluster.awaitFullDirectory(WAIT, List.of(alice, bob));
            WireTap tap = new WireTap();
            WireTap.attach(alice, tap);

            String text = "agenda item 7: the merger with Initech";
            alice.send(bob.self(), new Note(1, text));
            atBob.await(WAIT, alice.self(), text);

            assertThat(alice.stackDescription()).doesNotContain("SYM_ENCRYPT");
            assertThat(tap.carried(text.getBytes(StandardCharsets.UTF_8))).isTrue();
        }
    }

    static Stream<Arguments> outsiders() {
        return transports().flatMap(t -> Stream.of(
                Arguments.of(t.get()[0], t.get()[1], "no key", null),
                Arguments.of(t.get()[0], t.get()[1], "another key", TransportKey.generate())));
    }

    @ParameterizedTest(name = "{0}, {2}")
    @MethodSource("outsiders")
    void aProcessWithoutTheGroupsKeyNeverJoinsNorReceivesAnything(String transport, Supplier<TestCluster> clusters, String what,
                                                                 TransportKey outsiderKey) {
        TransportKey key = TransportKey.generate();
        try (TestCluster cluster = clusters.get()) {
            Inbox atAlice = new Inbox();
            Inbox atBob = new Inbox();
            Inbox atOutsider = new Inbox();
            Overlay alice = start(cluster, "alice", key, atAlice);
            Overlay bob = start(cluster, "bob", key, atBob);
            TestCluster.awaitFullDirectory(WAIT, List.of(alice, bob));

            // Discovery is in clear, so the outsider finds the group; its join requests are dropped, and after
            // GMS's join attempts it gives up and starts a group of its own.
            Overlay outsider = start(cluster, "outsider", outsiderKey, atOutsider);
            JChannel channel = OverlayTestHooks.core(outsider).channel();
            assertThat(channel.getView().size()).as("outsider's view").isEqualTo(1);

            alice.broadcast(new Note(1, "members only"));
            bob.send(alice.self(), new Note(2, "still just us"));
            atBob.await(WAIT, alice.self(), "members only");
            atAlice.await(WAIT, bob.self(), "still just us");

            assertThat(alice.stats().members()).isEqualTo(2);
            assertThat(bob.stats().members()).isEqualTo(2);
            assertThat(alice.directory().online()).extracting(PeerAdvertisement::id).containsExactly(bob.self());
            assertThat(alice.directory().get(outsider.self())).isEmpty();
            assertThat(outsider.directory().online()).isEmpty();
            // A frame may reach the outsider's transport (JGroups traffic of the group it tried to join, encrypted
            // under a key it lacks: what a sniffer sees); none may be accepted or delivered.
            OverlayStats seen = outsider.stats();
            assertThat(seen.framesDelivered()).as("frames delivered at the outsider (drops %s)", seen.drops()).isZero();
            assertThat(seen.receivedByType()).as("frames authenticated at the outsider (drops %s)", seen.drops()).isEmpty();
            assertThat(atOutsider.all()).isEmpty();
        }
    }
}
