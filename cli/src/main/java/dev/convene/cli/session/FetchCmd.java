package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.ConferenceEvents;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.Event;
import dev.convene.cli.output.FileInfo;
import dev.convene.cli.output.PeerView;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.FetchedFile;
import dev.convene.conference.FileException;
import dev.convene.conference.FileOffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fetch CONF NAME [--to DIR]}: fetches an offered file from every participant online that holds it, and
 * returns once it is whole and verified (each chunk against its hash, the whole against the offer's SHA-256). The
 * result carries the path and the SHA-256. {@code NAME} is the file's name as offered; when several offers have that
 * name, their reference ({@code bob#3}, as {@code files} shows it) instead. The file goes to {@code DIR} (created if
 * need be) or to {@code HOME/downloads/CONFERENCE-ID}; a name already taken there gets {@code " (N)"}. A fetch that
 * stopped (no holder online, a restart) keeps its verified chunks: fetching again continues. Ctrl-C cancels the fetch
 * (its streams close, its verified chunks are kept) and says that a later {@code fetch} resumes it.
 *
 * <p>On a terminal a progress bar shows how far it is; with {@code --json}, {@code file-progress} events, then
 * {@code file-fetched} and the result.
 */
@Command(name = "fetch", customSynopsis = FetchCmd.SYNOPSIS,
        description = "fetch an offered file, whole and verified (NAME: its name, or its reference bob#3 as 'files' shows it when names clash)")
final class FetchCmd extends PicocliCommand {
    static final String SYNOPSIS = "fetch CONF NAME [--to DIR]";

    /**
     * The data of the {@code fetch} result.
     *
     * @param id the offer, {@code AUTHOR-ID:SEQUENCE} as in {@code file-offered}
     * @param path where the file is now (absolute)
     * @param sha256 the SHA-256 of what was written, equal to the offer's
     */
    record Data(String conference, String title, String id, String ref, String name, String path, String sha256, long size) {
    }

    @Override
    FetchCmd fresh() {
        return new FetchCmd();
    }

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceThenFile(typed);
    }

    @Parameters(index = "0", paramLabel = "CONF", description = "a conference: title, id or id prefix")
    private String conf;

    @Parameters(index = "1", paramLabel = "NAME", description = "the file's name as offered, or the offer's reference (bob#3) when names clash")
    private String file;

    @Option(names = "--to", paramLabel = "DIR", description = "the directory to write it to (default: HOME/downloads/CONFERENCE-ID)")
    private String to;

    @Override
    Action action() {
        String conf = this.conf;
        String file = this.file;
        Path dir = to == null ? null : FileLookup.path(to, "--to");
        return session -> {
            ConferencePeer peer = session.conferences();
            ConferenceView v = Lookup.conference(session, conf);
            FileOffer offer = FileLookup.require(session, v, file);
            if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
                throw CliException.failed("--to " + FileLookup.shown(dir) + " is a file, not a directory; give a directory");
            }
            FetchProgress progress = new FetchProgress(session.out(), v, offer);
            FetchedFile fetched;
            try {
                fetched = awaitOrCancel(peer.fetch(v.id(), offer.id(), dir, progress));
            } catch (InterruptedException e) {
                if (session.quitRequested()) throw e;
                throw CliException.failed(cancelled(offer, conf, file, Math.max(progress.bytesDone(), peer.fileBytesHeld(offer))));
            } catch (FileException e) {
                String sharer = PeerView.name(peer, offer.sharer()) + " (" + offer.sharer().shortId() + ")";
                throw CliException.failed(failure(e, offer, sharer, ConferenceInfo.label(v), v.title(), dir, progress.bytesDone()));
            } finally {
                progress.done();
            }
            String path = fetched.path().toAbsolutePath().toString();
            String id = ConferenceEvents.messageId(offer.id());
            session.out().emit(new Event.FileFetched(v.id().value(), v.title(), id, offer.name(), path, fetched.sha256(), fetched.size()));
            session.result(name(), new Data(v.id().value(), v.title(), id, ConferenceEvents.ref(peer, offer.id()), offer.name(), path,
                            fetched.sha256(), fetched.size()),
                    "fetched '" + Safe.line(offer.name()) + "' (" + FileInfo.bytes(fetched.size()) + ") to " + FileLookup.shown(fetched.path())
                            + "; sha256 " + fetched.sha256() + " verified");
        };
    }

    /**
     * Waits for a fetch as {@link FileLookup#await} does; interrupted (Ctrl-C), cancels it first: the library stops it,
     * keeping its verified chunks.
     *
     * @throws InterruptedException if interrupted, once the fetch is cancelled
     */
    static FetchedFile awaitOrCancel(java.util.concurrent.CompletableFuture<FetchedFile> fetch) throws InterruptedException {
        try {
            return FileLookup.await(fetch);
        } catch (InterruptedException e) {
            fetch.cancel(false);
            throw e;
        }
    }

    /**
     * The one line for a fetch cancelled by Ctrl-C.
     *
     * @param conf the conference as typed
     * @param file the file as typed
     * @param done bytes verified and kept
     */
    static String cancelled(FileOffer offer, String conf, String file, long done) {
        return "fetch of '" + Safe.line(offer.name()) + "' cancelled (" + FileInfo.bytes(done) + " of " + FileInfo.bytes(offer.size())
                + " verified and kept); 'fetch " + Safe.line(FileInfo.word(conf)) + " " + Safe.line(FileInfo.word(file)) + "' later resumes it";
    }

    /**
     * The one line for a fetch the library gave up: what happened, and what to do next.
     *
     * @param sharer the sharer as people know it, {@code bob (abcd1234)}
     * @param label the conference as {@link ConferenceInfo#label} shows it
     * @param dir the {@code --to} directory, or null
     * @param done bytes verified and kept
     */
    static String failure(FileException e, FileOffer offer, String sharer, String label, String title, Path dir, long done) {
        String name = "'" + Safe.line(offer.name()) + "'";
        sharer = Safe.line(sharer);
        return switch (e.reason()) {
            case NO_SOURCE -> "no participant online holds the rest of " + name + " (" + FileInfo.bytes(done) + " of "
                    + FileInfo.bytes(offer.size()) + " verified and kept); fetch it again when " + sharer
                    + " or another participant who fetched it is online";
            case CORRUPT -> "hash mismatch: " + name + " as fetched does not match the offer's sha256 " + offer.sha256().substring(0, FileInfo.SHA_PREFIX)
                    + " (every chunk matched its own hash, the whole did not); nothing was kept; ask " + sharer + " to share it again";
            case IO -> "cannot write " + name + " to " + (dir == null ? "the downloads of the home" : FileLookup.shown(dir)) + " ("
                    + ShareCmd.cause(e) + "); check free disk space and permissions, or fetch it --to another directory";
            case NOT_FOUND -> "no file " + name + " is offered in " + label + " any more; 'files "
                    + Safe.line(FileInfo.word(title)) + "' lists the offers";
            case NO_HOME -> "this peer has no home directory to keep fetched chunks in; start it with --home DIR";
            case CLOSED -> "this peer stopped during the fetch of " + name + "; start it again and fetch again (verified chunks are kept)";
            case NOT_SHAREABLE -> dev.convene.cli.CliErrors.conference(e);
        };
    }
}
