package dev.convene.cli;

import dev.convene.cli.output.Event;
import dev.convene.cli.output.EventWriter;
import dev.convene.cli.session.CommandRegistry;
import dev.convene.cli.session.Session;
import dev.convene.cli.session.SessionCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code convene run FILE}: session commands from a script, one per line. A script (a file, or standard
 * input with {@code -}) is checked whole before the peer starts, so a typo on the last line costs nothing;
 * with {@code --stream}, standard input is read and run as it comes, for programs that drive a session.
 */
@Command(name = "run", description = {
    "Runs session commands from a script file, one per line.",
    "'#' comments and blank lines are skipped; words split like a shell's (quotes, backslash).",
    "The script (a file, or - for standard input read to its end) is checked whole before the peer starts;",
    "with --stream, standard input is run line by line as it comes (for programs that drive a session).",
    "Stops at the first failing line unless --keep-going.",
    "Session commands: " + Main.SESSION_COMMANDS})
public final class RunCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The script; - reads standard input.")
    String file;

    @Option(names = "--keep-going", description = "Run the remaining lines after a line fails (the exit code is still 1).")
    boolean keepGoing;

    @Option(names = "--stream", description = "With -: run each line as it is read, without waiting for the end of the input;"
            + " a line is checked when it is read.")
    boolean stream;

    /** A parsed line. */
    private record Step(int line, SessionCommand.Action action) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        EventWriter out = EventWriter.of(spec, main.global().json);
        CommandRegistry registry = CommandRegistry.standard();
        String source = file.equals("-") ? "-" : file;
        if (stream && !file.equals("-")) throw CliException.usage("--stream reads standard input: use 'run - --stream'");
        List<Step> steps = null;
        if (!stream) {
            steps = new ArrayList<>();
            if (!parseAll(file.equals("-") ? readStdin() : readFile(), registry, out, steps)) return ExitCodes.USAGE;
        }
        try (Session session = open(out, registry);
             BufferedReader stdin = new BufferedReader(new InputStreamReader(main.stdin(), StandardCharsets.UTF_8))) {
            if (session == null) return ExitCodes.FAILED;
            return steps != null ? runAll(session, steps) : runStream(session, stdin, registry);
        }
    }

    private Session open(EventWriter out, CommandRegistry registry) {
        try {
            return main.openSession(out, registry);
        } catch (CliException e) {
            throw e;
        } catch (RuntimeException e) {
            out.error(new Event.ErrorReport(CliErrors.describe(e), null, null));
            return null;
        }
    }

    private List<String> readFile() {
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.usage("cannot read the script " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); check the path, or pass - for standard input");
        }
    }

    private List<String> readStdin() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(main.stdin(), StandardCharsets.UTF_8));
        return in.lines().toList();
    }

    /** Parses every line, reporting each bad one; true if all parsed. */
    private boolean parseAll(List<String> lines, CommandRegistry registry, EventWriter out, List<Step> steps) {
        boolean ok = true;
        for (int i = 0; i < lines.size(); i++) {
            try {
                Optional<SessionCommand.Action> action = parse(lines.get(i), registry);
                if (action.isPresent()) steps.add(new Step(i + 1, action.get()));
            } catch (CliException e) {
                out.error(new Event.ErrorReport(e.getMessage(), i + 1, file));
                ok = false;
            }
        }
        return ok;
    }

    public static Optional<SessionCommand.Action> parse(String line, CommandRegistry registry) {
        return registry.parseLine(line, null);
    }

    private int runAll(Session session, List<Step> steps) throws InterruptedException {
        int exit = ExitCodes.OK;
        for (Step step : steps) {
            if (session.quitRequested()) break;
            if (!execute(session, step)) {
                exit = ExitCodes.FAILED;
                if (!keepGoing) break;
            }
        }
        return exit;
    }

    private int runStream(Session session, BufferedReader in, CommandRegistry registry) throws IOException, InterruptedException {
        int exit = ExitCodes.OK;
        int number = 0;
        while (!session.quitRequested()) {
            String line = in.readLine();
            if (line == null) break;
            number++;
            Optional<SessionCommand.Action> action;
            try {
                action = parse(line, registry);
            } catch (CliException e) {
                session.out().error(new Event.ErrorReport(e.getMessage(), number, "-"));
                exit = ExitCodes.USAGE;
                if (keepGoing) continue;
                break;
            }
            if (action.isPresent() && !execute(session, new Step(number, action.get()))) {
                exit = Math.max(exit, ExitCodes.FAILED);
                if (!keepGoing) break;
            }
        }
        return exit;
    }

    /** Runs one line; reports a failure and returns false. */
    private boolean execute(Session session, Step step) throws InterruptedException {
        try {
            session.run(step.line(), step.action());
            return true;
        } catch (RuntimeException e) {
            session.out().error(new Event.ErrorReport(CliErrors.describe(e), step.line(), file));
            return false;
        }
    }
}
