package dev.convene.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log levels for a run: {@link LogConfigurator} sends everything to stderr at WARN with JGroups off;
 * {@code --verbose} raises Convene to INFO and JGroups to WARN. Never stdout.
 */
public final class Logging {
    private Logging() {
    }

    static void configure(boolean verbose) {
        if (!verbose) return;
        set(Logger.ROOT_LOGGER_NAME, Level.INFO);
        set("org.jgroups", Level.WARN);
    }

    /**
     * Sends the log to {@code file} (created owner-only) instead of stderr until the returned handle is
     * closed: on a terminal, log lines would land in the middle of the session. Does nothing (and returns a
     * no-op) if logback is not the logger.
     */
    public static AutoCloseable toFile(Path file) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return () -> { };
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> err = root.getAppender("ERR");
        try {
            Files.createDirectories(file.getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // appended to
        } catch (IOException | UnsupportedOperationException e) {
            return () -> { };
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(ctx);
        appender.setName("FILE");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        root.addAppender(appender);
        if (err != null) root.detachAppender(err);
        return () -> {
            if (err != null) root.addAppender(err);
            root.detachAppender(appender);
            appender.stop();
        };
    }

    private static void set(String logger, Level level) {
        if (LoggerFactory.getLogger(logger) instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(level);
        }
    }
}
