package dev.convene.cli.terminal;

import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.session.CommandRegistry;
import dev.convene.cli.session.Completion;
import dev.convene.cli.session.Session;
import dev.convene.cli.session.SessionCommand;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.Directory;
import dev.convene.overlay.PeerAdvertisement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.shell.jline3.PicocliJLineCompleter;

/**
 * Tab completion in the interactive session: command names, then what each command says its next argument
 * names ({@link SessionCommand#completion}): conference titles, peer names, names of offered files, fixed words. Peers and
 * conferences are read from the live peer at every Tab. In chat mode, {@code /COMMAND} completes as a
 * command with the open conference implied, and plain text completes peer names.
 *
 * <p>A title or name that more than one conference or peer has, or that would not print as it is
 * ({@link Safe}), is offered as its short id instead, which is what the commands resolve without doubt.
 * Called on the thread that reads lines.
 */
final class SessionCompleter implements Completer {
    private final CommandRegistry registry;
    private final Supplier<Session> session;
    private final Supplier<Optional<String>> chat;

    /**
     * @param session the running session, or null while it starts
     * @param chat the id of the conference open in chat mode, if any
     */
    SessionCompleter(CommandRegistry registry, Supplier<Session> session, Supplier<Optional<String>> chat) {
        this.registry = registry;
        this.session = session;
        this.chat = chat;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word();
        candidates.addAll(candidates(line.words(), line.wordIndex(), word.substring(0, Math.min(line.wordCursor(), word.length()))));
    }

    /**
     * What to offer for word {@code index} of {@code words}, of which {@code partial} is typed so far (JLine
     * keeps the candidates that match it).
     */
    List<Candidate> candidates(List<String> words, int index, String partial) {
        Session s = session.get();
        if (s == null || index < 0) return List.of();
        Optional<String> open = chat.get();
        List<String> before = words.subList(0, Math.min(index, words.size()));
        if (open.isPresent()) {
            if (words.isEmpty() || !words.get(0).startsWith("/")) return peers(s, partial);
            if (index == 0) return commands("/", true);
            return arguments(s, words.get(0).substring(1), before.subList(1, before.size()), partial, open);
        }
        if (index == 0) return commands("", false);
        return arguments(s, words.get(0), before.subList(1, before.size()), partial, Optional.empty());
    }

    private List<Candidate> arguments(Session s, String name, List<String> typed, String partial, Optional<String> open) {
        Optional<SessionCommand> command = registry.get(name);
        if (command.isEmpty()) return List.of();
        List<String> args = typed;
        if (open.isPresent() && Interactive.takesOpenConference(command.get())) {
            args = new ArrayList<>(typed);
            args.add(0, open.get());
        }
        if (typed.isEmpty() && !registry.model().getSubcommands().get(name).getSubcommands().isEmpty()) {
            // a command with subcommands of its own ('wait peers', 'wait message', …): their names, from the model
            return model(List.of(name, partial)).stream().filter(w -> !w.startsWith("-")).map(w -> candidate(w, w, null)).toList();
        }
        Completion c = command.get().completion(args);
        if (partial.startsWith("-") || (c.kind() == Completion.Kind.NOTHING && command.get().freeTextAfter() < 0)) {
            List<String> words = new ArrayList<>(typed);
            words.add(0, name);
            words.add(partial);
            return model(words).stream().filter(w -> w.startsWith("-")).map(w -> candidate(w, w, null)).toList();
        }
        return switch (c.kind()) {
            case NOTHING -> List.of();
            case CONFERENCES -> conferences(s);
            case PEERS -> peers(s, partial);
            case COMMANDS -> commands("", false);
            case WORDS -> c.words().stream().map(w -> candidate(w, w, null)).toList();
            case FILES -> files(s, c.words().get(0));
        };
    }

    private List<Candidate> commands(String prefix, boolean chatting) {
        List<Candidate> out = new ArrayList<>();
        if (chatting) out.add(candidate("/back", "/back", "return to commands"));
        for (String name : model(List.of(""))) {
            out.add(candidate(prefix + name, prefix + name, registry.get(name).map(SessionCommand::summary).orElse(null)));
        }
        return out;
    }

