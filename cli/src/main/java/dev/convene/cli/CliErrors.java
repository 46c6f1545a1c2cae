package dev.convene.cli;

import dev.convene.overlay.OverlayException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr (what happened, what to do next) and an exit code: 2 for
 * usage errors, 1 for the rest. Stack traces only go to the log, and only with {@code --verbose}.
 */
final class CliErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(CliErrors.class);

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String message = ex.getCause() instanceof CliException c ? c.getMessage() : ex.getMessage();
        cmd.getErr().println("convene: " + oneLine(message) + "; see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        cmd.getErr().flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        int code = ex instanceof CliException c ? c.exitCode() : ExitCodes.FAILED;
        cmd.getErr().println("convene: " + describe(ex));
        cmd.getErr().flush();
        return code;
    }

    /** The one-line description of an exception a command did not handle itself. */
    static String describe(Exception ex) {
        if (ex instanceof CliException || ex instanceof OverlayException || ex instanceof UncheckedIOException
                || ex instanceof IllegalArgumentException || ex instanceof IllegalStateException) {
            log.debug("command failed", ex);
            return oneLine(ex.getMessage());
        }
        if (ex instanceof InterruptedException) return "interrupted";
        log.error("unexpected failure", ex);
        return "unexpected " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + oneLine(ex.getMessage()))
                + "; run again with --verbose and report it";
    }

    static String oneLine(String message) {
        return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
