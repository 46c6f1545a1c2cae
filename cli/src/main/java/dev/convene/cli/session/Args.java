package dev.convene.cli.session;

import dev.convene.cli.CliException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How the session commands' words are parsed with picocli: the same parser settings for every command
 * ({@code --option VALUE} or {@code --option=VALUE}; {@code --} ends the options, so a word may start with
 * dashes; {@code -5} is a word), and picocli's errors as one-line usage errors that show the command's
 * synopsis. An instance holds the positional words and options of one parse result (a {@code wait} kind).
 */
final class Args {
    private final String synopsis;
    private final List<String> positionals;
    private final Map<String, String> options;

    private Args(String synopsis, List<String> positionals, Map<String, String> options) {
        this.synopsis = synopsis;
        this.positionals = positionals;
        this.options = options;
    }

    /**
     * Parses {@code words} (after the command's name) with {@code command}'s picocli model, which fills its
     * {@code @Parameters} and {@code @Option} fields with the arity their annotations give; errors are the
     * usage errors below.
     */
    static ParseResult bind(CommandSpec command, List<String> words, String synopsis) {
        return run(command, words, synopsis);
    }

    /** The positionals and options of one picocli parse result, e.g. of a {@code wait} kind. */
    static Args of(String synopsis, ParseResult result) {
        return new Args(synopsis, positionals(result), options(result));
    }

    /** The words of every matched positional, in the order of their index. */
    private static List<String> positionals(ParseResult result) {
        List<String> words = new java.util.ArrayList<>();
        result.matchedPositionals().stream().distinct()
                .sorted(java.util.Comparator.comparingInt(p -> p.index().min())).forEach(p -> {
                    Object v = p.getValue();
                    if (v instanceof List<?> l) l.forEach(w -> words.add((String) w));
                    else if (v != null) words.add((String) v);
                });
        return List.copyOf(words);
    }

    private static Map<String, String> options(ParseResult result) {
        Map<String, String> opts = new HashMap<>();
        for (OptionSpec o : result.matchedOptions()) {
            opts.put(o.longestName(), o.arity().max() == 0 ? "true" : String.valueOf((Object) o.getValue()));
        }
        return Map.copyOf(opts);
    }

    /**
     * Parses {@code words} (a command's name, then its words) with the root {@code session} and maps picocli's
     * errors to the usage errors below; {@code command} is the subcommand the first word names, whose
     * options a {@code --word} must be (null: the subcommand checks its words itself).
     */
    static ParseResult dispatch(CommandLine session, CommandSpec command, List<String> words, String synopsis) {
        return run(session, command, words.subList(1, words.size()), words.toArray(String[]::new), synopsis);
    }

    /** The session's parser settings, the same for every command; see {@link #run}. */
    static CommandSpec configure(CommandSpec spec) {
        // words such as -5 or -x are positionals, as before; only --name is an option
        spec.parser().unmatchedOptionsArePositionalParams(true).allowOptionsAsOptionParameters(true)
                .overwrittenOptionsAllowed(true).posixClusteredShortOptionsAllowed(false).expandAtFiles(false);
        return spec;
    }

    private static ParseResult run(CommandSpec spec, List<String> words, String synopsis) {
        return run(new CommandLine(configure(spec)), spec, words, words.toArray(String[]::new), synopsis);
    }

    private static ParseResult run(CommandLine line, CommandSpec spec, List<String> words, String[] args, String synopsis) {
        check(spec, words, synopsis);
        try {
            return line.parseArgs(args);
        } catch (MissingParameterException e) {
            String usage = usage(e, synopsis);
            if (e.getMissing().isEmpty() || !e.getMissing().get(0).isOption()) {
                throw CliException.usage("missing arguments; usage: " + usage);
            }
            throw CliException.usage(((OptionSpec) e.getMissing().get(0)).longestName() + " needs a value; usage: " + usage);
        } catch (UnmatchedArgumentException e) {
            String first = e.getUnmatched().isEmpty() ? "?" : e.getUnmatched().get(0);
            throw CliException.usage("unexpected '" + first + "'; usage: " + usage(e, synopsis) + " (quote text that has spaces)");
        } catch (ParameterException e) {
            throw CliException.usage("bad arguments (" + e.getMessage() + "); usage: " + usage(e, synopsis));
        }
    }

    /**
     * Fails on a {@code --word} that is none of the options of {@code spec} (null: not checked), or of its
     * subcommand that the first word names (with that subcommand's synopsis).
     */
    private static void check(CommandSpec spec, List<String> words, String synopsis) {
        if (spec == null) return;
        if (!words.isEmpty() && spec.subcommands().containsKey(words.get(0))) {
            CommandSpec sub = spec.subcommands().get(words.get(0)).getCommandSpec();
            String[] custom = sub.usageMessage().customSynopsis();
            check(sub, words.subList(1, words.size()), custom.length > 0 ? custom[0] : synopsis);
            return;
        }
        // A command with subcommands whose first word names none of them: that is the error to report (the
        // command's action does), not an option that only a subcommand would have had.
        if (!spec.subcommands().isEmpty()) return;
        for (String w : words) {
            if (w.equals("--")) break;
            if (!w.startsWith("--")) continue;
            int eq = w.indexOf('=');
            String name = eq < 0 ? w : w.substring(0, eq);
            OptionSpec o = spec.findOption(name);
            if (o == null || (eq >= 0 && o.arity().max() == 0)) {
                // picocli would take an unknown --word as a positional here; it is an error
                // A text that starts with dashes (wait message CONF --words) goes after "--", which ends the options.
                boolean text = spec.positionalParameters().stream().anyMatch(p -> p.paramLabel().equals("TEXT"));
                String hint = text ? "; put -- before a TEXT that starts with --" : "";
                throw CliException.usage("unknown option '" + name + "'; usage: " + synopsis + hint);
            }
        }
    }

    /** The synopsis of the (sub)command where picocli failed, if it has its own; else {@code synopsis}. */
    private static String usage(ParameterException e, String synopsis) {
        String[] custom = e.getCommandLine() == null ? new String[0] : e.getCommandLine().getCommandSpec().usageMessage().customSynopsis();
        return custom.length > 0 ? custom[0] : synopsis;
    }

    String positional(int index) {
        return positionals.get(index);
    }

    List<String> positionals() {
        return positionals;
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** A positional that must be a whole number {@code >= min}. */
    int integer(int index, String label, int min) {
        String text = positionals.get(index);
        try {
            int n = Integer.parseInt(text);
            if (n >= min) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CliException.usage(label + ": '" + text + "' (expected: a whole number >= " + min + "); usage: " + synopsis);
    }
}
