package dev.convene.bench;

import java.util.List;

/**
 * How much work one {@code convene bench} run does. {@link #FULL} is the run whose numbers go into
 * docs/BENCHMARKS.md; {@link #QUICK} is a short look (well under a minute); {@link #TINY} only proves that
 * the benchmark itself works (tests), its numbers mean nothing.
 *
 * @param name as printed
 * @param latencyGroups peer counts of the latency runs
 * @param memoryFrom latency groups of at least this many peers run on the {@code memory} network
 *     (SHARED_LOOPBACK in this JVM) instead of loopback TCP
 * @param latencyWarmup messages sent and discarded before each latency measurement
 * @param latencyMessages measured messages per latency group
 * @param heapGroup the latency group whose idle heap per peer is reported
 * @param throughputPeers peers of the throughput conference, one of them in a process of its own
 * @param throughputWarmup messages posted before the timed part (they count towards the catch-up history)
 * @param throughputMessages timed messages; the late joiner then fetches warm-up plus timed messages
 * @param processes size of the process group (at least 3: one is killed, one is stopped)
 * @param joins how many times a peer joins the full group (each leaves before the next; the median is reported)
 * @param sizeGroups peer counts of the size part (complete directories, cost of one join), each on memory and TCP
 * @param conferencePeers participants of the conference part's one conference (memory network, one JVM)
 * @param conferenceWarmup messages posted and discarded before the conference part's measurement
 * @param conferenceMessages measured messages of the conference part (each makes {@code conferencePeers - 1} samples)
 */
public record Profile(String name, List<Integer> latencyGroups, int memoryFrom, int latencyWarmup, int latencyMessages,
                      int heapGroup, int throughputPeers, int throughputWarmup, int throughputMessages, int processes, int joins,
                      List<Integer> sizeGroups, int conferencePeers, int conferenceWarmup, int conferenceMessages) {
    /**
     * The numbers of record. Thirty peers run on the memory network: thirty JGroups TCP stacks in one JVM
     * hold about 29 connections each, with their buffers, and do not fit the launcher's 256 MiB heap.
     */
    public static final Profile FULL = new Profile("full", List.of(3, 10, 30), 30, 300, 1000, 10, 5, 1000, 9000, 10, 3,
            List.of(10, 30, 100), 100, 50, 200);
    /** A short look: fewer messages, 30 peers on the memory network, three processes. */
    public static final Profile QUICK = new Profile("quick", List.of(3, 10, 30), 30, 50, 100, 10, 5, 200, 800, 3, 1,
            List.of(10, 30), 100, 10, 30);
    /** The smallest run that still produces every figure: for the benchmark's own tests. */
    public static final Profile TINY = new Profile("tiny", List.of(3), 3, 10, 30, 3, 3, 20, 80, 3, 1, List.of(4), 5, 5, 20);

    public Profile {
        latencyGroups = List.copyOf(latencyGroups);
        if (latencyGroups.isEmpty() || latencyGroups.stream().anyMatch(n -> n < 2)) {
            throw new IllegalArgumentException("latencyGroups: " + latencyGroups + " (expected: at least one, each >= 2)");
        }
        if (!latencyGroups.contains(heapGroup)) throw new IllegalArgumentException("heapGroup: " + heapGroup + " (expected: one of " + latencyGroups + ")");
        if (latencyMessages < 1 || throughputMessages < 1) throw new IllegalArgumentException("message counts must be > 0");
        if (throughputPeers < 2) throw new IllegalArgumentException("throughputPeers: " + throughputPeers + " (expected: >= 2)");
        if (processes < 3) throw new IllegalArgumentException("processes: " + processes + " (expected: >= 3)");
        if (joins < 1) throw new IllegalArgumentException("joins: " + joins + " (expected: >= 1)");
        sizeGroups = List.copyOf(sizeGroups);
        if (sizeGroups.isEmpty() || sizeGroups.stream().anyMatch(n -> n < 2 || n > 500)) {
            throw new IllegalArgumentException("sizeGroups: " + sizeGroups + " (expected: at least one, each 2 to 500)");
        }
        if (conferencePeers < 2 || conferencePeers > 500) {
            throw new IllegalArgumentException("conferencePeers: " + conferencePeers + " (expected: 2 to 500)");
        }
        if (conferenceWarmup < 0 || conferenceMessages < 1) throw new IllegalArgumentException("conference message counts must be > 0");
    }

    /**
     * How many times the throughput part measures each side, alternating Convene and raw JGroups: three in the full
     * profile (the figures are the medians: one run swung 1,100-6,300 msg/s from run to run on two shared cores, raw
     * JGroups 30,000-88,000), once otherwise. The late joiner's catch-up is measured in the first round only.
     */
    public int throughputRounds() {
        return name.equals("full") ? 3 : 1;
    }

    /**
     * How long the size part measures idle traffic before each join, and how long after a join it reads the counts:
     * {@link SizeBench#IDLE} and {@link SizeBench#SETTLE} (4 s and 1 s), but 1 s and 0.5 s in the tiny profile, whose
     * numbers mean nothing: its test checks that every figure is measured and above what one join must cost, which the
     * join's own frames (counted once directories are complete) meet whatever the windows.
     */
    public java.time.Duration sizeIdle() {
        return name.equals("tiny") ? java.time.Duration.ofSeconds(1) : SizeBench.IDLE;
    }

    /** See {@link #sizeIdle()}. */
    public java.time.Duration sizeSettle() {
        return name.equals("tiny") ? java.time.Duration.ofMillis(500) : SizeBench.SETTLE;
    }

    /** This profile with other latency groups; the heap is reported for the first one unless the usual one is among them. */
    public Profile withLatency(List<Integer> groups, int memoryFrom) {
        int heap = groups.contains(heapGroup) ? heapGroup : groups.get(0);
        return new Profile(name, groups, memoryFrom, latencyWarmup, latencyMessages, heap, throughputPeers, throughputWarmup,
                throughputMessages, processes, joins, sizeGroups, conferencePeers, conferenceWarmup, conferenceMessages);
    }

    /** This profile with other group sizes for the size part. */
    public Profile withSize(List<Integer> groups) {
        return new Profile(name, latencyGroups, memoryFrom, latencyWarmup, latencyMessages, heapGroup, throughputPeers, throughputWarmup,
                throughputMessages, processes, joins, groups, conferencePeers, conferenceWarmup, conferenceMessages);
    }

    /** This profile with {@code peers} participants in the conference part. */
    public Profile withConference(int peers) {
        return new Profile(name, latencyGroups, memoryFrom, latencyWarmup, latencyMessages, heapGroup, throughputPeers, throughputWarmup,
                throughputMessages, processes, joins, sizeGroups, peers, conferenceWarmup, conferenceMessages);
    }

    /** Measured messages for a group of {@code n}: fewer beyond 10 peers, where each message makes n - 1 samples. */
    public int latencyMessages(int n) {
        return n > 10 ? Math.max(10, latencyMessages * 3 / 10) : latencyMessages;
    }

    /** Warm-up messages for a group of {@code n}. */
    public int latencyWarmup(int n) {
        return n > 10 ? latencyWarmup * 3 / 10 : latencyWarmup;
    }

    /** Messages the late joiner fetches. */
    public int historySize() {
        return throughputWarmup + throughputMessages;
    }
}
