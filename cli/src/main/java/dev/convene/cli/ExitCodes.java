package dev.convene.cli;

/** The exit codes of {@code convene}, as documented in {@code --help}. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    static final int USAGE = 2;

    /** The text shown at the end of {@code --help}. */
    static final String HELP = "%nExit codes:%n"
            + "  0  success%n"
            + "  1  a command or script line failed (one line on stderr says why)%n"
            + "  2  usage error: a bad option or argument, an unknown command,%n"
            + "     or a script line that does not parse%n";

    private ExitCodes() {
    }
}
