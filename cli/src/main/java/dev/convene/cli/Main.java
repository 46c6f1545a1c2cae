package dev.convene.cli;

import dev.convene.cli.output.EventWriter;
import dev.convene.cli.session.CommandRegistry;
import dev.convene.cli.session.Session;
import dev.convene.cli.terminal.Interactive;
import dev.convene.overlay.Identity;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code convene} command. Without a subcommand it starts an interactive session; see {@code --help}.
 *
 * <p>One instance per invocation: it holds the global options (which every subcommand reads from here)
 * and the standard input that {@code run -} and the interactive session read.
 */
@Command(name = "convene", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class, usageHelpAutoWidth = true, footer = ExitCodes.HELP,
        description = {"Serverless conferences between peers, on JGroups.",
            "With no command, starts an interactive session (type 'help' in it)."},
        subcommands = {IdentityCommand.class, RunCommand.class, InteractiveCommand.class, DemoCommand.class,
            RouterCommand.class})
public final class Main implements Callable<Integer> {
    /** Placeholder in command descriptions for the list of session commands. */
    static final String SESSION_COMMANDS = "@SESSION_COMMANDS@";

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    private final InputStream stdin;

    /** The command reading the process's standard input. */
    public Main() {
        this(System.in);
    }

    Main(InputStream stdin) {
        this.stdin = stdin;
    }

    /** Runs {@code convene} and exits with its exit code. */
    public static void main(String[] args) {
        JvmSettings.preferIPv4();
        JvmSettings.refuseJavaDeserialization();
        JvmSettings.sqliteNativeLibraryOnce();
        System.exit(commandLine(System.in)
                .setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true))
                .execute(args));
    }

    /** The command line with our error handling; tests replace its out and err. */
    static CommandLine commandLine(InputStream stdin) {
        CommandLine cmd = new CommandLine(new Main(stdin));
        // Commands of other modules (convene bench), then help, last in the list as before.
        for (CommandExtension extension : java.util.ServiceLoader.load(CommandExtension.class)) cmd.addSubcommand(extension);
        cmd.addSubcommand(new CommandLine.HelpCommand());
        // Help texts list the session commands the registry really has.
        cmd.getSubcommands().values().forEach(sub -> sub.getCommandSpec().usageMessage().description(
                withSessionCommands(sub.getCommandSpec().usageMessage().description())));
        CliErrors errors = new CliErrors();
        cmd.setParameterExceptionHandler(errors);
        cmd.setExecutionExceptionHandler(errors);
        cmd.setExecutionStrategy(parseResult -> {
            Main main = (Main) parseResult.commandSpec().userObject();
            main.beforeExecution();
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cmd;
    }

    /** Replaces {@value #SESSION_COMMANDS} in a help description with the registry's commands. */
    private static String[] withSessionCommands(String[] lines) {
        String commands = CommandRegistry.standard().synopses();
        return java.util.Arrays.stream(lines).map(l -> l.replace(SESSION_COMMANDS, commands)).toArray(String[]::new);
    }

    /** Once the options are known, before any command starts anything. */
    private void beforeExecution() {
        try {
            global.validate();
            JvmSettings.bindAddress(global.bindAddress(), global.bind != null);
        } catch (CliException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Logging.configure(global.verbose);
    }

    @Override
    public Integer call() throws InterruptedException {
        return new Interactive(this, EventWriter.of(spec, global.json)).run();
    }

    public GlobalOptions global() {
        return global;
    }

    public InputStream stdin() {
        return stdin;
    }

    /** An environment variable ({@code NO_COLOR}), or null. */
    public String env(String name) {
        return System.getenv(name);
    }

    /** True when a person types the input and reads the output: only then are a prompt and line editing useful. */
    public boolean interactiveTerminal() {
        return stdin == System.in && System.console() != null;
    }

    /** This peer's identity, from (or created in) HOME. */
    Identity identity() {
        return Identity.loadOrCreate(global.home());
    }

    /**
     * Starts this user's peer as the options describe: identity and name from HOME, then the overlay.
     *
     * @throws dev.convene.overlay.OverlayException if the network stack cannot start
     */
    public Session openSession(EventWriter out, CommandRegistry commands) {
        Path home = global.home();
        Identity identity = Identity.loadOrCreate(home);
        String name = NameStore.resolve(home, global.name);
        return Session.open(global.overlayConfig(name), identity, out, commands);
    }
}
