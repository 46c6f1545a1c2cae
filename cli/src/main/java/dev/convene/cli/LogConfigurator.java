package dev.convene.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import org.slf4j.Logger;

/**
 * The command line's logging, set up in code (found by logback through {@code META-INF/services}) instead of a
 * {@code logback.xml}: parsing XML loaded several hundred classes (Joran, the JDK's XML parser) before the peer could
 * start (docs/BENCHMARKS.md, "Start-up"). Everything goes to stderr (stdout carries the command's output, JSON lines
 * in {@code --json}) at WARN; JGroups is off, since it is chatty even at ERROR on a normal close and the overlay
 * reports what matters ({@link Logging#configure}: {@code --verbose} shows Convene at INFO and JGroups at WARN).
 * logback's own status is never printed.
 *
 * <p>A configuration of the user's own still wins: with {@code -Dlogback.configurationFile=FILE}, or a
 * {@code logback-test.xml} on the class path (tests), this configurator steps aside and logback reads the file.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    /** The layout of a line on stderr. */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";

    /** Called by logback's service loader. */
    public LogConfigurator() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        return configure(context, System.getProperty("logback.configurationFile") != null
                || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null);
    }

    /** {@code userConfigured}: a configuration file of the user's own is there (then nothing is set here). */
    ExecutionStatus configure(LoggerContext context, boolean userConfigured) {
        if (userConfigured) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        NopStatusListener quiet = new NopStatusListener();
        context.getStatusManager().add(quiet);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> err = new ConsoleAppender<>();
        err.setContext(context);
        err.setName("ERR");
        err.setTarget("System.err");
        err.setEncoder(encoder);
        err.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(err);
        context.getLogger("org.jgroups").setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
