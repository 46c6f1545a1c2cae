package dev.convene.cli.session;

import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.FileInfo;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code files CONF}: the files offered in a conference, in history order (a late joiner sees the earlier offers
 * too): reference, name, size, sharer, SHA-256 prefix, and whether this peer holds the file ({@code held}, {@code partial},
 * {@code absent}).
 */
@Command(name = "files", customSynopsis = "files CONF",
        description = "list the files offered in a conference: reference, name, size, sharer, sha256, held/partial/absent here")
final class FilesCmd extends PicocliCommand {
    /** The data of the {@code files} result: every offer, oldest first. */
    record Data(String conference, String title, int count, List<FileInfo> files) {
    }

    @Override
    FilesCmd fresh() {
        return new FilesCmd();
    }

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceFirst(typed);
    }

    @Parameters(index = "0", paramLabel = "CONF", description = "a conference: title, id or id prefix")
    private String conf;

    @Override
    Action action() {
        String conf = this.conf;
        return session -> {
            ConferencePeer peer = session.conferences();
            ConferenceView v = Lookup.conference(session, conf);
            List<FileInfo> files = peer.files(v.id()).stream().map(o -> FileInfo.of(peer, o)).toList();
            String head = "files in " + ConferenceInfo.label(v) + ": " + (files.isEmpty() ? "none yet ('share "
                    + Safe.line(FileInfo.word(v.title())) + " FILE' offers one)" : files.size() == 1 ? "1 file" : files.size() + " files");
            String lines = files.stream().map(f -> "\n  " + Safe.line(f.ref()) + "  '" + Safe.line(f.name()) + "'  " + FileInfo.bytes(f.size())
                    + "  sha256 " + f.sha256().substring(0, FileInfo.SHA_PREFIX) + "  from " + f.sharer().label() + "  " + f.holding()).collect(Collectors.joining());
            session.result(name(), new Data(v.id().value(), v.title(), files.size(), files), head + lines);
        };
    }
}
