package dev.convene.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's long commands ({@code run} waiting on a script, the session reading its input, {@code demo}) stop on
 * SIGTERM (what Ctrl-C's SIGINT also does: the JVM runs its shutdown hooks and exits) while they are busy, and leave
 * no process behind. The bench's own case is {@link SizeBenchTest#aBenchStoppedWithSigtermExits}. The bound is an
 * outcome (it stopped at all), far above the few seconds a peer takes to leave; no time is asserted.
 */
@Timeout(300)
class LongCommandsStopOnSigtermTest {
    /** How long a stopped command may take to exit: leaving waits for acknowledgements (at most a few seconds). */
    private static final long EXIT_SECONDS = 30;

    @Test
    void runWaitingOnItsScriptStops(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("wait.convene");
        Files.writeString(script, "wait peers 5 --timeout 10m\nquit\n", StandardCharsets.UTF_8);
        stopsOnSigterm(dir, List.of("--home", dir.resolve("home").toString(), "--name", "waiter", "--network", "memory", "--json",
                "run", script.toString()), "\"ready\"");
    }

    @Test
    void theSessionReadingItsInputStops(@TempDir Path dir) throws Exception {
        // Its input stays open (a pipe nobody writes to): it waits for the next line.
        stopsOnSigterm(dir, List.of("--home", dir.resolve("home").toString(), "--name", "reader", "--network", "memory", "--json"),
                "\"ready\"");
    }

    @Test
    void theDemoStopsInTheMiddle(@TempDir Path dir) throws Exception {
        stopsOnSigterm(dir, List.of("demo"), "");
    }

    /** Starts the CLI with {@code args}, waits for {@code started} on its output (any output if empty), sends SIGTERM. */
    private static void stopsOnSigterm(Path dir, List<String> args, String started) throws Exception {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-Djava.net.preferIPv4Stack=true", "-cp", System.getProperty("java.class.path"), "dev.convene.cli.Main"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (p.isAlive() && System.nanoTime() < deadline && !(read(out).contains(started) && !read(out).isEmpty())) {
                Thread.sleep(50);
            }
            assertThat(p.isAlive()).as("still running when stopped; stdout:%n%s%nstderr:%n%s", read(out), read(err)).isTrue();
            assertThat(read(out)).contains(started);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)).as("exited after SIGTERM; stderr:%n%s", read(err)).isTrue();
            assertThat(p.descendants().filter(ProcessHandle::isAlive).toList()).as("no process left behind").isEmpty();
        } finally {
            p.destroyForcibly();
        }
    }

    private static String read(Path f) throws java.io.IOException {
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }
}
