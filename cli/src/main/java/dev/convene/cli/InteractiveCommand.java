package dev.convene.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code convene session}: the interactive session, the same as {@code convene} with no command. */
@Command(name = "session", description = {
    "Starts an interactive session (the default when no command is given).",
    "Reads session commands line by line until quit or end of input (Ctrl-D); a failing command does not end it.",
    "On a terminal: line editing, history (kept in HOME/history), Tab completes commands, peers and conferences,",
    "and events appear above the line you type. Ctrl-C clears the line or stops a running command.",
    "Colours unless NO_COLOR is set, TERM is dumb or --json. When input or output is not a terminal, plain lines.",
    "open CONF enters chat mode: lines are messages to it; /back returns, /history shows it, /COMMAND runs one.",
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
