package dev.convene.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawGroupTest {
    /** The baseline keeps JGroups' default Nagle setting (its best throughput); everything else is Convene's stack. */
    @Test
    void rawTcpKeepsNagleAndOtherwiseRunsConvenesStack() {
        OverlayConfig config = ConveneGroup.config("r0", NetworkMode.LOCAL, "raw-test", 24100, 4).build();
        String convene = dev.convene.overlay.internal.Stacks.xml(config, List.of());
        String raw = RawGroup.xml(config);
        assertThat(convene).contains(" tcp_nodelay=\"true\"");
        assertThat(raw).contains(" tcp_nodelay=\"false\"").doesNotContain("tcp_nodelay=\"true\"");
        assertThat(raw.replace(" tcp_nodelay=\"false\"", " tcp_nodelay=\"true\"")).isEqualTo(convene);
    }
}
