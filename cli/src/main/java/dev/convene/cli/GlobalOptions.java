package dev.convene.cli;

import static picocli.CommandLine.ScopeType.INHERIT;

import dev.convene.overlay.HostPort;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options every {@code convene} command accepts, before or after the command name (picocli inherited
 * options, mixed into {@link Main} so every subcommand reads the same instance).
 */
final class GlobalOptions {
    static final String DEFAULT_BIND = "127.0.0.1";
    static final String DEFAULT_CLUSTER = "convene";

    @Option(names = "--home", paramLabel = "DIR", scope = INHERIT,
            description = "Where this peer keeps its identity and name (default: ~/.convene).")
    Path home;

    @Option(names = "--name", paramLabel = "NAME", scope = INHERIT,
            description = "Display name, remembered in HOME (default: the last name used, else your OS user name).")
    String name;

    @Option(names = "--network", paramLabel = "MODE", scope = INHERIT, converter = NetworkModeConverter.class,
            description = "How peers find each other: local (default), lan, seeds, relay or memory.")
    NetworkMode network = NetworkMode.LOCAL;

    @Option(names = "--bind", paramLabel = "ADDR", scope = INHERIT,
            description = "Address to listen on (default: 127.0.0.1, so nothing leaves this machine).")
    String bind;

    @Option(names = "--port", paramLabel = "N", scope = INHERIT,
            description = "First port to listen on (default: 7800; lan: 45600; router: 12001).")
    Integer port;

    @Option(names = "--seed", paramLabel = "HOST:PORT", scope = INHERIT, converter = HostPortConverter.class,
            description = "seeds mode: a peer already in the group; repeat for more.")
    List<HostPort> seeds = new ArrayList<>();

    @Option(names = "--router", paramLabel = "HOST:PORT", scope = INHERIT, converter = HostPortConverter.class,
            description = "relay mode: a 'convene router'; repeat for more.")
    List<HostPort> routers = new ArrayList<>();

    @Option(names = "--cluster", paramLabel = "NAME", scope = INHERIT,
            description = "Group name: peers in different groups never see each other (default: convene).")
    String cluster = DEFAULT_CLUSTER;

    @Option(names = "--json", scope = INHERIT,
            description = "Print one JSON object per line on stdout (see docs/EVENTS.md).")
    boolean json;

    @Option(names = "--verbose", scope = INHERIT, description = "Log progress to stderr.")
    boolean verbose;

    Path home() {
        return home != null ? home : Path.of(System.getProperty("user.home"), ".convene");
    }

    String bindAddress() {
        return bind != null ? bind : DEFAULT_BIND;
    }

    /** Checks what picocli cannot; the message names the option and the expected value. */
    void validate() {
        if (port != null && (port < 1 || port > 65535)) {
            throw CliException.usage("--port " + port + " (expected: 1-65535)");
        }
        if (bind != null && bind.isBlank()) {
            throw CliException.usage("--bind is empty (expected: an address of this machine, e.g. 127.0.0.1)");
        }
        if (cluster.isBlank()) {
            throw CliException.usage("--cluster is empty (expected: a group name, e.g. convene)");
        }
    }

    /** The overlay configuration these options describe, for a peer called {@code peerName}. */
    OverlayConfig overlayConfig(String peerName) {
        OverlayConfig.Builder b = OverlayConfig.builder(peerName).home(home()).mode(network).bindAddress(bindAddress())
                .seeds(seeds).routers(routers).cluster(cluster);
        if (port != null) b.port(port);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** {@code --network}: a mode name, with the valid names in the error. */
    static final class NetworkModeConverter implements ITypeConverter<NetworkMode> {
        @Override
        public NetworkMode convert(String value) {
            try {
                return NetworkMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --seed}, {@code --router}: {@code HOST:PORT}. */
    static final class HostPortConverter implements ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            try {
                return HostPort.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
