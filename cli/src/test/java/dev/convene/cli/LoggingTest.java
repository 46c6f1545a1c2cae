package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import dev.convene.cli.terminal.Interactive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** On a terminal the log goes to HOME/convene.log, not between the lines of the session. */
class LoggingTest {
    @TempDir
    Path home;

    @Test
    void theLogGoesToAnOwnerOnlyFileUntilRestored() throws Exception {
        ch.qos.logback.classic.Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("ERR")).isNotNull();
        Path file = home.resolve(Interactive.LOG_FILE);
        try (AutoCloseable restore = Logging.toFile(file)) {
            assertThat(root.getAppender("ERR")).as("not on stderr meanwhile").isNull();
            LoggerFactory.getLogger("dev.convene.test").warn("a warning for the file");
        }
        assertThat(root.getAppender("ERR")).isNotNull();
        assertThat(root.getAppender("FILE")).isNull();
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("WARN", "a warning for the file");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
