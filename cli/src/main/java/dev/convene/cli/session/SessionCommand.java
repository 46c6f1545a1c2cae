package dev.convene.cli.session;

import java.util.List;

/**
 * A command of the session language, the same in the interactive session and in {@code convene run}
 * scripts: {@code peers}, {@code wait …}, {@code sleep}, {@code stats}, {@code help}, {@code quit}.
 *
 * <p>Two phases, so a script is checked before its peer starts: {@link #parse} checks the words and
 * returns the {@link Action}; the action then runs against a live {@link Session}. Parse never touches a
 * peer. A new command is a new class, a {@link PicocliCommand} (a picocli {@code @Command} with
 * {@code @Parameters}/{@code @Option} fields), registered in {@link CommandRegistry#standard()}; nothing else
 * changes.
 *
 * <p>Errors are {@link CliException}s with a one-line message that says what to do next: usage errors
 * from {@code parse}, failures from the action.
 */
public interface SessionCommand {
    /** The word that invokes it, e.g. {@code peers}. */
    String name();

    /** How to call it, e.g. {@code wait peers N [--timeout D]}; shown by {@code help} and in usage errors. */
    String synopsis();

    /** One line on what it does. */
    String summary();

    /** What {@code help} lists for it: its synopsis and summary, or one entry per form it has. */
    default java.util.List<HelpCmd.Entry> helpEntries() {
        return java.util.List.of(new HelpCmd.Entry(synopsis(), summary()));
    }

    /**
     * What the next argument names, for tab completion, given the arguments typed before it (the words after
     * the name, options included). Free text unless the command says otherwise.
     */
    default Completion completion(List<String> typed) {
        return Completion.NOTHING;
    }

    /**
     * For a command whose last argument is free text ({@code say CONF TEXT}): how many words come before
     * the text. The text is then the raw rest of the line, kept exactly (see {@link ShellWords#head}), and
     * is the last element {@link #parse} gets (absent if the line ends before it). -1 for a command
     * whose arguments are all words.
     */
    default int freeTextAfter() {
        return -1;
    }

    /**
     * Checks the arguments (the words after the name) and returns what to run.
     *
     * @throws CliException a usage error
     */
    Action parse(List<String> args);

    /** A parsed command, ready to run. */
    @FunctionalInterface
    interface Action {
        /**
         * Runs it; reports its outcome with {@link Session#result}.
         *
         * @throws CliException if it failed, saying why and what to do
         * @throws InterruptedException if the session is being stopped
         */
        void run(Session session) throws InterruptedException;
    }
}
