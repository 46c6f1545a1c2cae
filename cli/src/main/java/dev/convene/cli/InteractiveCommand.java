package dev.convene.cli;

import dev.convene.cli.output.EventWriter;
import dev.convene.cli.terminal.Interactive;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code convene session}: the interactive session, the same as {@code convene} with no command. */
@Command(name = "session", description = {
    "Starts an interactive session (the default when no command is given): session commands, line by line, until"
        + " quit or Ctrl-D; a failing command does not end it.",
    "On a terminal: line editing, history (kept in HOME/history), Tab completion of commands, peers and conferences,"
        + " events shown above the line you type, and colours (none with NO_COLOR, TERM=dumb or --json)."
        + " Ctrl-C clears the line or stops a running command.",
    "'open CONF' enters chat mode: lines you type are messages to it; /back returns, /history shows them,"
        + " /COMMAND runs a command on it.",
    "When input or output is not a terminal: plain lines and no prompt, so scripts can pipe in.",
    "Session commands: " + Main.SESSION_COMMANDS})
final class InteractiveCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        return new Interactive(main, EventWriter.of(spec, main.global().json)).run();
    }
}
