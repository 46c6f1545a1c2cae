package dev.convene.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI's long commands ({@code run} waiting on a script, the session reading its input, {@code demo}) stop on
 * SIGTERM and on SIGINT (what Ctrl-C sends; the session's input here is a pipe, not a terminal) while they are busy,
 * and leave no process behind. The bench's own case is {@link SizeBenchTest#aBenchStoppedWithSigtermExits}. The bound is an
 * outcome (it stopped at all), far above the few seconds a peer takes to leave; no time is asserted.
 */
@Timeout(300)
class LongCommandsStopOnSigtermTest {
    /** How long a stopped command may take to exit: leaving waits for acknowledgements (at most a few seconds). */
    private static final long EXIT_SECONDS = 30;

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void runWaitingOnItsScriptStops(String signal, @TempDir Path dir) throws Exception {
        Path script = dir.resolve("wait.convene");
        Files.writeString(script, "wait peers 5 --timeout 10m\nquit\n", StandardCharsets.UTF_8);
        stopsOnSigterm(dir, List.of("--home", dir.resolve("home").toString(), "--name", "waiter", "--network", "memory", "--json",
                "run", script.toString()), "\"ready\"", signal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void theSessionReadingItsInputStops(String signal, @TempDir Path dir) throws Exception {
        // Its input stays open (a pipe nobody writes to): it waits for the next line.
        stopsOnSigterm(dir, List.of("--home", dir.resolve("home").toString(), "--name", "reader", "--network", "memory", "--json"),
                "\"ready\"", signal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void theDemoStopsInTheMiddle(String signal, @TempDir Path dir) throws Exception {
        stopsOnSigterm(dir, List.of("demo"), "", signal);
    }

    /**
     * Whether this process ignores SIGINT (Linux: bit 2 of {@code SigIgn} in /proc/self/status). A job a shell started
     * in the background (e.g. {@code mvn … &} from a script) inherits SIGINT ignored, its children too, and a JVM
     * started that way keeps ignoring it: Ctrl-C cannot reach such a process, whatever it does.
     */
    private static boolean sigintIgnoredHere() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) return false;
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
            if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2) != 0;
        }
        return false;
    }

    /** Starts the CLI with {@code args}, waits for {@code started} on its output (any output if empty), sends {@code signal}. */
    private static void stopsOnSigterm(Path dir, List<String> args, String started, String signal) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(signal.equals("INT") && sigintIgnoredHere(),
                "SIGINT is ignored by this process (started in the background), so by the command too");
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
            if (signal.equals("TERM")) {
                p.destroy(); // SIGTERM
            } else {
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
                assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s sent", signal).isTrue();
            }
            assertThat(p.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)).as("exited after SIG%s; stderr:%n%s", signal, read(err)).isTrue();
            assertThat(p.descendants().filter(ProcessHandle::isAlive).toList()).as("no process left behind").isEmpty();
        } finally {
            p.destroyForcibly();
        }
    }

    private static String read(Path f) throws java.io.IOException {
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }
}
