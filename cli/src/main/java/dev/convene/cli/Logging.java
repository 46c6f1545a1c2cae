package dev.convene.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log levels for a run: logback.xml sends everything to stderr at WARN with JGroups at ERROR;
 * {@code --verbose} raises Convene to INFO and JGroups to WARN. Never stdout.
 */
final class Logging {
    private Logging() {
    }

    static void configure(boolean verbose) {
        if (!verbose) return;
        set(Logger.ROOT_LOGGER_NAME, Level.INFO);
        set("org.jgroups", Level.WARN);
    }

    private static void set(String logger, Level level) {
        if (LoggerFactory.getLogger(logger) instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(level);
        }
    }
}
