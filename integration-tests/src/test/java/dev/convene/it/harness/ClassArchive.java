package dev.convene.it.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class-data sharing archive of the CLI jar (the JDK's dynamic CDS), made once per test JVM by one short
 * {@code convene run} on the memory network and then handed to every process a {@link Fleet} starts. The
 * processes run the same classes from the same jar; only their start-up is cheaper: a {@code convene} process
 * spends most of its way to {@code ready} loading and verifying classes (picocli, Jackson, logback, SQLite,
 * JGroups), about a third less CPU with the archive, and the suites start dozens of them, often ten at a time on
 * two cores. Classes the warm-up did not load are loaded as usual.
 *
 * <p>If the archive cannot be made, processes start without it; {@code -Dconvene.it.cds=false} turns it off.
 * The JVM's own CDS messages are off, so a process's output is the same with and without. Thread-safe.
 */
final class ClassArchive {
    /** The warm-up script: a conference of one, a message, its history. */
    private static final String WARM_UP = "create Warm-up\nsay Warm-up hello\nhistory Warm-up\nconferences\npeers\nquit\n";
    private static List<String> options;

    private ClassArchive() {
    }

    /** The JVM options that use the archive of {@code jar}, made on first use; none if it could not be made. */
    static synchronized List<String> options(Path jar) {
        if (options == null) options = Boolean.parseBoolean(System.getProperty("convene.it.cds", "true")) ? make(jar) : List.of();
        return options;
    }

    private static List<String> make(Path jar) {
        Path dir;
        try {
            dir = Files.createTempDirectory("convene-it-cds-");
        } catch (IOException e) {
            return List.of();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Fleet.deleteTree(dir), "convene-it-cds-cleanup"));
        Path archive = dir.resolve("convene.jsa");
        List<String> cmd = new ArrayList<>(List.of(Fleet.javaBin()));
        cmd.addAll(Fleet.JVM);
        cmd.add("-XX:ArchiveClassesAtExit=" + archive);
        cmd.addAll(List.of("-jar", jar.toString(), "--name", "warm-up", "--home", dir.resolve("home").toString(), "--network", "memory",
                "--cluster", "it-cds-" + ProcessHandle.current().pid(), "run", "-", "--json", "--keep-going"));
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile()).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(WARM_UP.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of();
            }
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        if (!Files.isRegularFile(archive)) return List.of();
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }
}
