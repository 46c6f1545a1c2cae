package dev.convene.it.harness;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compares what the peers of one scenario hold against what was sent, the way the guarantees in DESIGN
 * section 4 are stated: every acknowledged message at every participant (no loss), each once (no
 * duplicate), nothing nobody sent (no phantom), one order everywhere (no divergence). Also the
 * figures: how many were sent, how long the histories took to converge, and the delivery latency
 * percentiles from the {@code message} events.
 *
 * <p>What was sent is known by its text, which the test makes unique ({@code m-ann-2-17}): a {@code say}
 * whose result arrived is <em>acknowledged</em> (its id is known and it must be everywhere); a {@code say}
 * sent to a process that was killed before answering is <em>in doubt</em> (it may or may not exist, but if
 * it does it must be at every participant, which the order comparison checks).
 *
 * <p>Not thread-safe: fed by the test thread.
 */
public final class HistoryCheck {
    /** One message of a history, as a peer printed it. */
    public record Entry(String id, String author, String text) {
    }

    /** A {@code say} the test issued: its author's id and, once acknowledged, its id and time. */
    private static final class Said {
        final String authorId;
        final String text;
        final String phase;
        String id;
        Instant at;

        Said(String authorId, String text, String phase) {
            this.authorId = authorId;
            this.text = text;
            this.phase = phase;
        }
    }

    private final String scenario;
    private final long seed;
    private final Map<String, Said> byText = new LinkedHashMap<>();
    private final Map<String, List<Entry>> histories = new LinkedHashMap<>();
    private final Map<String, List<Entry>> outsiders = new LinkedHashMap<>();
    private final Map<String, Map<String, Instant>> arrivals = new HashMap<>();
    private Duration convergence;
    private String phase;

    public HistoryCheck(String scenario, long seed) {
        this.scenario = scenario;
        this.seed = seed;
    }

    /**
     * Starts a phase of the scenario: from now on the report's figures (sent, in doubt, latency,
     * convergence) are those of the messages issued in this phase, while loss, duplicates, phantoms and
     * order are still checked over every message of the conference.
     */
    public HistoryCheck phase(String name) {
        this.phase = name;
        this.convergence = null;
        return this;
    }

    /** A {@code say} was sent by the peer with id {@code authorId}; {@code text} must be unique in the scenario. */
    public HistoryCheck issued(String authorId, String text) {
        if (byText.putIfAbsent(text, new Said(authorId, text, phase)) != null) {
            throw new IllegalArgumentException("text issued twice: '" + text + "' (expected: unique texts)");
        }
        return this;
    }

    /** The {@code say} of {@code text} succeeded: the message {@code id}, posted at {@code at}. */
    public HistoryCheck acknowledged(String text, String id, Instant at) {
        Said s = byText.get(text);
        if (s == null) throw new IllegalArgumentException("acknowledged but never issued: '" + text + "'");
        s.id = id;
        s.at = at;
        return this;
    }

    /** Whether {@code text} was acknowledged. */
    public boolean isAcknowledged(String text) {
        Said s = byText.get(text);
        return s != null && s.id != null;
    }

    /**
     * A message event: the peer with id {@code peerId} received {@code id} at {@code at}; only the first arrival
     * counts, and none at the author.
     */
    public HistoryCheck arrived(String peerId, String id, Instant at) {
        arrivals.computeIfAbsent(peerId, k -> new HashMap<>()).putIfAbsent(id, at);
        return this;
    }

    /** A participant's history, in its order: must hold every acknowledged message. */
    public HistoryCheck history(String peer, List<Entry> entries) {
        histories.put(peer, List.copyOf(entries));
        return this;
    }

    /** What a peer that must see nothing (a decliner, an outsider) holds: must be empty. */
    public HistoryCheck outsider(String peer, List<Entry> entries) {
        outsiders.put(peer, List.copyOf(entries));
        return this;
    }

    public HistoryCheck convergedIn(Duration d) {
        this.convergence = d;
        return this;
    }

    /** Acknowledged messages so far. */
    public int acknowledgedCount() {
        return (int) byText.values().stream().filter(s -> s.id != null).count();
    }

    /** Every acknowledged id, in the order the texts were issued. */
    public List<String> acknowledgedIds() {
        return byText.values().stream().filter(s -> s.id != null).map(s -> s.id).toList();
    }

    /** The figures and the faults found. */
    public Report report() {
        Map<String, List<String>> lost = new LinkedHashMap<>();
        Map<String, List<String>> duplicated = new LinkedHashMap<>();
        Map<String, List<String>> unexpected = new LinkedHashMap<>();
        Map<String, String> divergent = new LinkedHashMap<>();
        String referencePeer = null;
        List<String> reference = null;
        for (var h : histories.entrySet()) {
            String peer = h.getKey();
            Set<String> ids = new HashSet<>();
            Set<String> texts = new HashSet<>();
            for (Entry e : h.getValue()) {
                if (!ids.add(e.id()) || !texts.add(e.text())) add(duplicated, peer, e.id() + " ('" + e.text() + "')");
                Said s = byText.get(e.text());
                if (s == null) {
                    add(unexpected, peer, e.id() + " ('" + e.text() + "' was never sent)");
                } else if (!s.authorId.equals(e.author()) || (s.id != null && !s.id.equals(e.id()))) {
                    add(unexpected, peer, e.id() + " by " + e.author() + " carries the text of " + s.id + " by " + s.authorId);
                }
            }
            for (Said s : byText.values()) {
                if (s.id != null && !ids.contains(s.id)) add(lost, peer, s.id + " ('" + s.text + "')");
            }
            List<String> order = h.getValue().stream().map(Entry::id).toList();
            if (reference == null) {
                referencePeer = peer;
                reference = order;
            } else if (!reference.equals(order)) {
                divergent.put(peer, firstDifference(referencePeer, reference, peer, order));
            }
        }
        for (var o : outsiders.entrySet()) {
            o.getValue().forEach(e -> add(unexpected, o.getKey(), e.id() + " ('" + e.text() + "' reached a peer that must see nothing)"));
        }
        int sent = (int) inPhase().filter(s -> s.id != null).count();
        int inDoubt = (int) inPhase().filter(s -> s.id == null).count();
        return new Report(phase == null ? scenario : scenario + "/" + phase, seed, sent, inDoubt, histories.size(),
                lost, duplicated, unexpected, divergent, convergence, Latency.of(latencies()));
    }

