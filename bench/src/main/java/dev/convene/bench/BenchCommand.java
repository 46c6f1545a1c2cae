package dev.convene.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convene bench}: see {@link Bench}. Prints a table, or with {@code --json} one {@code result} line
 * whose {@code data} holds every figure and ratio; progress goes to stderr. Exits 1 if a figure could not
 * be measured. Speed itself never fails the command: targets are reported, not enforced.
 */
@Command(name = "bench", description = {
    "Measures Convene against raw JGroups on this machine, both in the same run, all on 127.0.0.1.",
    "Chat latency at 3, 10 and 30 peers; throughput into a 5-peer conference; a late joiner's catch-up;",
    "start-up, kill -9 and SIGSTOP detection with real processes; heap and RSS per peer; ephemeral event latency;",
    "a file's transfer rate and chat latency while it moves. Not by default: --only size (group sizes up to 100, the cost",
    "of one join and its growth) and --only conference (chat latency in one conference of 100 participants).",
    "The target column holds issue 13's goals, as bounds on the number, on its ratio to raw (e.g. <= 4x raw), or both.",
    "Every figure is printed beside raw JGroups doing the same transfer with the same stack, and their ratio.",
    "Takes a few minutes; --quick well under one. See docs/BENCHMARKS.md."})
public final class BenchCommand implements Callable<Integer>, dev.convene.cli.CommandExtension {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A short run: fewer messages, 30 peers on the memory network, 4 processes.")
    boolean quick;

    @Option(names = "--profile", hidden = true, description = "full, quick or tiny (tiny: the benchmark's own tests).")
    String profile;

    @Option(names = "--only", paramLabel = "PART", split = ",", converter = PartConverter.class,
            description = {"Measure only these parts: latency, throughput, processes, events, files, size, conference (default: all but size and conference).",
                "events: ephemeral event latency; files: a file's MiB/s and chat latency while it moves; both against raw JGroups.",
                "size: complete directories and the frames and signature checks of one join at 10, 30 and 100 peers (full profile),",
                "memory and TCP, and whether that cost grows linearly in the group size (from two sizes or more).",
                "conference: chat latency p50/p99 in one conference of 100 participants (memory network, one JVM) against 100 raw channels."})
    java.util.Set<Bench.Part> only = Bench.Part.defaults();

    @Option(names = "--size-peers", paramLabel = "N", split = ",",
            description = "Group sizes of the size part instead of the profile's (e.g. 10,30,60).")
    java.util.List<Integer> sizePeers;

    @Option(names = "--size-networks", paramLabel = "NET", split = ",",
            description = "Networks of the size part: memory, local (default: both).")
    java.util.List<String> sizeNetworks = java.util.List.of("memory", "local");

    @Option(names = "--conference-peers", paramLabel = "N",
            description = "Participants of the conference part instead of the profile's 100.")
    Integer conferencePeers;

    @Option(names = "--process-heap", paramLabel = "SIZE", defaultValue = "64m",
            description = "-Xmx of the peer processes it starts (default: ${DEFAULT-VALUE}, the heap an idle peer should fit in).")
    String processHeap;

    @Option(names = "--latency-peers", paramLabel = "N", split = ",",
            description = "Group sizes of the latency part instead of the profile's (e.g. 30 to look at one size).")
    java.util.List<Integer> latencyPeers;

    @Option(names = "--memory-from", paramLabel = "N",
            description = "Latency groups of at least N peers use the memory network (default: the profile's, 30).")
    Integer memoryFrom;

    @Option(names = "--process-java-options", paramLabel = "OPTIONS",
            description = "More JVM options for the peer processes, space-separated (to try e.g. -XX:TieredStopAtLevel=1).")
    String processJavaOptions = "";

    @Option(names = "--jfr", paramLabel = "FILE",
            description = {"Records the Convene side of the throughput part with JFR (this JVM: the author and the in-JVM receivers)",
                "sampling execution every 1 ms, and writes its CPU summary to FILE (samples by thread name, by the first dev.convene",
                "frame from the top, by top frame and inclusive), the recording to FILE.jfr."})
    java.nio.file.Path jfr;

    @Override
    public Integer call() throws InterruptedException {
        Profile p = profile();
        java.util.List<String> childJvm = new java.util.ArrayList<>(Bench.childJvm(processHeap));
        for (String o : processJavaOptions.trim().split("\\s+")) if (!o.isEmpty()) childJvm.add(o);
        PrintWriter err = spec.commandLine().getErr();
        java.util.List<dev.convene.overlay.NetworkMode> networks = new java.util.ArrayList<>();
        for (String n : sizeNetworks) {
            switch (n.strip()) {
                case "memory" -> networks.add(dev.convene.overlay.NetworkMode.MEMORY);
                case "local", "tcp" -> networks.add(dev.convene.overlay.NetworkMode.LOCAL);
                default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--size-networks " + n + " (expected: memory or local)");
            }
        }
        Report report = new Bench(p, childJvm, line -> {
            err.println("bench: " + line);
            err.flush();
        }, only).sizeNetworks(networks).jfr(jfr == null ? null : jfr.toAbsolutePath()).run();
        PrintWriter out = spec.commandLine().getOut();
        if (json()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("event", "result");
            line.put("at", Instant.now().toString());
            line.put("command", "bench");
            line.put("data", report.toJson());
            try {
                out.println(JSON.writeValueAsString(line));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot write the bench result as JSON", e);
            }
        } else {
            out.print(report.toTable());
        }
        out.flush();
        report.failures().forEach(f -> err.println("convene: bench: not measured: " + f));
        err.flush();
        return report.failures().isEmpty() ? 0 : 1;
    }

    private Profile profile() {
        Profile p = namedProfile();
        try {
            if (sizePeers != null) p = p.withSize(sizePeers);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--size-peers: " + e.getMessage());
        }
        try {
            if (conferencePeers != null) p = p.withConference(conferencePeers);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--conference-peers: " + e.getMessage());
        }
        if (latencyPeers == null && memoryFrom == null) return p;
        try {
            return p.withLatency(latencyPeers != null ? latencyPeers : p.latencyGroups(), memoryFrom != null ? memoryFrom : p.memoryFrom());
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--latency-peers: " + e.getMessage());
        }
    }

    private Profile namedProfile() {
        String name = profile != null ? profile : quick ? "quick" : "full";
        return switch (name) {
            case "full" -> Profile.FULL;
            case "quick" -> Profile.QUICK;
            case "tiny" -> Profile.TINY;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--profile " + name + " (expected: full, quick or tiny)");
        };
    }

    /** {@code --only}: a part by its lower-case name. */
    static final class PartConverter implements picocli.CommandLine.ITypeConverter<Bench.Part> {
        @Override
        public Bench.Part convert(String value) {
            try {
                return Bench.Part.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' (expected: latency, throughput, processes, events, files, size or conference)");
            }
        }
    }

    /** The global {@code --json} option, inherited from {@code convene}; false when run on its own. */
    private boolean json() {
        OptionSpec option = spec.findOption("--json");
        return option != null && Boolean.TRUE.equals(option.getValue());
    }
}
