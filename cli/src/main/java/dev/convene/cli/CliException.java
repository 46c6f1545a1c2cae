package dev.convene.cli;

/**
 * A failure the user can act on: the message is one line that says what happened and what to do next.
 * {@link #exitCode()} is what {@code convene} exits with when nothing handles it first.
 */
public class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    CliException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    /** A command or script line could not do its work (exit code 1). */
    public static CliException failed(String message) {
        return new CliException(message, ExitCodes.FAILED);
    }

    /** The user asked for something malformed: bad argument, unknown command, unparsable script (exit code 2). */
    public static CliException usage(String message) {
        return new CliException(message, ExitCodes.USAGE);
    }

    /** True for a usage error. */
    public boolean isUsage() {
        return exitCode == ExitCodes.USAGE;
    }
}
