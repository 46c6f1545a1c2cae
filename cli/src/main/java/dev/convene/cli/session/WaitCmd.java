package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.Durations;
import dev.convene.cli.output.PeerView;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Parameters;

/**
 * {@code wait KIND … [--timeout D]}: blocks the script until something is true, satisfied by what already
 * happened as well as by what comes. Each KIND is a {@link Target}; conference waits ({@code invitation},
 * {@code reply}, {@code started}, {@code message}) are further targets passed to the constructor.
 */
@Command(name = "wait", description = "wait until something is true")
public final class WaitCmd extends PicocliCommand {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private final Map<String, Target> targets = new LinkedHashMap<>();

    /** Something {@code wait} can wait for. */
    interface Target {
        /** The word after {@code wait}, e.g. {@code peers}. */
        String kind();

        /** Its arguments after the kind, e.g. {@code N}. */
        String arguments();

        /** How many words its arguments are, as a picocli arity, e.g. {@code 1} or {@code 2..*}. */
        String arity();

        String summary();

        /**
         * Checks the arguments (after the kind, without {@code --timeout}); picocli has checked their number.
         *
         * @throws CliException a usage error
         */
        Condition parse(Args args);

        /** Value options it takes besides {@code --timeout}. */
        default Set<String> options() {
            return Set.of();
        }

        /** What its next argument names, given those typed after the kind. */
        default Completion completion(List<String> typed) {
            return Completion.NOTHING;
        }
    }

    /** A parsed wait: what must hold, the result once it does, and the failure message if it never does. */
    interface Condition {
        boolean satisfied(Session session);

        /** The result data and human text, once satisfied. */
        void report(Session session);

        /** Why it is not yet satisfied and what to do, for the timeout message. */
        String shortfall(Session session);
    }

    WaitCmd(List<Target> all) {
        all.forEach(t -> targets.put(t.kind(), t));
    }

    @Override
    public String name() {
        return "wait";
    }

    @Override
    public String synopsis() {
        return "wait " + String.join("|", targets.keySet()) + " … [--timeout D]";
    }

    @Override
    public String summary() {
        return "wait until something is true (default timeout " + Durations.format(DEFAULT_TIMEOUT) + ")";
    }

    /** One help entry per target. */
    @Override
    public List<HelpCmd.Entry> helpEntries() {
        return targets.values().stream()
                .map(t -> new HelpCmd.Entry("wait " + t.kind() + " " + t.arguments() + " [--timeout D]", t.summary())).toList();
    }

    @Override
    public Completion completion(List<String> typed) {
        if (typed.isEmpty()) return Completion.NOTHING; // the kinds come from the picocli model
        Target target = targets.get(typed.get(0));
        return target == null ? Completion.NOTHING : target.completion(typed.subList(1, typed.size()));
    }

    @Override
    WaitCmd fresh() {
        return new WaitCmd(List.copyOf(targets.values()));
    }

    /** What {@code wait} cannot be followed by: a word that names no kind. */
    @Parameters(arity = "0..*", paramLabel = "KIND", hidden = true)
    private List<String> unknown;

    /**
     * {@code wait} with one subcommand per target: its arguments with the target's arity, {@code --timeout}
     * and its own options, all with one value.
     */
    @Override
    CommandSpec spec() {
        CommandSpec wait = super.spec();
        for (Target t : targets.values()) {
            CommandSpec kind = CommandSpec.create().name(t.kind());
            kind.usageMessage().customSynopsis(usage(t)).description(t.summary());
            addPositionals(kind, t);
            java.util.Set<String> options = new java.util.TreeSet<>(t.options());
            options.add("--timeout");
            for (String o : options) kind.addOption(OptionSpec.builder(o).arity("1").type(String.class).build());
            wait.addSubcommand(t.kind(), Args.configure(kind));
        }
        return wait;
    }

