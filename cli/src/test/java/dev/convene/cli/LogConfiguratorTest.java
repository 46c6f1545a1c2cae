package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The command line's logging, set up in code: warnings to stderr, never stdout, JGroups off; a user's file wins. */
class LogConfiguratorTest {
    @Test
    void warningsGoToStderrOnlyAndJGroupsIsSilent() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // what logback's provider gives its own
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
            assertThat(new LogConfigurator().configure(context, false)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
            context.getLogger("dev.convene.overlay.Something").warn("it's a \"warning\"");
            context.getLogger("dev.convene.overlay.Something").info("an info line");
            context.getLogger("org.jgroups.protocols.TCP").error("JGroups at ERROR on a normal close");
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        } finally {
            System.setOut(out);
            System.setErr(err);
            context.stop();
        }
        String logged = capturedErr.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("WARN ", "d.c.overlay.Something", "it's a \"warning\"")
                .doesNotContain("an info line", "JGroups at ERROR")
                .matches("(?s)\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN .*\\n");
        assertThat(capturedOut.toString(StandardCharsets.UTF_8)).as("stdout carries the command's output only").isEmpty();
    }

    @Test
    void aConfigurationOfTheUsersOwnWins() {
        LoggerContext context = new LoggerContext();
        assertThat(new LogConfigurator().configure(context, true)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        context.stop();
    }

    @Test
    void logbackFindsItAsAService() {
        assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream().map(p -> (Object) p.type()))
                .contains(LogConfigurator.class);
    }
}
