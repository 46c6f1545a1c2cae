package dev.convene.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.TransportKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --transport-key-file}, {@code --transport-passphrase-file} and {@code --max-frames-per-second}. */
@Timeout(120)
class TransportOptionsTest {
    private static final String PASSPHRASE = "correct horse battery staple";

    @TempDir
    Path dir;

    /** The overlay configuration the options give, as {@code run} and the session would build it. */
    private static OverlayConfig config(String... args) {
        CommandLine cmd = Main.commandLine(new ByteArrayInputStream(new byte[0]));
        cmd.parseArgs(args);
        GlobalOptions global = ((Main) cmd.getCommand()).global();
        global.validate();
        return global.overlayConfig("ann");
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void aKeyFileHoldsThirtyTwoBytesOrSixtyFourHexDigits() throws IOException {
        TransportKey key = TransportKey.generate();
        Path raw = file("raw.key", key.toBytes());
        Path hex = file("hex.key", (HexFormat.of().formatHex(key.toBytes()) + "\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(config("--transport-key-file", raw.toString()).transportKey()).isEqualTo(key);
        assertThat(config("--transport-key-file", hex.toString(), "identity").transportKey()).isEqualTo(key);
        assertThat(config().transportKey()).isNull();
    }

    @Test
    void aPassphraseFileGivesTheKeyOfThatPassphrase() throws IOException {
        Path file = file("group.pass", (PASSPHRASE + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(config("--transport-passphrase-file", file.toString()).transportKey())
                .isEqualTo(TransportKey.fromPassphrase(PASSPHRASE));
    }

    @Test
    void badKeyFilesAreUsageErrorsThatSayWhatToDo() throws IOException {
        Path shortKey = file("short.key", new byte[16]);
        assertThatThrownBy(() -> config("--transport-key-file", shortKey.toString()))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.isUsage()).isTrue())
                .hasMessage("--transport-key-file " + shortKey + ": 16 bytes (expected: 32 random bytes or 64 hex digits;"
                        + " make one with: head -c 32 /dev/urandom > FILE)");
        Path missing = dir.resolve("missing.key");
        assertThatThrownBy(() -> config("--transport-key-file", missing.toString()))
                .hasMessage("cannot read --transport-key-file " + missing + " (NoSuchFileException); check the path and that you may read it");
        Path weak = file("weak.pass", "hunter2".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> config("--transport-passphrase-file", weak.toString()))
                .hasMessage("--transport-passphrase-file " + weak + ": transport passphrase: 7 characters (expected: >= 12; use several random words)");
    }

    @Test
    void theCommandLineRejectsBothKeyOptionsAndARateBelowOne() throws IOException {
        Path key = file("group.key", TransportKey.generate().toBytes());
        CliRun both = CliRun.run("--home", dir.toString(), "--transport-key-file", key.toString(),
                "--transport-passphrase-file", key.toString(), "identity");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).startsWith("convene: give --transport-key-file or --transport-passphrase-file, not both;");
        CliRun zero = CliRun.run("--home", dir.toString(), "--max-frames-per-second", "0", "identity");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).startsWith("convene: --max-frames-per-second 0 (expected: > 0);");
        assertThat(config("--max-frames-per-second", "300").maxFramesPerSecond()).isEqualTo(300);
        assertThat(config().maxFramesPerSecond()).isEqualTo(OverlayConfig.DEFAULT_MAX_FRAMES_PER_SECOND);
    }

    @Test
    void theHelpDescribesTheNewOptions() {
        assertThat(CliRun.run("--help").out()).contains("--transport-key-file=FILE", "--transport-passphrase-file=FILE",
                "--max-frames-per-second=N", "docs/SECURITY.md");
    }

    @Test
    void twoSessionsWithTheSameKeyFormAGroupAndShowItsFingerprint() throws IOException, InterruptedException {
        TransportKey key = TransportKey.generate();
        Path file = file("group.key", key.toBytes());
        String cluster = CliRun.freshCluster();
        List<String> options = List.of("--transport-key-file", file.toString(), "--max-frames-per-second", "500");
        try (ScriptedPeer ann = ScriptedPeer.start(dir, cluster, "ann", options);
             ScriptedPeer bob = ScriptedPeer.start(dir, cluster, "bob", options)) {
            ann.call("wait peers 1 --timeout 60s");
            bob.call("wait peers 1 --timeout 60s");
            for (ScriptedPeer p : List.of(ann, bob)) {
                assertThat(p.await("ready", e -> true).path("transport-key").asText()).isEqualTo(key.fingerprint());
            }
            assertThat(ann.finish()).isZero();
            assertThat(bob.finish()).isZero();
        }
    }
}
