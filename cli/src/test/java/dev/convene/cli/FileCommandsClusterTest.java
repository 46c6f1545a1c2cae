package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.convene.cli.output.FileInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code share}, {@code files}, {@code wait file} and {@code fetch} end to end between two scripted peers: the
 * {@code file-offered}, {@code file-progress} and {@code file-fetched} events, the results' paths and hashes, paths
 * typed with spaces, apostrophes, quotes, backslashes and emoji, and the one-line errors.
 */
@Timeout(120)
class FileCommandsClusterTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final ScriptedPeers peers = new ScriptedPeers();

    private ScriptedPeer start(String name) {
        return peers.start(dir, name);
    }

    private Path file(String relative, int size, long seed) throws IOException {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        return Files.write(f, content);
    }

    private static String sha256(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void bobSeesTheOfferListsItAndFetchesItWholeAndVerifiedWithProgressEvents() throws IOException {
        ScriptedPeer alice = start("alice");
        ScriptedPeer bob = start("bob");
        String conf = peers.planning(alice, bob);
        Path report = file("shared/report.bin", 600 * 1024 + 7, 1);
        String sha = sha256(report);

        JsonNode shared = alice.call("share Planning " + report);
        assertThat(shared.path("name").asText()).isEqualTo("report.bin");
        assertThat(shared.path("size").asLong()).isEqualTo(Files.size(report));
        assertThat(shared.path("sha256").asText()).isEqualTo(sha);
        assertThat(shared.path("path").asText()).isEqualTo(report.toString());
        String id = shared.path("id").asText();

        JsonNode offered = bob.await("file-offered", e -> e.path("id").asText().equals(id));
        assertThat(offered.path("conference").asText()).isEqualTo(conf);
        assertThat(offered.path("name").asText()).isEqualTo("report.bin");
        assertThat(offered.path("sha256").asText()).isEqualTo(sha);
        assertThat(offered.path("sharer").path("name").asText()).isEqualTo("alice");
        JsonNode waited = bob.call("wait file Planning report.bin --timeout 30s");
        assertThat(waited.path("file").path("id").asText()).isEqualTo(id);
        assertThat(waited.path("offers").asInt()).isEqualTo(1);
        JsonNode listed = bob.call("files Planning");
        assertThat(listed.path("count").asInt()).isEqualTo(1);
        assertThat(listed.path("files").get(0).path("ref").asText()).isEqualTo(shared.path("ref").asText());
        assertThat(listed.path("files").get(0).path("size").asLong()).isEqualTo(Files.size(report));
        assertThat(listed.path("files").get(0).path("here").asText()).as("bob before fetching").isEqualTo("absent");
        assertThat(listed.path("files").get(0).path("bytes-held").asLong()).isZero();
        assertThat(alice.call("files Planning").path("files").get(0).path("here").asText()).as("the sharer").isEqualTo("held");

        Path downloads = dir.resolve("bob downloads");
        JsonNode fetched = bob.call("fetch Planning report.bin --to " + FileInfo.word(downloads.toString()));
        Path written = Path.of(fetched.path("path").asText());
        assertThat(written).isEqualTo(downloads.resolve("report.bin"));
        assertThat(fetched.path("sha256").asText()).isEqualTo(sha);
        assertThat(sha256(written)).isEqualTo(sha);
        assertThat(Files.readAllBytes(written)).isEqualTo(Files.readAllBytes(report));
        JsonNode after = bob.call("files Planning").path("files").get(0);
        assertThat(after.path("here").asText()).as("bob after fetching").isEqualTo("held");
        assertThat(after.path("bytes-held").asLong()).isEqualTo(Files.size(report));
        JsonNode done = bob.await("file-fetched", e -> e.path("id").asText().equals(id));
        assertThat(done.path("path").asText()).isEqualTo(written.toString());
        List<JsonNode> progress = bob.events("file-progress");
        assertThat(progress).isNotEmpty();
        assertThat(progress).allSatisfy(p -> assertThat(p.path("bytes-total").asLong()).isEqualTo(Files.size(report)));
        assertThat(progress.get(progress.size() - 1).path("bytes-done").asLong()).isEqualTo(Files.size(report));
    }

    @Test
    void pathsWithSpacesApostrophesQuotesBackslashesAndEmojiRoundTrip() throws IOException {
        ScriptedPeer alice = start("alice");
        ScriptedPeer bob = start("bob");
        peers.planning(alice, bob);
        List<String> names = List.of("my notes 🎉.txt", "it's here.txt", "back\\slash \"quoted\" 'both'.txt", "  two  spaces.md");
        Path out = dir.resolve("out 'dir' \"📁\"");
        for (int i = 0; i < names.size(); i++) {
            Path f = file("from \"x\" 'y' \\z/" + names.get(i), 20_000 + i, 10 + i);
            JsonNode shared = alice.call("share Planning " + FileInfo.word(f.toString()));
            assertThat(shared.path("path").asText()).as("the path typed is the file shared").isEqualTo(f.toString());
            String offered = shared.path("name").asText();
            if (i < 2) assertThat(offered).as("a safe name is offered as it is").isEqualTo(names.get(i));
            assertThat(offered).doesNotContain("/", "\\", "\"");
            // The name as it is on disk names its offer too (its quotes were offered as '_').
            bob.call("wait file Planning " + FileInfo.word(names.get(i)) + " --timeout 30s");
            JsonNode fetched = bob.call("fetch Planning " + FileInfo.word(i == 2 ? names.get(i) : offered) + " --to " + FileInfo.word(out.toString()));
            Path written = Path.of(fetched.path("path").asText());
            assertThat(written.getParent()).isEqualTo(out);
            assertThat(written.getFileName().toString()).isEqualTo(offered);
            assertThat(Files.readAllBytes(written)).isEqualTo(Files.readAllBytes(f));
        }
        assertThat(Files.exists(out.resolve("my notes 🎉.txt"))).isTrue();
        assertThat(Files.exists(out.resolve("it's here.txt"))).isTrue();
    }

    @Test
    void mistakesGetOneLineThatSaysWhatToDo() throws IOException {
        ScriptedPeer alice = start("alice");
        ScriptedPeer bob = start("bob");
        peers.planning(alice, bob);
        Path missing = dir.resolve("no such file.txt");
        assertThat(alice.fail("share Planning " + FileInfo.word(missing.toString())))
                .isEqualTo("no file '" + missing + "'; check the path (a name with spaces goes in quotes)");
        assertThat(alice.fail("share Planning " + FileInfo.word(dir.toString())))
                .isEqualTo("'" + dir + "' is a directory; share one file (an archive of the directory, say)");
        assertThat(bob.fail("fetch Planning nothing.txt")).isEqualTo("no file 'nothing.txt' is offered in 'Planning' ("
                + bob.call("conferences").path("conferences").get(0).path("id").asText().substring(0, 8) + "); 'files Planning' lists the offers");

        // two offers called dup.txt: the name is ambiguous, the reference is not
        Path first = file("a/dup.txt", 1000, 1);
        Path second = file("b/dup.txt", 2000, 2);
        String firstRef = alice.call("share Planning " + first).path("ref").asText();
        JsonNode secondShare = alice.call("share Planning " + second);
        bob.await("file-offered", e -> e.path("id").asText().equals(secondShare.path("id").asText()));
        assertThat(bob.fail("fetch Planning dup.txt")).startsWith("'dup.txt' is the name of 2 offers in 'Planning'")
                .contains(firstRef).contains(secondShare.path("ref").asText()).endsWith("name one by its reference, e.g. " + firstRef);
        JsonNode waited = bob.call("wait file Planning dup.txt");
        assertThat(waited.path("offers").asInt()).isEqualTo(2);
        JsonNode fetched = bob.call("fetch Planning " + secondShare.path("ref").asText() + " --to " + FileInfo.word(dir.resolve("got").toString()));
        assertThat(fetched.path("size").asLong()).isEqualTo(2000);
        assertThat(fetched.path("sha256").asText()).isEqualTo(sha256(second));
        Path aFile = dir.resolve("plain.txt");
        Files.writeString(aFile, "x");
        assertThat(bob.fail("fetch Planning " + firstRef + " --to " + aFile))
                .isEqualTo("--to '" + aFile + "' is a file, not a directory; give a directory");
    }
}
