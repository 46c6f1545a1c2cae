package dev.convene.cli.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.cli.output.FileInfo;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.FileException;
import dev.convene.conference.FileOffer;
import dev.convene.conference.MessageId;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What people read about files: sizes, the progress bar, names quoted so that the line they are told to type splits
 * back into the same word, and the one-line reasons a fetch failed, each saying what to do next.
 */
class FileWordsTest {
    private static final PeerId BOB = Identity.generate().id();
    private static final FileOffer OFFER = new FileOffer(ConferenceId.random(), new MessageId(BOB, 3), BOB, "report.pdf", 50L << 20,
            "3f2a91c07b1e".repeat(5) + "abcd", 256 << 10, "0".repeat(64), Instant.parse("2026-11-28T12:00:00Z"));

    @Test
    void sizesReadLikeSizes() {
        assertThat(FileInfo.bytes(0)).isEqualTo("0 bytes");
        assertThat(FileInfo.bytes(1)).isEqualTo("1 byte");
        assertThat(FileInfo.bytes(1023)).isEqualTo("1023 bytes");
        assertThat(FileInfo.bytes(4096)).isEqualTo("4.00 KiB");
        assertThat(FileInfo.bytes(50L << 20)).isEqualTo("50.0 MiB");
        assertThat(FileInfo.bytes(640L << 20)).isEqualTo("640 MiB");
        assertThat(FileInfo.bytes(64L << 30)).isEqualTo("64.0 GiB");
    }

    @Test
    void aQuotedWordSplitsBackIntoTheSameText() {
        for (String text : List.of("plain.txt", "my notes 🎉.txt", "it's here", "back\\slash \"quoted\" 'both'", "#hash", "--to", "  two  ")) {
            String typed = FileInfo.word(text);
            assertThat(ShellWords.split("fetch Planning " + typed)).as(typed).containsExactly("fetch", "Planning", text);
        }
        assertThat(FileInfo.word("plain.txt")).isEqualTo("plain.txt");
    }

    @Test
    void theProgressBarFitsTheTerminalAndSaysHowFar() {
        String bar = FileInfo.progressBar("report.pdf", 25L << 20, 50L << 20, 2, 80);
        assertThat(bar).startsWith("report.pdf [").contains("  50% 25.0 MiB of 50.0 MiB from 2");
        assertThat(bar.length()).isLessThan(80);
        String longName = "a very long file name that goes on and on and on and on and on and on.tar.gz";
        String narrow = FileInfo.progressBar(longName, 0, 100, 0, 60);
        assertThat(narrow.length()).isLessThan(60);
        assertThat(narrow).contains("\u2026 [").contains("   0% 0 bytes of 100 bytes");
        assertThat(FileInfo.progressBar("empty", 0, 0, 0, 80)).contains(" 100% ");
    }

    @Test
    void aPathThatCannotBeSharedSaysWhy(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path missing = dir.resolve("gone.txt");
        assertThatThrownBy(() -> ShareCmd.readable(missing)).hasMessage("no file '" + missing + "'; check the path (a name with spaces goes in quotes)");
        Path deep = dir.resolve("no dir").resolve("x.txt");
        assertThatThrownBy(() -> ShareCmd.readable(deep)).hasMessage("no file '" + deep + "' (no directory '" + deep.getParent()
                + "'); check the path (a name with spaces goes in quotes)");
        assertThatThrownBy(() -> ShareCmd.readable(dir)).hasMessage("'" + dir + "' is a directory; share one file (an archive of the directory, say)");
        if (java.nio.file.Files.exists(Path.of("/dev/null"))) {
            assertThatThrownBy(() -> ShareCmd.readable(Path.of("/dev/null"))).hasMessage("'/dev/null' is not a regular file; share a file");
        }
        Path secret = java.nio.file.Files.writeString(dir.resolve("secret.txt"), "x");
        java.nio.file.Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.isReadable(secret), "root reads every file");
        assertThatThrownBy(() -> ShareCmd.readable(secret)).hasMessage("cannot read '" + secret + "': permission denied; check its permissions (chmod u+r)");
    }

    @Test
    void everyFetchFailureSaysWhatToDoNext() {
        String sharer = "bob (" + BOB.shortId() + ")";
        String noSource = FetchCmd.failure(new FileException(OFFER.conference(), OFFER.id(), FileException.Reason.NO_SOURCE, null), OFFER,
                sharer, "'Planning' (abcd1234)", "Planning", null, 12L << 20);
        assertThat(noSource).isEqualTo("no participant online holds the rest of 'report.pdf' (12.0 MiB of 50.0 MiB verified and kept); fetch it"
                + " again when " + sharer + " or another participant who fetched it is online");
        String corrupt = FetchCmd.failure(new FileException(OFFER.conference(), OFFER.id(), FileException.Reason.CORRUPT, null), OFFER,
                sharer, "'Planning' (abcd1234)", "Planning", null, 50L << 20);
        assertThat(corrupt).startsWith("hash mismatch: 'report.pdf' as fetched does not match the offer's sha256 3f2a91c07b1e")
                .endsWith("nothing was kept; ask " + sharer + " to share it again");
        String io = FetchCmd.failure(new FileException(OFFER.conference(), OFFER.id(), FileException.Reason.IO,
                new java.io.IOException("No space left on device")), OFFER, sharer, "'Planning' (abcd1234)", "Planning", Path.of("/tmp/out"), 0);
        assertThat(io).isEqualTo("cannot write 'report.pdf' to '/tmp/out' (No space left on device); check free disk space and permissions,"
                + " or fetch it --to another directory");
        for (FileException.Reason r : FileException.Reason.values()) {
            String line = FetchCmd.failure(new FileException(OFFER.conference(), OFFER.id(), r, null), OFFER, sharer, "'Planning Q3' (abcd1234)",
                    "Planning Q3", null, 0);
            assertThat(line).as(r.name()).doesNotContain("\n").doesNotContain(r.name()).isNotBlank();
        }
    }

    @Test
    void ctrlCDuringAFetchCancelsItAndSaysALaterFetchResumes() throws Exception {
        java.util.concurrent.CompletableFuture<dev.convene.conference.FetchedFile> fetch = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                FetchCmd.awaitOrCancel(fetch);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        waiter.start();
        waiter.interrupt(); // what Ctrl-C does to the running command
        waiter.join(10_000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(fetch.isCancelled()).as("the fetch is cancelled, not left running").isTrue();

        String line = FetchCmd.cancelled(OFFER, "Planning Q3", "report.pdf", 12L << 20);
        assertThat(line).isEqualTo("fetch of 'report.pdf' cancelled (12.0 MiB of 50.0 MiB verified and kept);"
                + " 'fetch \"Planning Q3\" report.pdf' later resumes it");
    }
}
