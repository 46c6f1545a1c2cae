package dev.convene.cli;

import dev.convene.overlay.PeerAdvertisement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The display name kept in {@code HOME/name}: {@code --name} if given, else the one stored last time, else
 * the OS user name. The chosen name is stored so a restart without {@code --name} keeps it.
 */
final class NameStore {
    private static final Logger log = LoggerFactory.getLogger(NameStore.class);
    static final String FILE = "name";

    private NameStore() {
    }

    /**
     * The name to use, stored in {@code home} for next time.
     *
     * @param requested {@code --name}, or null
     * @throws CliException a usage error for an invalid {@code --name}
     */
    static String resolve(Path home, String requested) {
        String name = requested != null ? checked(requested) : stored(home).orElseGet(NameStore::userName);
        store(home, name);
        return name;
    }

    static Optional<String> stored(Path home) {
        Path file = home.resolve(FILE);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(PeerAdvertisement.checkName(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            log.warn("ignoring the stored name in {}: {}; pass --name to replace it", file, e.getMessage());
            return Optional.empty();
        }
    }

    private static String checked(String requested) {
        try {
            return PeerAdvertisement.checkName(requested);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--" + e.getMessage());
        }
    }

    private static String userName() {
        try {
            return PeerAdvertisement.checkName(System.getProperty("user.name", ""));
        } catch (IllegalArgumentException e) {
            return "peer";
        }
    }

    private static void store(Path home, String name) {
        Path file = home.resolve(FILE);
        try {
            if (stored(home).filter(name::equals).isPresent()) return;
            Files.createDirectories(home);
            Files.writeString(file, name + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the name in " + file + ": " + e.getMessage()
                    + "; check that --home is writable", e);
        }
    }
}
