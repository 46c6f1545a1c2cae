package dev.convene.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real {@code convene run} processes in {@code local} mode find each other, and every socket they
 * open is on 127.0.0.1.
 */
@Timeout(180)
class LocalPeersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RUN_MILLIS = 120_000;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final List<String> NAMES = List.of("ann", "ben", "cat");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : processes) p.destroyForcibly();
        for (Process p : processes) p.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void threeProcessesSeeEachOtherAndStayOnLoopback() throws Exception {
        assumeTrue(ProcSockets.supported(), "needs Linux /proc to inspect sockets");
        Path jar = Path.of(System.getProperty("convene.jar", "../bench/target/convene.jar"));
        assertThat(jar).as("the shaded CLI; build it with mvn -pl bench -am package").exists();
        // A port range of our own, below the ephemeral range, so a developer's peers on 7800 never join in.
        int port = 20000 + ThreadLocalRandom.current().nextInt(750) * 16;
        String cluster = "it-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path script = dir.resolve("three.convene");
        Files.writeString(script, String.join("\n",
                "# every peer waits for the two others, lists them, and stays a moment so they can see it too",
                "wait peers 2 --timeout 90s", "peers", "sleep 3s", "quit", ""));

        for (String name : NAMES) {
            ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Djava.net.preferIPv4Stack=true", "-Xmx256m", "-XX:+UseSerialGC",
                    "-jar", jar.toString(), "--name", name, "--home", dir.resolve(name).toString(), "--port", Integer.toString(port),
                    "--cluster", cluster, "run", script.toString(), "--json")
                    .redirectOutput(dir.resolve(name + ".out").toFile())
                    .redirectError(dir.resolve(name + ".err").toFile());
            processes.add(pb.start());
        }

        Map<String, Set<ProcSockets.Socket>> sockets = new LinkedHashMap<>();
        NAMES.forEach(n -> sockets.put(n, new HashSet<>()));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
        while (processes.stream().anyMatch(Process::isAlive) && System.nanoTime() < deadline) {
            for (int i = 0; i < NAMES.size(); i++) {
                if (processes.get(i).isAlive()) sockets.get(NAMES.get(i)).addAll(ProcSockets.of(processes.get(i).pid()));
            }
            Thread.sleep(50);
        }

        for (int i = 0; i < NAMES.size(); i++) {
            String name = NAMES.get(i);
            Process p = processes.get(i);
            assertThat(p.waitFor(1, TimeUnit.SECONDS)).as(name + " ended within the run time; " + output(name)).isTrue();
            assertThat(p.exitValue()).as(output(name)).isZero();
            assertThat(read(name + ".err")).as(name + " stderr").isEmpty();

            List<JsonNode> events = events(name);
            assertThat(events).allSatisfy(e -> {
                assertThat(e.path("event").asText()).isNotEmpty();
                assertThat(e.path("at").asText()).endsWith("Z");
            });
            JsonNode ready = events.get(0);
            assertThat(ready.path("event").asText()).isEqualTo("ready");
            assertThat(ready.path("address").asText()).startsWith("127.0.0.1:");
            JsonNode peers = events.stream().filter(e -> e.path("command").asText().equals("peers")).findFirst().orElseThrow();
            List<String> seen = new ArrayList<>();
            peers.at("/data/peers").forEach(peer -> {
                seen.add(peer.path("name").asText());
                assertThat(peer.path("endpoint").asText()).startsWith("127.0.0.1:");
            });
            assertThat(seen).as(name + " sees").containsExactlyInAnyOrderElementsOf(NAMES.stream().filter(n -> !n.equals(name)).toList());

            Set<ProcSockets.Socket> mine = sockets.get(name);
            assertThat(mine).as(name + " opened TCP sockets (else this check proves nothing)")
                    .anySatisfy(s -> assertThat(s.protocol()).startsWith("tcp"));
            assertThat(mine).as(name + ": every socket bound to 127.0.0.1").allSatisfy(s -> {
                assertThat(s.local()).as(s.toString()).isEqualTo(LOOPBACK);
                assertThat(s.remote().isAnyLocalAddress() || s.remote().equals(LOOPBACK)).as(s + " talks only to loopback").isTrue();
            });
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private List<JsonNode> events(String name) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : read(name + ".out").lines().toList()) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            events.add(node);
        }
        return events;
    }

    private String read(String file) throws IOException {
        Path p = dir.resolve(file);
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    private String output(String name) {
        try {
            return "stdout:\n" + read(name + ".out") + "stderr:\n" + read(name + ".err");
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
