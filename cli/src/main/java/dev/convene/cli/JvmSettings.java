package dev.convene.cli;

/**
 * JVM-wide settings that must be in place before any networking class loads: IPv4 only, and JGroups
 * bound to the address the user chose (JGroups reads {@code jgroups.bind_addr} in preference to any
 * stack configuration, and picks another interface without it).
 */
final class JvmSettings {
    static final String PREFER_IPV4 = "java.net.preferIPv4Stack";
    static final String JGROUPS_BIND = "jgroups.bind_addr";

    private JvmSettings() {
    }

    /**
     * Refuses Java deserialization JVM-wide (the {@code convene} process owns its JVM; nothing in Convene or
     * JGroups' wire format uses it). Left alone if the JVM was started with a filter. The library never does
     * this: an embedding application's own deserialization is its business.
     */
    static void refuseJavaDeserialization() {
        if (java.io.ObjectInputFilter.Config.getSerialFilter() == null) {
            try {
                java.io.ObjectInputFilter.Config.setSerialFilter(
                        java.io.ObjectInputFilter.Config.createFilter("maxdepth=20;maxbytes=1048576;!*"));
            } catch (IllegalStateException alreadySet) {
                // set concurrently or by the launcher: keep it
            }
        }
    }

    /** Sets {@code java.net.preferIPv4Stack=true} unless the JVM was started with a value. */
    static void preferIPv4() {
        if (System.getProperty(PREFER_IPV4) == null) {
            System.setProperty(PREFER_IPV4, "true");
        }
    }

    /**
     * Sets {@code jgroups.bind_addr} to {@code address} unless already set. An explicit {@code --bind}
     * that disagrees with a preset property is a usage error: JGroups would silently use the property.
     */
    static void bindAddress(String address, boolean explicit) {
        String preset = System.getProperty(JGROUPS_BIND);
        if (preset == null) {
            System.setProperty(JGROUPS_BIND, address);
        } else if (explicit && !preset.equals(address)) {
            throw CliException.usage("--bind " + address + " disagrees with -D" + JGROUPS_BIND + "=" + preset
                    + " set for this JVM; drop one of them (CONVENE_JAVA_OPTS?)");
        }
    }

    static final String SQLITE_LIB_PATH = "org.sqlite.lib.path";
    static final String SQLITE_LIB_NAME = "org.sqlite.lib.name";

    /**
     * Points the SQLite driver at one copy of its native library per version, in the user's cache
     * ({@code ~/.cache/convene/native}), unless the JVM was started with {@code org.sqlite.lib.path}. Left alone, xerial's
     * driver copies the library (1 MiB) into {@code java.io.tmpdir} under a fresh name at every start and deletes it at
     * a normal exit only: every peer killed with {@code kill -9} left a copy behind for good. Any failure leaves the
     * driver's default. The library never does this: an embedding application's JVM is its own.
     */
    static void sqliteNativeLibraryOnce() {
        if (System.getProperty(SQLITE_LIB_PATH) != null) return;
        try {
            java.nio.file.Path file = extractSqliteNativeLibrary(
                    java.nio.file.Path.of(System.getProperty("user.home"), ".cache", "convene", "native"));
            if (file == null) return;
            System.setProperty(SQLITE_LIB_PATH, file.getParent().toString());
            System.setProperty(SQLITE_LIB_NAME, file.getFileName().toString());
        } catch (java.io.IOException | RuntimeException | LinkageError e) {
            // the driver extracts its own copy, as before
        }
    }

    /**
     * The SQLite driver's native library for this OS and architecture, copied into {@code root/sqlite-<hash>/} unless a
     * copy with the same bytes is there already (a different one is replaced atomically); null if the driver has none
     * for this platform. The directory is the user's only.
     */
    static java.nio.file.Path extractSqliteNativeLibrary(java.nio.file.Path root) throws java.io.IOException {
        String resource = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath() + "/"
                + org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
        byte[] library;
        try (java.io.InputStream in = org.sqlite.JDBC.class.getResourceAsStream(resource)) {
            if (in == null) return null;
            library = in.readAllBytes();
        }
        String hash = java.util.HexFormat.of().formatHex(sha256(library), 0, 12);
        java.nio.file.Path dir = root.resolve("sqlite-" + hash);
        java.nio.file.Files.createDirectories(dir);
        try {
            java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the user's profile directory is private already
        }
        java.nio.file.Path file = dir.resolve(org.sqlite.util.LibraryLoaderUtil.getNativeLibName());
        if (java.nio.file.Files.isRegularFile(file) && java.util.Arrays.equals(sha256(java.nio.file.Files.readAllBytes(file)), sha256(library))) {
            return file;
        }
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile(dir, "lib", ".tmp");
        try {
            java.nio.file.Files.write(tmp, library);
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
        return file;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