    private Stream<Said> inPhase() {
        return byText.values().stream().filter(s -> Objects.equals(s.phase, phase));
    }

    private List<Duration> latencies() {
        List<Duration> all = new ArrayList<>();
        for (Said s : inPhase().toList()) {
            if (s.id == null || s.at == null) continue;
            for (var a : arrivals.entrySet()) {
                Instant at = a.getValue().get(s.id);
                if (at != null && !a.getKey().equals(s.authorId)) all.add(Duration.between(s.at, at).isNegative() ? Duration.ZERO : Duration.between(s.at, at));
            }
        }
        return all;
    }

    private static String firstDifference(String refPeer, List<String> ref, String peer, List<String> order) {
        int i = 0;
        while (i < ref.size() && i < order.size() && ref.get(i).equals(order.get(i))) i++;
        return "differs from " + refPeer + " at position " + i + ": " + (i < order.size() ? order.get(i) : "(end)") + " vs "
                + (i < ref.size() ? ref.get(i) : "(end)") + " (" + order.size() + " vs " + ref.size() + " messages)";
    }

    private static void add(Map<String, List<String>> m, String peer, String what) {
        m.computeIfAbsent(peer, k -> new ArrayList<>()).add(what);
    }

    /** Fails with the report, naming the scenario, the seed, each peer and its first faulty messages. */
    public Report assertClean() {
        return assertClean("");
    }

    /**
     * As {@link #assertClean()}; {@code note} (what the scenario did) goes with the figures into the
     * figures file.
     */
    public Report assertClean(String note) {
        Report r = report();
        Figures.record((r.clean() ? "clean " : "FAILED ") + r.figures() + (note.isEmpty() ? "" : " — " + note) + " seed=" + r.seed());
        if (!r.clean()) throw new AssertionError(r.failure() + (note.isEmpty() ? "" : "\n  after: " + note));
        return r;
    }

    /** Delivery latency percentiles over every (message, receiving peer) pair; nearest rank. */
    public record Latency(int samples, Duration p50, Duration p99, Duration max) {
        static Latency of(List<Duration> all) {
            if (all.isEmpty()) return new Latency(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
            List<Duration> sorted = all.stream().sorted().toList();
            return new Latency(sorted.size(), rank(sorted, 0.50), rank(sorted, 0.99), sorted.get(sorted.size() - 1));
        }

        private static Duration rank(List<Duration> sorted, double q) {
            return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
        }

        @Override
        public String toString() {
            return samples == 0 ? "latency n/a" : "latency p50=" + p50.toMillis() + "ms p99=" + p99.toMillis() + "ms max=" + max.toMillis()
                    + "ms (" + samples + " deliveries)";
        }
    }

    /** What the checker found. */
    public record Report(String scenario, long seed, int sent, int inDoubt, int peers, Map<String, List<String>> lost,
                         Map<String, List<String>> duplicated, Map<String, List<String>> unexpected, Map<String, String> divergent,
                         Duration convergence, Latency latency) {
        public long lostCount() {
            return count(lost);
        }

        public long duplicateCount() {
            return count(duplicated);
        }

        public long unexpectedCount() {
            return count(unexpected);
        }

        private static long count(Map<String, List<String>> m) {
            return m.values().stream().mapToLong(List::size).sum();
        }

        public boolean clean() {
            return lostCount() == 0 && duplicateCount() == 0 && unexpectedCount() == 0 && divergent.isEmpty();
        }

        /** One line of figures. */
        public String figures() {
            return scenario + ": sent=" + sent + (inDoubt > 0 ? " (+" + inDoubt + " in doubt)" : "") + " peers=" + peers
                    + " lost=" + lostCount() + " duplicated=" + duplicateCount() + " unexpected=" + unexpectedCount()
                    + " divergent=" + divergent.size()
                    + " convergence=" + (convergence == null ? "n/a" : convergence.toMillis() + "ms") + " " + latency;
        }

        /** The failure message: the figures, then each fault by peer with up to five examples. */
        public String failure() {
            StringBuilder b = new StringBuilder("scenario ").append(scenario).append(" (seed ").append(seed).append(") failed the history check\n  ")
                    .append(figures());
            faults(b, "lost", lost);
            faults(b, "duplicated", duplicated);
            faults(b, "unexpected", unexpected);
            divergent.forEach((peer, why) -> b.append("\n  ").append(peer).append(": order ").append(why));
            return b.toString();
        }

        private static void faults(StringBuilder b, String kind, Map<String, List<String>> m) {
            m.forEach((peer, what) -> b.append("\n  ").append(peer).append(": ").append(kind).append(' ').append(what.size())
                    .append(", e.g. ").append(what.stream().limit(5).collect(Collectors.joining(", "))));
        }

        @Override
        public String toString() {
            return figures();
        }
    }
}
