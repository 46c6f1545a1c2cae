package dev.convene.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The interactive session: reads session commands line by line from standard input until {@code quit} or
 * end of input, with a prompt showing the name, network mode and peers online. A failing command prints
 * its error and the session goes on. Plain line reading for now (line editing comes with JLine).
 */
final class Interactive {
    private final Main main;
    private final EventWriter out;

    Interactive(Main main, EventWriter out) {
        this.main = main;
        this.out = out;
    }

    int run() throws InterruptedException {
        CommandRegistry registry = CommandRegistry.standard();
        try (Session session = main.openSession(out, registry);
             BufferedReader in = new BufferedReader(new InputStreamReader(main.stdin(), StandardCharsets.UTF_8))) {
            out.note("type 'help' for the commands, 'quit' to leave");
            int number = 0;
            while (!session.quitRequested()) {
                if (main.interactiveTerminal()) out.prompt(prompt(session));
                String line = in.readLine();
                out.promptAnswered();
                if (line == null) break;
                number++;
                runLine(session, registry, line, number);
            }
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
        }
    }

    private void runLine(Session session, CommandRegistry registry, String line, int number) throws InterruptedException {
        try {
            Optional<SessionCommand.Action> action = RunCommand.parse(line, registry);
            if (action.isPresent()) session.run(number, action.get());
        } catch (RuntimeException e) {
            out.error(new Event.ErrorReport(CliErrors.describe(e), number, null));
        }
    }

    static String prompt(Session session) {
        var config = session.overlay().config();
        int peers = session.overlay().directory().online().size();
        return config.name() + "@" + config.mode().cliName() + " (" + peers + (peers == 1 ? " peer" : " peers") + ")> ";
    }
}
