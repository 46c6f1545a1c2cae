package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.ConferenceEvents;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.FileInfo;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.FileException;
import dev.convene.conference.FileOffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code share CONF FILE}: offers a file to a live conference. The peer hashes it and keeps a copy in its home, so
 * that it serves the file as it was; every participant hears a {@code file-offered} event and may {@code fetch} it,
 * from this peer or from any participant that fetched it. {@code FILE} is a path (one word: quote one with spaces),
 * relative to the directory {@code convene} runs in, {@code ~/} for the home directory.
 */
@Command(name = "share", customSynopsis = "share CONF FILE",
        description = "offer a file to a conference (FILE: a path; quote it if it has spaces); participants 'fetch' it")
final class ShareCmd extends PicocliCommand {
    /**
     * The data of the {@code share} result.
     *
     * @param id the offer, {@code AUTHOR-ID:SEQUENCE} as in {@code file-offered}
     * @param ref the offer as people name it ({@code alice#4})
     * @param name the name offered: the file's name, with any character unsafe in a file name replaced by {@code _}
     * @param path the file shared (absolute)
     */
    record Data(String conference, String title, String id, String ref, String name, long size, String sha256, String path) {
    }

    @Override
    ShareCmd fresh() {
        return new ShareCmd();
    }

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceFirst(typed);
    }

    @Parameters(index = "0", paramLabel = "CONF", description = "a conference: title, id or id prefix")
    private String conf;

    @Parameters(index = "1", paramLabel = "FILE", description = "the file: a path, relative to this directory or ~/…")
    private String file;

    @Override
    Action action() {
        String conf = this.conf;
        Path path = FileLookup.path(file, "FILE");
        return session -> {
            ConferenceView v = Lookup.conference(session, conf);
            readable(path);
            FileOffer offer;
            try {
                offer = FileLookup.await(session.conferences().share(v.id(), path));
            } catch (FileException e) {
                throw CliException.failed(failure(e, path));
            }
            String ref = ConferenceEvents.ref(session.conferences(), offer.id());
            String renamed = offer.name().equals(String.valueOf(path.getFileName())) ? "" : " as '" + Safe.line(offer.name()) + "'";
            session.result(name(), new Data(v.id().value(), v.title(), ConferenceEvents.messageId(offer.id()), ref, offer.name(), offer.size(),
                    offer.sha256(), path.toString()),
                    "shared " + FileLookup.shown(path) + renamed + " (" + FileInfo.bytes(offer.size()) + ", sha256 "
                            + offer.sha256().substring(0, FileInfo.SHA_PREFIX) + ") in " + ConferenceInfo.label(v) + " as " + Safe.line(ref)
                            + "; participants fetch it with: fetch " + Safe.line(FileInfo.word(v.title())) + " "
                            + Safe.line(FileInfo.word(offer.name())));
        };
    }

    /**
     * Checks what the library would refuse, to say what is wrong with the path itself.
     *
     * @throws CliException for a file that is missing, a directory, not a regular file or not readable
     */
    static void readable(Path path) {
        String shown = FileLookup.shown(path);
        if (!Files.exists(path)) {
            Path parent = path.getParent();
            throw CliException.failed("no file " + shown + (parent != null && !Files.isDirectory(parent) ? " (no directory "
                    + FileLookup.shown(parent) + ")" : "") + "; check the path (a name with spaces goes in quotes)");
        }
        if (Files.isDirectory(path)) throw CliException.failed(shown + " is a directory; share one file (an archive of the directory, say)");
        if (!Files.isRegularFile(path)) throw CliException.failed(shown + " is not a regular file; share a file");
        if (!Files.isReadable(path)) throw CliException.failed("cannot read " + shown + ": permission denied; check its permissions (chmod u+r)");
    }

    /** The one line for a share the library refused. */
    private static String failure(FileException e, Path path) {
        String shown = FileLookup.shown(path);
        return switch (e.reason()) {
            case NO_HOME -> "this peer has no home directory to keep shared files in; start it with --home DIR";
            case NOT_SHAREABLE -> "cannot share " + shown + ": not a readable regular file of at most " + FileInfo.bytes(FileOffer.MAX_SIZE)
                    + "; check the path and its permissions";
            case IO -> "cannot read " + shown + " or copy it into the home (" + cause(e) + "); check the file and free disk space";
            case CLOSED -> "this peer stopped while sharing " + shown + "; start it again and share it again";
            default -> dev.convene.cli.CliErrors.conference(e);
        };
    }

    /** The underlying failure's message, on one line. */
    static String cause(Exception e) {
        Throwable c = e.getCause();
        if (c == null) return "an input/output error";
        return Safe.line(c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
    }
}
