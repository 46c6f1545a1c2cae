package dev.convene.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.convene.example.whiteboard.Whiteboard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typed events between real processes: the {@link Whiteboard} demo (durable strokes, ephemeral cursors) in one
 * conference on the {@code local} network.
 */
@Timeout(300)
class TypedEventsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_MILLIS = 120_000;
    private static final int STROKES = 12;
    private static final String STROKE = "demo.stroke/1";
    private static final String CURSOR = "demo.cursor/1";

    @TempDir
    Path dir;

    private final int port = 20000 + ThreadLocalRandom.current().nextInt(750) * 16;
    private final String cluster = "it-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final List<Board> boards = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Board b : boards) b.process.destroyForcibly();
        for (Board b : boards) b.process.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void durableEventsInOneOrderEverywhereEphemeralOnlyOnlineAndRelayedByAPeerWithoutTheTypes() throws Exception {
        Board ann = start("ann", false);
        Board ben = start("ben", false);
        Board cat = start("cat", false);
        Board eve = start("eve", true);   // registers neither type: stores and relays strokes
        Board dan = start("dan", false);  // the late joiner
        String annId = ann.await("ready").path("id").asText();
        String benId = ben.await("ready").path("id").asText();
        String catId = cat.await("ready").path("id").asText();
        String eveId = eve.await("ready").path("id").asText();
        String danId = dan.await("ready").path("id").asText();

        ann.send("create board " + benId + " " + catId + " " + eveId + " " + danId);
        String conf = ann.await("created").path("conference").asText();
        for (Board b : List.of(ben, cat, eve)) {
            assertThat(b.await("invitation").path("conference").asText()).isEqualTo(conf);
            b.send("accept " + conf);
            b.await("accepted");
        }
        assertThat(dan.await("invitation").path("conference").asText()).isEqualTo(conf);
        List<Board> online = List.of(ann, ben, cat, eve);
        for (Board b : online) {
            b.send("participants " + conf + " 4");
            b.await("participants");
        }

        // The three draw at once: strokes and cursor moves interleaved.
        for (Board b : List.of(ann, ben, cat)) b.send("draw " + conf + " " + STROKES);
        for (Board b : List.of(ann, ben, cat)) b.await("drawn");
        int total = 3 * STROKES;
        List<List<String>> lists = new ArrayList<>();
        for (Board b : List.of(ann, ben, cat)) {
            b.send("list " + conf + " " + total);
            lists.add(ids(b.await("listed")));
        }
        List<String> canonical = lists.get(0);
        assertThat(canonical).hasSize(total).doesNotHaveDuplicates();
        assertThat(lists).as("every participant lists the same strokes in the same order").allSatisfy(l -> assertThat(l).isEqualTo(canonical));
        for (Board b : List.of(ann, ben, cat)) {
            assertThat(b.received(STROKE)).as(b.name + " heard every stroke").containsExactlyInAnyOrderElementsOf(canonical);
            // Every online participant's cursor moves reach it (own included); bounded wait, as they may trail.
            b.awaitCount(CURSOR, total);
            assertThat(b.received(CURSOR)).as(b.name + " cursors").hasSize(total).doesNotHaveDuplicates();
        }
        eve.send("stats");
        assertThat(eve.await("stats").path("unknown-type").asLong()).as("eve stored strokes it cannot read").isGreaterThanOrEqualTo(total);
        assertThat(eve.lines).noneMatch(l -> l.path("kind").asText().equals("event"));

        // Only eve (who cannot read strokes) stays online; dan accepts now and must get them all from her.
        for (Board b : List.of(ann, ben, cat)) b.quit();
        assertThat(dan.received(STROKE)).as("an invitee that did not accept yet gets nothing").isEmpty();
        dan.send("accept " + conf);
        dan.await("accepted");
        dan.send("list " + conf + " " + total);
        assertThat(ids(dan.await("listed"))).as("the late joiner: every stroke, in the canonical order").isEqualTo(canonical);
        assertThat(dan.received(STROKE)).containsExactlyInAnyOrderElementsOf(canonical);
        assertThat(dan.received(CURSOR)).as("the late joiner gets no cursor").isEmpty();

        // ann restarted from her home still lists the strokes.
        Board ann2 = start("ann", false);
        assertThat(ann2.await("ready").path("id").asText()).isEqualTo(annId);
        ann2.send("list " + conf + " " + total);
        assertThat(ids(ann2.await("listed"))).isEqualTo(canonical);
        for (Board b : List.of(ann2, dan, eve)) b.quit();
    }

    private static List<String> ids(JsonNode listed) {
        // The canonical order: HLC timestamp (wall milliseconds, then counter), then author, then sequence.
        List<JsonNode> events = StreamSupport.stream(listed.path("events").spliterator(), false).toList();
        Comparator<JsonNode> canonical = Comparator.<JsonNode>comparingLong(e -> Long.parseLong(e.path("timestamp").asText().split("\\.")[0]))
                .thenComparingInt(e -> Integer.parseInt(e.path("timestamp").asText().split("\\.")[1]))
                .thenComparing(e -> e.path("author").asText())
                .thenComparingLong(e -> Long.parseLong(e.path("id").asText().substring(e.path("id").asText().lastIndexOf(':') + 1)));
        assertThat(events).as("listed in the canonical order").isSortedAccordingTo(canonical);
        return StreamSupport.stream(listed.path("events").spliterator(), false).map(e -> {
            assertThat(e.path("type").asText()).isEqualTo(STROKE);
            return e.path("id").asText() + "=" + e.path("value").asText();
        }).toList();
    }

    private Board start(String name, boolean noTypes) throws IOException {
        // Logs (warnings only) to stderr, so stdout stays the demo's JSON lines.
        Path logback = dir.resolve("logback.xml");
        Files.writeString(logback, "<configuration><appender name=\"E\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                + "<target>System.err</target><encoder><pattern>%level %logger %msg%n</pattern></encoder></appender>"
                + "<root level=\"WARN\"><appender-ref ref=\"E\"/></root></configuration>");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.net.preferIPv4Stack=true", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + logback,
                "-cp", System.getProperty("java.class.path"), Whiteboard.class.getName(),
                name, dir.resolve(name).toString(), Integer.toString(port), cluster));
        if (noTypes) cmd.add("--no-types");
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve(name + "-" + boards.size() + ".err").toFile()).start();
        Board b = new Board(name, p, dir.resolve(name + "-" + boards.size() + ".err"));
        boards.add(b);
        return b;
    }

    /** One demo process: commands to its stdin, its JSON lines collected from stdout. */
    private static final class Board {
        final String name;
        final Process process;
        final Path err;
        final List<JsonNode> lines = new CopyOnWriteArrayList<>();
        private final Writer in;
        private int consumed;

        Board(String name, Process process, Path err) {
            this.name = name;
            this.process = process;
            this.err = err;
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("{")) lines.add(JSON.readTree(line));
                        else System.err.println(name + " (not JSON): " + line);
                    }
                } catch (IOException e) {
                    // the process ended; what it printed is in lines
                }
            }, "it-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        void send(String command) throws IOException {
            in.write(command + "\n");
            in.flush();
        }

        /** The next line of this kind after the last one awaited. */
        JsonNode await(String kind) throws Exception {
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            while (System.currentTimeMillis() < deadline) {
                for (int i = consumed; i < lines.size(); i++) {
                    if (lines.get(i).path("kind").asText().equals(kind)) {
                        consumed = i + 1;
                        return lines.get(i);
                    }
                }
                if (!process.isAlive() && process.exitValue() != 0) break;
                Thread.sleep(50);
            }
            throw new AssertionError(name + ": no " + kind + "; stdout " + lines + "; stderr " + stderr());
        }

        void awaitCount(String type, int count) throws Exception {
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            while (received(type).size() < count && System.currentTimeMillis() < deadline) Thread.sleep(50);
        }

        List<String> received(String type) {
            return lines.stream().filter(l -> l.path("kind").asText().equals("event") && l.path("type").asText().equals(type))
                    .map(l -> l.path("id").asText() + "=" + l.path("value").asText()).toList();
        }

        void quit() throws Exception {
            send("quit");
            await("closed");
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(name + " exits").isTrue();
            assertThat(process.exitValue()).as(name + " exit; " + stderr()).isZero();
        }

        String stderr() {
            try {
                return Files.exists(err) ? Files.readString(err) : "";
            } catch (IOException e) {
                return "(unreadable)";
            }
        }
    }
}
