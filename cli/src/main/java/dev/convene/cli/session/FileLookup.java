package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.ConferenceEvents;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.FileInfo;
import dev.convene.cli.output.PeerView;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferenceException;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.FileException;
import dev.convene.conference.FileOffer;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * What the file commands share: finding the offer a user names ({@code NAME} or a reference such as {@code bob#3}),
 * the paths a user types, and waiting for a share or fetch that may take long (a large file is hashed, copied or
 * moved). Every failure is a {@link CliException} whose one line says what to do next.
 */
final class FileLookup {
    private FileLookup() {
    }

    /**
     * The offer of {@code v} that {@code reference} names: the file name (exactly, else ignoring case), or, when no
     * name matches, a reference {@code AUTHOR#N} ({@code bob#3}, as {@code files} shows it) or {@code AUTHOR:N}.
     * Empty while nothing matches (it may still be offered).
     *
     * @throws CliException if the name is that of several offers, listing their references
     */
    static Optional<FileOffer> find(Session session, ConferenceView v, String reference) {
        ConferencePeer peer = session.conferences();
        List<FileOffer> offers = peer.files(v.id());
        List<FileOffer> named = offers.stream().filter(o -> o.name().equals(reference)).toList();
        if (named.isEmpty()) named = offers.stream().filter(o -> o.name().equalsIgnoreCase(reference)).toList();
        if (named.isEmpty()) {
            // Typed as it is on disk: offered with its unsafe characters replaced (a quote became '_').
            String offered = FileOffer.offeredName(reference);
            if (!offered.equals(reference)) named = offers.stream().filter(o -> o.name().equals(offered)).toList();
        }
        if (named.size() == 1) return Optional.of(named.get(0));
        if (named.size() > 1) {
            String candidates = named.stream().map(o -> ConferenceEvents.ref(peer, o.id()) + " (" + FileInfo.bytes(o.size()) + ", sha256 "
                    + o.sha256().substring(0, FileInfo.SHA_PREFIX) + ")").collect(Collectors.joining(", "));
            throw CliException.failed("'" + Safe.line(reference) + "' is the name of " + named.size() + " offers in " + ConferenceInfo.label(v)
                    + ": " + Safe.line(candidates) + "; name one by its reference, e.g. " + Safe.line(ConferenceEvents.ref(peer, named.get(0).id())));
        }
        return byReference(peer, offers, reference);
    }

    /**
     * {@link #find}, required.
     *
     * @throws CliException if no offer matches, saying how to list them
     */
    static FileOffer require(Session session, ConferenceView v, String reference) {
        return find(session, v, reference).orElseThrow(() -> CliException.failed("no file '" + Safe.line(reference) + "' is offered in "
                + ConferenceInfo.label(v) + "; 'files " + Safe.line(FileInfo.word(v.title())) + "' lists the offers"));
    }

    /** The offer named {@code AUTHOR#N} or {@code AUTHOR:N}: the author a name (case-insensitive), an id or an id prefix. */
    private static Optional<FileOffer> byReference(ConferencePeer peer, List<FileOffer> offers, String reference) {
        String r = reference.strip();
        int at = Math.max(r.lastIndexOf('#'), r.lastIndexOf(':'));
        if (at <= 0) return Optional.empty();
        long sequence;
        try {
            sequence = Long.parseLong(r.substring(at + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String author = r.substring(0, at).toLowerCase(Locale.ROOT);
        List<FileOffer> found = offers.stream().filter(o -> o.id().sequence() == sequence)
                .filter(o -> o.sharer().value().startsWith(author) || PeerView.name(peer, o.sharer()).equalsIgnoreCase(author))
                .toList();
        List<FileOffer> exact = found.stream().filter(o -> o.sharer().value().equals(author)).toList();
        if (!exact.isEmpty()) found = exact;
        if (found.size() > 1) {
            throw CliException.failed(Safe.line(r) + " matches offers of " + found.stream().map(o -> PeerView.name(peer, o.sharer())
                    + " (" + o.sharer().shortId() + ")").map(Safe::line).collect(Collectors.joining(", "))
                    + "; name the sharer by id instead (e.g. " + found.get(0).sharer().shortId() + "#" + sequence + ")");
        }
        return found.stream().findFirst();
    }

    /**
     * A path as the user typed it: {@code ~} and {@code ~/…} are in the user's home directory, a relative path is in
     * the directory {@code convene} runs in. Nothing else is expanded.
     *
     * @param what what the path is for, in the error ({@code FILE}, {@code --to})
     * @throws CliException a usage error if the text is no path on this system
     */
    static Path path(String typed, String what) {
        String t = typed;
        if (t.equals("~") || t.startsWith("~/")) t = System.getProperty("user.home") + t.substring(1);
        try {
            return Path.of(t).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw CliException.usage(what + ": '" + Safe.line(typed) + "' is not a path on this system (" + Safe.line(e.getReason()) + ")");
        }
    }

    /** {@code path} for people: as typed, made safe to print, in quotes. */
    static String shown(Path path) {
        return "'" + Safe.line(path.toString()) + "'";
    }

    /**
     * Waits for a share or fetch, however long it takes (the library gives up by itself: a fetch without any source
     * for {@code FETCH_STALL}). Ctrl-C stops waiting (the {@code fetch} command then cancels the fetch).
     *
     * @throws FileException as the library failed, for the command to word with what it knows
     * @throws CliException for any other refusal
     */
    static <T> T await(CompletableFuture<T> operation) throws InterruptedException {
        try {
            return operation.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof FileException f) throw f;
            if (cause instanceof ConferenceException c) throw CliException.failed(dev.convene.cli.CliErrors.conference(c));
            if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) throw CliException.failed(cause.getMessage());
            throw new IllegalStateException("the conference peer failed: " + cause + "; run again with --verbose and report it", cause);
        }
    }
}
