package dev.convene.cli;

import static picocli.CommandLine.ScopeType.INHERIT;

import dev.convene.overlay.HostPort;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.TransportKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options every {@code convene} command accepts, before or after the command name (picocli inherited
 * options, mixed into {@link Main} so every subcommand reads the same instance).
 */
public final class GlobalOptions {
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
    public NetworkMode network = NetworkMode.LOCAL;

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

    @Option(names = "--transport-key-file", paramLabel = "FILE", scope = INHERIT,
            description = {"Encrypt the group's traffic (JGroups SYM_ENCRYPT, AES-256) with the key in FILE: 32 random bytes"
                + " (head -c 32 /dev/urandom > FILE) or 64 hex digits. Every peer of the group needs the same key;"
                + " see docs/SECURITY.md."})
    Path transportKeyFile;

    @Option(names = "--transport-passphrase-file", paramLabel = "FILE", scope = INHERIT,
            description = {"As --transport-key-file, with the key derived from the passphrase in FILE"
                + " (at least " + TransportKey.MIN_PASSPHRASE + " characters; several random words)."})
    Path transportPassphraseFile;

    @Option(names = "--max-frames-per-second", paramLabel = "N", scope = INHERIT,
            description = "Frames accepted per second from each peer; more are dropped before any signature check"
                + " (default: 20000; a few hundred are plenty for chat).")
    Integer maxFramesPerSecond;

    @Option(names = "--json", scope = INHERIT,
            description = "Print one JSON object per line on stdout (see docs/EVENTS.md).")
    boolean json;

    @Option(names = "--verbose", scope = INHERIT, description = "Log progress to stderr.")
    public boolean verbose;

    @Option(names = "--desktop-notifications", scope = INHERIT,
            description = "In the interactive session, also show invitations, starts and mentions of your name as desktop"
                    + " notifications (through notify-send, where installed). Off by default.")
    public boolean desktopNotifications;

    public Path home() {
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
        if (maxFramesPerSecond != null && maxFramesPerSecond < 1) {
            throw CliException.usage("--max-frames-per-second " + maxFramesPerSecond + " (expected: > 0)");
        }
        if (transportKeyFile != null && transportPassphraseFile != null) {
            throw CliException.usage("give --transport-key-file or --transport-passphrase-file, not both");
        }
    }

    /** The overlay configuration these options describe, for a peer called {@code peerName}. */
    OverlayConfig overlayConfig(String peerName) {
        OverlayConfig.Builder b = OverlayConfig.builder(peerName).home(home()).mode(network).bindAddress(bindAddress())
                .seeds(seeds).routers(routers).cluster(cluster);
        if (port != null) b.port(port);
        if (maxFramesPerSecond != null) b.maxFramesPerSecond(maxFramesPerSecond);
        transportKey().ifPresent(b::transportKey);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /**
     * The key of {@code --transport-key-file} or {@code --transport-passphrase-file}, read now.
     *
     * @throws CliException a usage error if the file cannot be read or holds no valid key
     */
    Optional<TransportKey> transportKey() {
        if (transportKeyFile != null) return Optional.of(TransportKeys.fromKeyFile(transportKeyFile));
        if (transportPassphraseFile != null) return Optional.of(TransportKeys.fromPassphraseFile(transportPassphraseFile));
        return Optional.empty();
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
