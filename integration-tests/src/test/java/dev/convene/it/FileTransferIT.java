package dev.convene.it;

import static dev.convene.it.harness.Conferences.quote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.it.harness.Chat;
import dev.convene.it.harness.Conferences;
import dev.convene.it.harness.ConveneProcess;
import dev.convene.it.harness.EventLog;
import dev.convene.it.harness.Fleet;
import dev.convene.it.harness.HistoryCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three real processes share a 50 MiB file through the command line while they chat: ann shares it; ben fetches it
 * while ann and cat chat; then cat fetches it, and ann, the sharer, quits while cat's transfer is under way; cat
 * completes it from ben. Every copy has the file's SHA-256, and every message said during the transfers reaches
 * every participant still there.
 */
class FileTransferIT {
    private static final Duration STEP = Fleet.scaled(Duration.ofSeconds(30));
    /** The longest a 50 MiB transfer may take here (two cores shared with a build, JIT level 1). */
    private static final Duration TRANSFER = Fleet.scaled(Duration.ofSeconds(150));
    private static final int SIZE = 50 << 20;
    private static final String NAME = "field recording 🎙 it's big.bin";

    private Fleet fleet;

    @AfterEach
    void cleanUp() {
        if (fleet != null) fleet.close();
    }

    @Test
    @Timeout(420)
    void aFiftyMebibyteFileSurvivesItsSharerLeavingMidTransferAndChatGoesOn() throws IOException {
        fleet = Fleet.create("files");
        ConveneProcess ann = fleet.peer("ann");
        ConveneProcess ben = fleet.peer("ben");
        ConveneProcess cat = fleet.peer("cat");
        List<ConveneProcess> all = List.of(ann, ben, cat);
        all.forEach(p -> p.ready(STEP));
        for (ConveneProcess p : all) p.call("wait peers 2 --timeout 60s", STEP.plusSeconds(30));
        String conf = Conferences.create(ann, "Field trip", "", List.of("ben", "cat"), STEP);
        Conferences.acceptAll(ann, conf, "Field trip", List.of(ben, cat), STEP);
        Conferences.awaitReplies(ben, conf, List.of(cat), STEP);
        Conferences.awaitReplies(cat, conf, List.of(ben), STEP);

        Path original = fleet.dir().resolve("to share").resolve(NAME);
        String sha = write(original, SIZE, fleet.random());
        EventLog.Event shared = ann.call("share " + conf + " " + quote(original.toString()), TRANSFER);
        assertThat(shared.data().path("sha256").asText()).isEqualTo(sha);
        assertThat(shared.data().path("name").asText()).isEqualTo(NAME);
        assertThat(shared.data().path("size").asLong()).isEqualTo(SIZE);
        for (ConveneProcess p : List.of(ben, cat)) p.call("wait file " + conf + " " + quote(NAME) + " --timeout 60s", STEP.plusSeconds(30));

        HistoryCheck check = new HistoryCheck("files", fleet.seed());
        Chat chat = new Chat(fleet, conf, check);

        // ben fetches while ann and cat chat
        int benFetch = ben.send("fetch " + conf + " " + quote(NAME) + " --to " + quote(fleet.dir().resolve("ben got").toString()));
        int duringBen = chatUntilReply(chat, ben, benFetch, List.of(ann, cat));
        EventLog.Event benDone = reply(ben, benFetch);
        assertThat(benDone.data().path("sha256").asText()).isEqualTo(sha);
        assertThat(sha256(Path.of(benDone.data().path("path").asText()))).as("ben's copy on disk").isEqualTo(sha);
        assertThat(duringBen).as("messages said while ben's fetch ran").isPositive();

        // cat fetches; ann quits once cat has verified some bytes (and before it has all); cat completes from ben
        int catFetch = cat.send("fetch " + conf + " " + quote(NAME) + " --to " + quote(fleet.dir().resolve("cat got").toString()));
        cat.events().await(e -> e.is("file-progress") && e.json().path("bytes-done").asLong() > 0, TRANSFER, () -> "cat's first verified bytes");
        chat.sayAndWait(ann, STEP);
        ann.quit(STEP);
        Instant annGone = Instant.now();
        int duringCat = chatUntilReply(chat, cat, catFetch, List.of(ben));
        EventLog.Event catDone = reply(cat, catFetch);
        EventLog.Event fetched = cat.events().await(e -> e.is("file-fetched"), STEP, () -> "cat's file-fetched");
        assertThat(fetched.received()).as("cat completed after ann, the sharer, had quit").isAfter(annGone);
        assertThat(cat.events().all("file-progress").stream().filter(e -> e.received().isBefore(annGone))
                .allMatch(e -> e.json().path("bytes-done").asLong() < SIZE)).as("cat was mid-transfer when ann quit").isTrue();
        assertThat(catDone.data().path("sha256").asText()).isEqualTo(sha);
        assertThat(sha256(Path.of(catDone.data().path("path").asText()))).as("cat's copy on disk").isEqualTo(sha);
        assertThat(duringBen + duringCat).isGreaterThanOrEqualTo(2);

        chat.drain(STEP);
        chat.harvest();
        assertThat(chat.errors()).as("say errors; " + fleet).isEmpty();
        chat.converge(List.of("ben", "cat"), Instant.now(), STEP.multipliedBy(2));
        check.assertClean("50 MiB: ben fetched while ann and cat chatted (" + duringBen + " messages), cat fetched while ben chatted ("
                + duringCat + " messages) and ann quit mid-transfer");
    }

    /**
     * Has each of {@code speakers} say a message, one after another, until {@code fetcher} answers {@code line} (its
     * fetch) or the transfer's time is up; returns how many were said.
     */
    private int chatUntilReply(Chat chat, ConveneProcess fetcher, int line, List<ConveneProcess> speakers) {
        long deadline = System.nanoTime() + TRANSFER.toNanos();
        int said = 0;
        while (System.nanoTime() < deadline && fetcher.events().find(e -> (e.is("result") || e.is("error")) && e.line() == line).isEmpty()) {
            for (ConveneProcess p : speakers) {
                chat.sayAndWait(p, STEP);
                said++;
            }
            pause(Duration.ofMillis(200));
        }
        return said;
    }

    private EventLog.Event reply(ConveneProcess p, int line) {
        EventLog.Event r = p.reply(line, TRANSFER);
        if (r.is("error")) throw new AssertionError(p + ": fetch failed: " + r.json().path("message").asText() + "; " + fleet.diagnostics());
        return r;
    }

    /** Writes {@code size} random bytes to {@code file}; returns their SHA-256. */
    private static String write(Path file, int size, Random random) throws IOException {
        Files.createDirectories(file.getParent());
        MessageDigest digest = sha();
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int done = 0; done < size; done += block.length) {
                random.nextBytes(block);
                int n = Math.min(block.length, size - done);
                out.write(block, 0, n);
                digest.update(block, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(Path file) {
        MessageDigest digest = sha();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
