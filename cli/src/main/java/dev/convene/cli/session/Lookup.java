package dev.convene.cli.session;

import dev.convene.cli.CliErrors;
import dev.convene.cli.CliException;
import dev.convene.cli.output.Durations;
import dev.convene.conference.ConferenceException;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.Directory;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerLookupException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What conference commands share: finding the conference ({@code CONF}) and the peer ({@code PEER}) a user
 * names, and waiting for the conference peer's answer. Every failure is a {@link CliException} whose one
 * line says what to do; an ambiguous name lists the candidates.
 */
public final class Lookup {
    /** Longest wait for the conference peer to carry out one operation; it never needs to wait for others. */
    static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(30);

    private Lookup() {
    }

    /** {@code CONF}: an id, a unique id prefix or an exact title (case-insensitive). */
    static ConferenceView conference(Session session, String reference) {
        try {
            return session.conferences().resolve(reference);
        } catch (ConferenceException e) {
            throw CliException.failed(CliErrors.conference(e));
        }
    }

    /**
     * {@code MSG}: a message of conference {@code v} stored here, named {@code AUTHOR#N} (as {@code history} and
     * message lines show it: {@code bob#3}) or {@code AUTHOR:N} (the {@code id} of the {@code message} event); the
     * author is a name (case-insensitive), an id or an id prefix, {@code N} its sequence number.
     *
     * @throws CliException if the reference is malformed, or no message or several authors' messages match
     */
    static dev.convene.conference.MessageId message(Session session, ConferenceView v, String reference) {
        String r = reference.strip();
        int at = Math.max(r.lastIndexOf('#'), r.lastIndexOf(':'));
        long sequence = -1;
        if (at > 0) {
            try {
                sequence = Long.parseLong(r.substring(at + 1));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        String title = dev.convene.cli.terminal.Safe.line(v.title());
        String label = "'" + title + "'";
        String history = "'history " + (title.chars().anyMatch(Character::isWhitespace) ? "\"" + title + "\"" : title) + "'";
        if (sequence < 1) {
            throw CliException.usage("'" + dev.convene.cli.terminal.Safe.line(r) + "' is not a message: give AUTHOR#N as " + history
                    + " shows it (e.g. bob#3), or the id of a message event");
        }
        String author = r.substring(0, at).toLowerCase(Locale.ROOT);
        long n = sequence;
        List<dev.convene.conference.ChatEntry> found = session.conferences().history(v.id()).stream()
                .filter(e -> e.id().sequence() == n)
                .filter(e -> e.author().value().startsWith(author) || dev.convene.cli.output.PeerView.name(session.conferences(), e.author())
                        .equalsIgnoreCase(author) || e.authorName().equalsIgnoreCase(author))
                .toList();
        List<dev.convene.conference.ChatEntry> exact = found.stream().filter(e -> e.author().value().equals(author)).toList();
        if (!exact.isEmpty()) found = exact;
        if (found.isEmpty()) {
            throw CliException.failed("no message " + dev.convene.cli.terminal.Safe.line(r) + " in " + label + "; " + history
                    + " shows each message as AUTHOR#N");
        }
        if (found.size() > 1) {
            String candidates = found.stream().map(e -> dev.convene.cli.terminal.Safe.line(e.authorName()) + " (" + e.author().shortId() + ")")
                    .collect(java.util.stream.Collectors.joining(", "));
            throw CliException.failed(dev.convene.cli.terminal.Safe.line(r) + " matches messages of " + candidates
                    + "; name the author by id instead (e.g. " + found.get(0).author().shortId() + "#" + n + ")");
        }
        return found.get(0).id();
    }

    /** {@code PEER}: a name, an id or a unique id prefix, online or known from before. */
    static PeerAdvertisement peer(Session session, String reference) {
        try {
            return resolvePeer(session.overlay().directory(), reference);
        } catch (PeerLookupException e) {
            throw CliException.failed(e.getMessage());
        }
    }

    /**
     * {@link Directory#resolve}, except that a name several known peers use is always an error listing them,
     * also when only one of them is online: an impostor has only to be online while the real peer is not.
     *
     * @throws PeerLookupException if nothing or more than one peer matches, listing the candidates
     */
    static PeerAdvertisement resolvePeer(Directory directory, String reference) {
        String q = reference.strip();
        List<PeerAdvertisement> known = directory.known();
        if (known.stream().noneMatch(a -> a.id().value().equalsIgnoreCase(q))) {
            List<PeerAdvertisement> byName = known.stream().filter(a -> a.name().equalsIgnoreCase(q)).toList();
            if (byName.size() > 1) throw new PeerLookupException(q, byName);
        }
        return directory.resolve(reference);
    }

    /**
     * {@code CONF} for a wait: empty while nothing matches (it may still arrive).
     *
     * @throws CliException if several conferences match, listing them
     */
    static Optional<ConferenceView> findConference(Session session, String reference) {
        String q = reference.strip().toLowerCase(Locale.ROOT);
        boolean any = !q.isEmpty() && session.conferences().conferences().stream()
                .anyMatch(v -> v.id().value().startsWith(q) || v.title().equalsIgnoreCase(q));
        return any ? Optional.of(conference(session, reference)) : Optional.empty();
    }

    /**
     * {@code PEER} for a wait: empty while no known peer matches (it may still come online).
     *
     * @throws CliException if several peers match, listing them
     */
    static Optional<PeerAdvertisement> findPeer(Session session, String reference) {
        try {
            return Optional.of(resolvePeer(session.overlay().directory(), reference));
        } catch (PeerLookupException e) {
            if (e.candidates().isEmpty()) return Optional.empty();
            throw CliException.failed(e.getMessage());
        }
    }

    /**
     * The outcome of a conference operation.
     *
     * @throws CliException with the conference peer's reason if it refused
     */
    static <T> T await(CompletableFuture<T> operation) throws InterruptedException {
        try {
            return operation.get(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConferenceException c) throw CliException.failed(CliErrors.conference(c));
            if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
                throw CliException.failed(cause.getMessage());
            }
            throw new IllegalStateException("the conference peer failed: " + cause + "; run again with --verbose and report it", cause);
        } catch (TimeoutException e) {
            throw CliException.failed("this peer did not answer within " + Durations.format(OPERATION_TIMEOUT)
                    + "; it may be overloaded; try again, or restart it");
        }
    }
}
