package dev.convene.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code convene session}: the interactive session, the same as {@code convene} with no command. */
@Command(name = "session", description = {
    "Starts an interactive session (the default when no command is given).",
    "Reads session commands line by line until quit or end of input; a failing command does not end it.",
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
