package dev.convene.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * A whole run of the tiny profile through the command: every figure is there, finite, and its ratio is the
 * quotient of the two numbers printed beside it. Speed is never asserted.
 */
@Timeout(300)
class BenchCommandTest {
    /** Every kind of figure the issue asks for; the tiny profile has one latency group, of 3 peers. */
    static final List<String> KEYS = List.of("latency.p50.3", "latency.p99.3", "latency.max.3", "heap.idle", "throughput", "catchup",
            "heap.loaded", "rss.loaded", "cpu.message", "startup.main", "startup.ready", "startup.directory", "rss.idle", "detect.kill", "detect.stop",
            "events.ephemeral.p50", "events.ephemeral.p99", "files.rate", "files.chat.p50", "files.chat.p99", "files.chat.quiet.p50",
            "files.chat.quiet.p99");

    /** Stands in for {@code convene}: a parent with the inherited {@code --json}, as Main has. */
    @Command(name = "convene", subcommands = BenchCommand.class)
    static final class Parent implements Runnable {
        @Option(names = "--json", scope = ScopeType.INHERIT)
        boolean json;

        @Override
        public void run() {
        }
    }

    @Test
    void aTinyRunPrintsEveryFigureFiniteWithItsRatioFromTheSameRun() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Parent()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("bench", "--profile", "tiny", "--json");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().lines()).as("one JSON line on stdout").hasSize(1);
        JsonNode line = new ObjectMapper().readTree(out.toString());
        assertThat(line.path("event").asText()).isEqualTo("result");
        assertThat(line.path("command").asText()).isEqualTo("bench");
        JsonNode data = line.path("data");
        assertThat(data.path("profile").asText()).isEqualTo("tiny");
        assertThat(data.path("failures")).isEmpty();
        assertThat(data.path("environment").path("cores").asInt()).isPositive();
        List<String> keys = new ArrayList<>();
        data.path("figures").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsAll(KEYS);
        for (String key : keys) {
            JsonNode f = data.path("figures").path(key);
            assertThat(f.path("convene").isNumber()).as(key + " convene: " + f).isTrue();
            assertThat(f.path("raw").isNumber()).as(key + " raw: " + f).isTrue();
            double convene = f.path("convene").asDouble();
            double raw = f.path("raw").asDouble();
            assertThat(convene).as(key).isFinite().isGreaterThanOrEqualTo(0);
            assertThat(raw).as(key).isFinite().isPositive();
            assertThat(f.path("ratio").asDouble()).as(key + " ratio").isCloseTo(convene / raw, within(1e-9 * Math.max(1, convene / raw)));
            assertThat(f.path("unit").asText()).as(key).isIn("ms", "msg/s", "MiB", "us", "MiB/s");
            if (f.has("target")) assertThat(f.path("met").isBoolean()).as(key).isTrue();
        }
        assertThat(err.toString()).contains("bench: latency: 3 Convene peers").doesNotContain("not measured");
        // The receiver's whole process, JIT and GC threads too, beside the threads' figure; both measured.
        String cpu = data.path("figures").path("cpu.message").path("note").asText();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("with them: convene ([0-9.]+) us, raw ([0-9.]+) us").matcher(cpu);
        assertThat(m.find()).as(cpu).isTrue();
        // (process CPU time comes in 10 ms ticks here: a tiny run's few milliseconds may read 0)
        assertThat(Double.parseDouble(m.group(1))).as(cpu).isFinite().isNotNegative();
        assertThat(Double.parseDouble(m.group(2))).as(cpu).isFinite().isNotNegative();
    }

    @Test
    void onlyEventsMeasuresEphemeralLatencyAgainstRawAlone() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Parent()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("bench", "--profile", "tiny", "--only", "events", "--json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode figures = new ObjectMapper().readTree(out.toString()).path("data").path("figures");
        List<String> keys = new ArrayList<>();
        figures.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("events.ephemeral.p50", "events.ephemeral.p99");
        assertThat(figures.path("events.ephemeral.p50").path("note").asText()).contains("30 events x 2 receivers");
    }

    @Test
    void onlyConferenceMeasuresChatLatencyInOneConferenceAgainstRaw() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Parent()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("bench", "--profile", "tiny", "--only", "conference", "--json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode figures = new ObjectMapper().readTree(out.toString()).path("data").path("figures");
        List<String> keys = new ArrayList<>();
        figures.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("conference.p50.5", "conference.p99.5");
        for (String key : keys) {
            JsonNode f = figures.path(key);
            double convene = f.path("convene").asDouble();
            double raw = f.path("raw").asDouble();
            assertThat(convene).as(key).isFinite().isPositive();
            assertThat(raw).as(key).isFinite().isPositive();
            assertThat(f.path("ratio").asDouble()).as(key).isCloseTo(convene / raw, within(1e-9 * Math.max(1, convene / raw)));
        }
        // The tail is not below the middle; the 50 ms bound is for 100 participants only.
        assertThat(figures.path("conference.p99.5").path("convene").asDouble())
                .isGreaterThanOrEqualTo(figures.path("conference.p50.5").path("convene").asDouble());
        assertThat(figures.path("conference.p99.5").has("target")).isFalse();
        assertThat(figures.path("conference.p50.5").path("note").asText()).contains("80 samples each (20 messages x 4 receivers", "5 channels");
        assertThat(err.toString()).contains("bench: conference: 5 Convene peers (memory)", "bench: conference: 5 raw JGroups channels (memory)");
    }

    @Test
    void anUnknownProfileIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Parent()).setErr(new PrintWriter(err)).execute("bench", "--profile", "huge");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--profile huge (expected: full, quick or tiny)");
    }
}