    /**
     * The target's arguments as picocli positionals, one per word of its arity ({@code 2..*}: one, then one
     * that takes the rest), so that options may come between them and an extra word is an error.
     */
    private static void addPositionals(CommandSpec kind, Target t) {
        boolean rest = t.arity().endsWith("..*");
        int count = Integer.parseInt(rest ? t.arity().substring(0, t.arity().length() - 3) : t.arity());
        String[] labels = t.arguments().split(" ");
        for (int i = 0; i < count; i++) {
            boolean last = rest && i == count - 1;
            PositionalParamSpec.Builder p = PositionalParamSpec.builder().index(last ? i + "..*" : String.valueOf(i))
                    .arity(last ? "1..*" : "1").required(true).paramLabel(i < labels.length ? labels[i] : "ARG");
            kind.addPositional((last ? p.type(List.class).auxiliaryTypes(String.class) : p.type(String.class)).build());
        }
    }

    private static String usage(Target t) {
        return "wait " + t.kind() + " " + t.arguments() + " [--timeout D]";
    }

    @Override
    Action action() {
        throw new IllegalStateException("wait needs its parse result");
    }

    @Override
    Action action(ParseResult parsed) {
        if (parsed.subcommand() == null) {
            String kinds = targets.keySet().stream().map(k -> "'wait " + k + "'").collect(Collectors.joining(", "));
            String got = unknown == null || unknown.isEmpty() ? "nothing" : "'" + unknown.get(0) + "'";
            throw CliException.usage("cannot wait for " + got + "; use " + kinds);
        }
        ParseResult sub = parsed.subcommand();
        Target target = targets.get(sub.commandSpec().name());
        Args args = Args.of(usage(target), sub);
        Duration timeout = args.option("--timeout").map(t -> Durations.parse(t, "--timeout")).orElse(DEFAULT_TIMEOUT);
        Condition condition = target.parse(args);
        return session -> {
            session.await(timeout, () -> condition.satisfied(session),
                    () -> "wait " + target.kind() + ": timed out after " + Durations.format(timeout) + "; " + condition.shortfall(session));
            condition.report(session);
        };
    }

    /**
     * Peers with different transport keys never see each other and nothing says so: a waiting script gets
     * the hint.
     */
    static String transportKeyHint(dev.convene.overlay.TransportKey key) {
        return key == null
                ? "; a peer started with a transport key (--transport-key-file or --transport-passphrase-file) is never seen by one without it"
                : "; this peer encrypts with transport key " + key.fingerprint() + ": the others must use the same key,"
                        + " a peer with another key or none is never seen";
    }

    /** {@code 2 other peers online}, or {@code 3 other peers online (2 wanted)}: never "3 of 2". */
    public static String peersOnline(int online, int wanted) {
        String count = online + (online == 1 ? " other peer online" : " other peers online");
        return online == wanted ? count : count + " (" + wanted + " wanted)";
    }

    /** {@code wait peers N}: at least N other peers online. */
    static final class PeersTarget implements Target {
        /** The data of the {@code wait peers} result. */
        record Data(String waited, int wanted, int online, List<PeerView> peers) {
        }

        @Override
        public String kind() {
            return "peers";
        }

        @Override
        public String arity() {
            return "1";
        }

        @Override
        public String arguments() {
            return "N";
        }

        @Override
        public String summary() {
            return "wait until at least N other peers are online";
        }

        @Override
        public Condition parse(Args args) {
            int wanted = args.integer(0, "N", 0);
            return new Condition() {
                @Override
                public boolean satisfied(Session s) {
                    return s.overlay().directory().online().size() >= wanted;
                }

                @Override
                public void report(Session s) {
                    List<PeerView> online = s.overlay().directory().online().stream().map(PeerView::of).toList();
                    String names = online.stream().map(PeerView::label).collect(Collectors.joining(", "));
                    s.result("wait", new Data("peers", wanted, online.size(), online),
                            peersOnline(online.size(), wanted) + (online.isEmpty() ? "" : ": " + names));
                }

                @Override
                public String shortfall(Session s) {
                    var online = s.overlay().directory().online();
                    return online.size() + " of " + wanted + " other peers online (" + PeersCmd.labels(online)
                            + "); start the others with the same --network, --port range and --cluster, or raise --timeout"
                            + transportKeyHint(s.overlay().config().transportKey());
                }
            };
        }
    }
}
