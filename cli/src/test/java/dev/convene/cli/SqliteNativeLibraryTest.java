package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's one copy of SQLite's native library: written once, reused, replaced if it differs, private to the user. */
class SqliteNativeLibraryTest {
    @TempDir
    Path cache;

    @Test
    void extractedOnceThenReusedAndATamperedCopyIsReplaced() throws Exception {
        Path file = JvmSettings.extractSqliteNativeLibrary(cache);
        assertThat(file).isNotNull().isRegularFile().startsWith(cache);
        byte[] original = Files.readAllBytes(file);
        assertThat(original.length).isGreaterThan(100_000);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");

        FileTime written = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(file, written);
        assertThat(JvmSettings.extractSqliteNativeLibrary(cache)).isEqualTo(file);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(written); // same bytes: not written again

        Files.write(file, new byte[] {1, 2, 3});
        assertThat(JvmSettings.extractSqliteNativeLibrary(cache)).isEqualTo(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(original);
        try (var left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file); // no temporary file left behind
        }
    }
}
