package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Configuration values: defaults that stay on this machine, and errors that say what was expected. */
class OverlayConfigTest {
    @Test
    void defaultsAreLocalModeOnLoopback() {
        OverlayConfig c = OverlayConfig.builder("alice").build();
        assertThat(c.mode()).isEqualTo(NetworkMode.LOCAL);
        assertThat(c.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(OverlayConfig.DEFAULT_PORT);
        assertThat(c.maxFrameBytes()).isEqualTo(OverlayConfig.DEFAULT_MAX_FRAME);
        assertThat(c.multicastTtl()).isZero();
    }

    @Test
    void multicastLeavesTheHostOnlyWhenBoundElsewhere() {
        assertThat(OverlayConfig.builder("a").mode(NetworkMode.LAN).build().multicastTtl()).isZero();
        assertThat(OverlayConfig.builder("a").mode(NetworkMode.LAN).bindAddress("192.0.2.1").build().multicastTtl()).isEqualTo(1);
        assertThat(OverlayConfig.builder("a").mode(NetworkMode.LAN).build().port()).isEqualTo(45600);
    }

    @Test
    void seedsAndRelayModesNeedTheirAddresses() {
        assertThatThrownBy(() -> OverlayConfig.builder("a").mode(NetworkMode.SEEDS).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--seed HOST:PORT");
        assertThatThrownBy(() -> OverlayConfig.builder("a").mode(NetworkMode.RELAY).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--router HOST:PORT");
    }

    @Test
    void outOfRangeValuesSayWhatWasExpected() {
        assertThatThrownBy(() -> OverlayConfig.builder("a").port(70000).build()).hasMessage("port: 70000 (expected: 0-65535)");
        assertThatThrownBy(() -> OverlayConfig.builder("a").maxFrameBytes(100).build()).hasMessageContaining("expected: 4096 - 64 MiB");
        assertThatThrownBy(() -> OverlayConfig.builder("a").multicastTtl(256).build()).hasMessageContaining("expected: 0-255");
        assertThatThrownBy(() -> OverlayConfig.builder(" ").build()).hasMessageContaining("printable characters");
        assertThatThrownBy(() -> OverlayConfig.builder("a\u0007").build()).hasMessageContaining("printable characters");
        assertThatThrownBy(() -> new OverlayConfig.Timings(Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(5))).hasMessageContaining("expected: > heartbeatInterval");
    }

    @Test
    void toBuilderKeepsEveryValue() {
        OverlayConfig c = OverlayConfig.builder("a").mode(NetworkMode.SEEDS).seed(HostPort.parse("127.0.0.1:7900")).port(7901)
                .portRange(3).cluster("x").maxFrameBytes(8192).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void hostPortParsesHostAndPort() {
        assertThat(HostPort.parse("127.0.0.1:7800")).isEqualTo(new HostPort("127.0.0.1", 7800));
        assertThat(HostPort.parse("::1:7800")).isEqualTo(new HostPort("::1", 7800));
        assertThat(new HostPort("localhost", 1)).hasToString("localhost:1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "7800", ":7800", "host:", "host:port", "host:0", "host:65536"})
    void malformedHostPortIsRefusedWithAnExample(String text) {
        assertThatThrownBy(() -> HostPort.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected");
    }

    @Test
    void networkModesParseCaseInsensitivelyAndListTheValidNames() {
        assertThat(NetworkMode.parse(" Relay ")).isEqualTo(NetworkMode.RELAY);
        assertThat(NetworkMode.MEMORY.cliName()).isEqualTo("memory");
        assertThatThrownBy(() -> NetworkMode.parse("wifi")).hasMessage("network mode: 'wifi' (expected: local, lan, seeds, relay or memory)");
    }
}
