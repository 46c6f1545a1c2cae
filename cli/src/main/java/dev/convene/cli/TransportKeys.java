package dev.convene.cli;

import dev.convene.overlay.TransportKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files behind {@code --transport-key-file} (32 raw bytes, or 64 hex digits) and
 * {@code --transport-passphrase-file} (a passphrase, surrounding whitespace ignored). A file that other users
 * can read is used, with a warning: anyone holding the key is in the group.
 */
final class TransportKeys {
    private static final Logger log = LoggerFactory.getLogger(TransportKeys.class);
    private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{" + 2 * TransportKey.LENGTH + "}");
    /** Larger files are certainly not a key or a passphrase; refuse rather than read them whole. */
    private static final long MAX_FILE_BYTES = 64 * 1024;
    static final String KEY_OPTION = "--transport-key-file";
    static final String PASSPHRASE_OPTION = "--transport-passphrase-file";

    private TransportKeys() {
    }

    /**
     * The key in {@code file}.
     *
     * @throws CliException a usage error if it cannot be read or is neither 32 bytes nor 64 hex digits
     */
    static TransportKey fromKeyFile(Path file) {
        byte[] content = read(file, KEY_OPTION);
        if (content.length == TransportKey.LENGTH) return TransportKey.of(content);
        String text = new String(content, StandardCharsets.US_ASCII).strip();
        if (HEX_KEY.matcher(text).matches()) return TransportKey.of(HexFormat.of().parseHex(text));
        throw CliException.usage(KEY_OPTION + " " + file + ": " + content.length + " bytes (expected: " + TransportKey.LENGTH
                + " random bytes or " + 2 * TransportKey.LENGTH + " hex digits; make one with: head -c 32 /dev/urandom > FILE)");
    }

    /**
     * The key derived from the passphrase in {@code file} (PBKDF2: takes a noticeable part of a second).
     *
     * @throws CliException a usage error if it cannot be read or the passphrase is too short
     */
    static TransportKey fromPassphraseFile(Path file) {
        String passphrase = new String(read(file, PASSPHRASE_OPTION), StandardCharsets.UTF_8);
        try {
            return TransportKey.fromPassphrase(passphrase);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(PASSPHRASE_OPTION + " " + file + ": " + e.getMessage());
        }
    }

    private static byte[] read(Path file, String option) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw CliException.usage(option + " " + file + ": " + Files.size(file) + " bytes (expected: a key or passphrase"
                        + " file, far smaller); check the path");
            }
            warnIfOthersCanRead(file);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw CliException.usage("cannot read " + option + " " + file + " (" + e.getClass().getSimpleName() + "); check the path"
                    + " and that you may read it");
        }
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("{} can be read by other users, who could then join the group; restrict it: chmod 600 {}", file, file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            log.debug("cannot check the permissions of {}: {}", file, e.toString());
        }
    }
}
