package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.terminal.Interactive;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The session commands by name. {@link #standard()} is the set {@code convene} ships: presence, the
 * conference commands, waits, and the session's own ({@code sleep}, {@code help}, {@code quit}).
 */
public final class CommandRegistry {
    private final Map<String, PicocliCommand> commands = new LinkedHashMap<>();

    /** Every built-in session command. */
    public static CommandRegistry standard() {
        List<WaitCmd.Target> waits = new java.util.ArrayList<>(List.of(new WaitCmd.PeersTarget()));
        waits.addAll(ConferenceWaits.all());
        waits.add(new FileWait());
        return new CommandRegistry()
                .add(new PeersCmd())
                .add(ConferencesCmd.conferences())
                .add(ConferencesCmd.invitations())
                .add(new CreateCmd())
                .add(new InviteCmd())
                .add(AnswerCmd.accept())
                .add(AnswerCmd.decline())
                .add(new SayCmd())
                .add(new ReplyCmd())
                .add(new ReactCmd())
                .add(new EditCmd())
                .add(new DeleteCmd())
                .add(new ShareCmd())
                .add(new FilesCmd())
                .add(new FetchCmd())
                .add(new HistoryCmd())
                .add(new SearchCmd())
                .add(new WhoCmd())
                .add(new DmCmd())
                .add(new OpenCmd())
                .add(AnswerCmd.leave())
                .add(AnswerCmd.end())
                .add(new RescheduleCmd())
                .add(MemberCmd.remove())
                .add(MemberCmd.grant())
                .add(MemberCmd.revoke())
                .add(BanCmd.ban())
                .add(BanCmd.unban())
                .add(BanCmd.list())
                .add(new StatsCmd())
                .add(new WaitCmd(waits))
                .add(new SleepCmd())
                .add(new HelpCmd())
                .add(new QuitCmd());
    }

    CommandRegistry add(PicocliCommand command) {
        if (commands.putIfAbsent(command.name(), command) != null) {
            throw new IllegalArgumentException("session command '" + command.name() + "' registered twice");
        }
        return this;
    }

    /** {@code peers, stats, wait peers N [--timeout D], …} for help texts. */
    public String synopses() {
        return commands.values().stream().flatMap(c -> c.helpEntries().stream()).map(HelpCmd.Entry::synopsis)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** The command called {@code name}, if there is one. */
    public Optional<SessionCommand> get(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    public Collection<SessionCommand> all() {
        return Collections.unmodifiableCollection(commands.values());
    }

    /**
     * Parses one command line: its name, then its words, then (for a command that takes free text last)
     * the raw rest of the line. Empty for a blank or comment line.
     *
     * @param openConference the conference open in chat mode, which a command that takes a conference
     *     first gets without it being typed; null outside chat mode
     * @throws CliException a usage error for an unknown command or bad arguments
     */
    public Optional<SessionCommand.Action> parseLine(String line, String openConference) {
        return parseLine(line, 0, openConference);
    }

    /** {@link #parseLine(String, String)} of the line from index {@code from} on (after a {@code /}); columns count from the line's start. */
    public Optional<SessionCommand.Action> parseLine(String line, int from, String openConference) {
        ShellWords.Head head = ShellWords.head(line, from, 1);
        if (head.words().isEmpty()) return Optional.empty();
        String name = head.words().get(0);
        SessionCommand command = commands.get(name);
        if (command == null) return Optional.of(parse(List.of(name)));
        boolean implied = openConference != null && Interactive.takesOpenConference(command);
        List<String> words = new java.util.ArrayList<>();
        words.add(name);
        if (implied) words.add(openConference);
        int before = command.freeTextAfter();
        if (before < 0) {
            words.addAll(ShellWords.split(line, head.restAt()));
        } else {
            ShellWords.Head args = ShellWords.head(line, head.restAt(), Math.max(0, before - (implied ? 1 : 0)));
            words.addAll(args.words());
            if (args.rest() != null) words.add(args.rest());
        }
        return Optional.of(parse(words));
    }

    /**
     * The session language as one picocli command: a {@code session} root with one subcommand per session
     * command, each filled from a {@link PicocliCommand#fresh} instance (so one parse never sees another's
     * words).
     */
    public CommandLine model() {
        return model(commands.values());
    }

    /** The {@code session} root with the subcommands {@code some}. */
    private static CommandLine model(Collection<PicocliCommand> some) {
        CommandLine root = new CommandLine(Args.configure(CommandSpec.forAnnotatedObject(new Root())));
        root.setExpandAtFiles(false);
        for (PicocliCommand c : some) root.addSubcommand(c.name(), new CommandLine(Args.configure(c.fresh().spec())));
        return root;
    }

    /** The root of {@link #model()}: it does nothing itself. */
    @Command(name = "session", description = "the commands of an interactive session and of scripts")
    private static final class Root {
    }

    /**
     * Parses one line's words with picocli: the first names the subcommand, the rest fill its fields.
     *
     * @throws CliException a usage error for an unknown command or bad arguments
     */
    SessionCommand.Action parse(List<String> words) {
        String name = words.get(0);
        PicocliCommand command = commands.get(name);
        if (command == null) {
            String hint = closest(model().getSubcommands().keySet(), name).map(c -> "did you mean '" + c + "'? ").orElse("");
            throw CliException.usage("unknown command '" + name + "'; " + hint + "type 'help' for the list");
        }
        // the root with only this subcommand: building all of them for every line costs milliseconds
        CommandLine model = model(List.of(command));
        CommandLine sub = model.getSubcommands().get(name);
        String text = null;
        List<String> worded = words;
        int before = command.freeTextAfter();
        if (before >= 0 && words.size() > before + 1) {
            // the free text is handed over as typed: picocli parses only the words before it
            text = words.get(before + 1);
            worded = words.subList(0, before + 1);
        }
        try {
            ParseResult parsed = Args.dispatch(model, sub.getCommandSpec(),
                    worded, command.synopsis());
            PicocliCommand chosen = (PicocliCommand) parsed.subcommand().commandSpec().userObject();
            chosen.text = text;
            return chosen.action(parsed.subcommand());
        } catch (CliException e) {
            throw e.isUsage() && !e.getMessage().startsWith(name) ? CliException.usage(name + ": " + e.getMessage()) : e;
        }
    }

    private static Optional<String> closest(java.util.Set<String> names, String name) {
        return names.stream()
                .filter(c -> c.startsWith(name) || name.startsWith(c) || editDistance(c, name) <= 2)
                .min(Comparator.comparingInt(c -> editDistance(c, name)));
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
