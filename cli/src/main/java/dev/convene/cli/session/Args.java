package dev.convene.cli.session;

import dev.convene.cli.CliException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The arguments of one session command after its name: positional words and {@code --option VALUE} (or
 * {@code --option=VALUE}) pairs. {@code --} ends the options, so a word may start with dashes. Errors
 * are usage errors that show the command's synopsis.
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
     * Splits {@code words} into positionals and options.
     *
     * @param synopsis shown in every error, e.g. {@code wait peers N [--timeout D]}
     * @param valueOptions the options this command takes, each with one value
     * @param flags the options this command takes without a value
     */
    static Args parse(List<String> words, String synopsis, Set<String> valueOptions, Set<String> flags) {
        List<String> pos = new ArrayList<>();
        Map<String, String> opts = new HashMap<>();
        boolean optionsEnded = false;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (optionsEnded || !w.startsWith("--")) {
                pos.add(w);
                continue;
            }
            if (w.equals("--")) {
                optionsEnded = true;
                continue;
            }
            int eq = w.indexOf('=');
            String name = eq < 0 ? w : w.substring(0, eq);
            if (flags.contains(name) && eq < 0) {
                opts.put(name, "true");
            } else if (valueOptions.contains(name)) {
                if (eq >= 0) {
                    opts.put(name, w.substring(eq + 1));
                } else if (i + 1 < words.size()) {
                    opts.put(name, words.get(++i));
                } else {
                    throw CliException.usage(name + " needs a value; usage: " + synopsis);
                }
            } else {
                throw CliException.usage("unknown option '" + name + "'; usage: " + synopsis);
            }
        }
        return new Args(synopsis, List.copyOf(pos), Map.copyOf(opts));
    }

    /** Fails unless there are {@code min} to {@code max} positional words. */
    Args expect(int min, int max) {
        if (positionals.size() < min) throw CliException.usage("missing arguments; usage: " + synopsis);
        if (positionals.size() > max) {
            throw CliException.usage("unexpected '" + positionals.get(max) + "'; usage: " + synopsis
                    + " (quote text that has spaces)");
        }
        return this;
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