    /**
     * What picocli's completer offers for the last of {@code words} (a command name, then its words) from the
     * session commands' model: command names, then a command's option names. Every candidate for that word,
     * whatever of it is typed (JLine keeps those that match).
     */
    private List<String> model(List<String> words) {
        List<Candidate> out = new ArrayList<>();
        new PicocliJLineCompleter(registry.model().getCommandSpec()).complete(null, new Words(words), out);
        return out.stream().map(Candidate::value).toList();
    }

    /** {@code words} as JLine's parsed line, the cursor at the start of the last. */
    private record Words(List<String> words) implements ParsedLine {
        @Override
        public String word() {
            return "";
        }

        @Override
        public int wordCursor() {
            return 0;
        }

        @Override
        public int wordIndex() {
            return words.size() - 1;
        }

        @Override
        public String line() {
            return String.join(" ", words);
        }

        @Override
        public int cursor() {
            return line().length();
        }
    }

    /** Every conference known here, by title where the title names it alone. */
    private static List<Candidate> conferences(Session s) {
        List<ConferenceView> all = s.conferences().conferences();
        Map<String, Long> titles = all.stream().collect(Collectors.groupingBy(v -> v.title().toLowerCase(Locale.ROOT), Collectors.counting()));
        return all.stream().map(v -> {
            String shortId = v.id().shortId();
            String description = shortId + ", " + ConferenceInfo.lower(v.state()) + ", " + ConferenceInfo.lower(v.myRole());
            boolean byTitle = titles.get(v.title().toLowerCase(Locale.ROOT)) == 1 && printable(v.title());
            return byTitle ? candidate(v.title(), v.title(), description) : candidate(shortId, shortId + " " + Safe.line(v.title()), description);
        }).toList();
    }

    /**
     * Every other peer known here, by name where the name names it alone. In a comma-separated list
     * ({@code --invite bob,ca}) the candidates keep what comes before the last comma.
     */
    private static List<Candidate> peers(Session s, String partial) {
        Directory directory = s.overlay().directory();
        String prefix = partial.substring(0, partial.lastIndexOf(',') + 1);
        Map<String, ?> shared = directory.nameConflicts();
        Function<PeerAdvertisement, String> state = ad -> directory.isOnline(ad.id()) ? "online" : "offline";
        return directory.known().stream().filter(ad -> !ad.id().equals(s.overlay().self())).map(ad -> {
            String shortId = ad.id().shortId();
            boolean byName = !shared.containsKey(ad.name()) && printable(ad.name());
            String value = prefix + (byName ? ad.name() : shortId);
            return candidate(value, byName ? ad.name() : Safe.line(ad.label()), shortId + ", " + state.apply(ad));
        }).toList();
    }

    /**
     * The files offered in the conference {@code conf} names, by name where the name names one offer alone, else by
     * reference ({@code bob#3}); none if {@code conf} names no conference here.
     */
    private static List<Candidate> files(Session s, String conf) {
        List<dev.convene.conference.FileOffer> offers;
        try {
            offers = s.conferences().files(s.conferences().resolve(conf).id());
        } catch (RuntimeException e) {
            return List.of();
        }
        Map<String, Long> names = offers.stream().collect(Collectors.groupingBy(dev.convene.conference.FileOffer::name, Collectors.counting()));
        return offers.stream().map(o -> {
            String ref = dev.convene.cli.output.ConferenceEvents.ref(s.conferences(), o.id());
            String description = ref + ", " + dev.convene.cli.output.FileInfo.bytes(o.size());
            boolean byName = names.get(o.name()) == 1 && printable(o.name());
            return byName ? candidate(o.name(), o.name(), description) : candidate(ref, ref + " " + Safe.line(o.name()), description);
        }).toList();
    }

    /** Text that prints as it is and reads as one word or a quoted string, never as an option. */
    private static boolean printable(String text) {
        return Safe.line(text).equals(text) && !text.startsWith("-") && !text.contains("\\");
    }

    private static Candidate candidate(String value, String display, String description) {
        return new Candidate(value, display, null, description, null, null, true);
    }
}
