package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An embedding application's JVM is its own: starting and closing peers leaves no JVM-wide filter behind. */
class NoProcessWideStateTest {
    @Test
    @Timeout(60)
    void startingPeersInstallsNoSerializationFilter() throws Exception {
        ObjectInputFilter before = ObjectInputFilter.Config.getSerialFilter();
        try (TestCluster cluster = TestCluster.memory()) {
            cluster.start("a");
            cluster.start("b");
            TestCluster.awaitFullDirectory(java.time.Duration.ofSeconds(30), cluster.peers());
        }
        assertThat(ObjectInputFilter.Config.getSerialFilter()).isSameAs(before);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ArrayList<>(List.of("host", "data")));
        }
        if (before == null) {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                assertThat(in.readObject()).isEqualTo(List.of("host", "data"));
            }
        }
    }
}
