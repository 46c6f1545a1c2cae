package dev.convene.conference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the histories of participants against what was sent: reports lost messages (sent and
 * acknowledged, missing at a participant), duplicates (an id twice in one history), phantoms (an id
 * nobody sent), and histories whose order differs from the first participant's; plus convergence time. A peer
 * given its own expected messages ({@link #history(String, List, java.util.Collection)}, e.g. with history visibility
 * {@code joined}, where each history starts at its peer's admission) is checked against them instead, and its order
 * against the part it has in common with the first participant's.
 * {@link #assertClean()} fails on any non-zero figure, naming the peer and the message.
 */
public final class HistoryChecker {
    private final Map<String, String> sent = new LinkedHashMap<>();
    private final Map<String, List<String>> histories = new LinkedHashMap<>();
    private final Map<String, Set<String>> expected = new HashMap<>();
    private Duration convergence = Duration.ZERO;

    /** Records a message that was sent and must reach everyone. */
    public HistoryChecker sent(MessageId id, String text) {
        sent.put(id.toString(), text);
        return this;
    }

    /** Records a peer's history as it is now. */
    public HistoryChecker history(String peer, List<ChatEntry> entries) {
        histories.put(peer, entries.stream().map(e -> e.id().toString()).toList());
        return this;
    }

    /** Records a peer's history as it is now, and the sent messages it alone must hold (its own part of the history). */
    public HistoryChecker history(String peer, List<ChatEntry> entries, java.util.Collection<MessageId> expectedHere) {
        history(peer, entries);
        expected.put(peer, expectedHere.stream().map(MessageId::toString).collect(java.util.stream.Collectors.toSet()));
        return this;
    }

    public HistoryChecker convergedIn(Duration d) {
        this.convergence = d;
        return this;
    }

    /** The figures: lost, duplicated, unexpected, divergent, with examples. */
    public Report report() {
        Map<String, List<String>> lost = new HashMap<>();
        Map<String, List<String>> duplicated = new HashMap<>();
        Map<String, List<String>> unexpected = new HashMap<>();
        List<String> divergent = new ArrayList<>();
        List<String> reference = null;
        for (var e : histories.entrySet()) {
            Set<String> seen = new HashSet<>();
            Set<String> own = expected.get(e.getKey());
            for (String id : e.getValue()) {
                if (!seen.add(id)) duplicated.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(id);
                if (!sent.containsKey(id) || own != null && !own.contains(id)) unexpected.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(id);
            }
            for (String id : own != null ? own : sent.keySet()) {
                if (!seen.contains(id)) lost.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(id);
            }
            if (reference == null) {
                reference = e.getValue();
            } else if (expected.isEmpty() ? !reference.equals(e.getValue()) : !common(reference, e.getValue()).equals(common(e.getValue(), reference))) {
                divergent.add(e.getKey());
            }
        }
        return new Report(sent.size(), histories.size(), lost, duplicated, unexpected, divergent, convergence);
    }

    /** The ids of {@code a} that {@code b} holds too, in {@code a}'s order. */
    private static List<String> common(List<String> a, List<String> b) {
        Set<String> in = new HashSet<>(b);
        return a.stream().filter(in::contains).toList();
    }

    /** Fails with the report if anything was lost, duplicated, unexpected or out of order. */
    public Report assertClean() {
        Report r = report();
        if (!r.clean()) throw new AssertionError(r.toString());
        return r;
    }

    /** What the checker found. */
    public record Report(int sent, int peers, Map<String, List<String>> lost, Map<String, List<String>> duplicated,
                         Map<String, List<String>> unexpected, List<String> divergent, Duration convergence) {
        public long lostCount() {
            return lost.values().stream().mapToLong(List::size).sum();
        }

        public long duplicateCount() {
            return duplicated.values().stream().mapToLong(List::size).sum();
        }

        public long unexpectedCount() {
            return unexpected.values().stream().mapToLong(List::size).sum();
        }

        public boolean clean() {
            return lostCount() == 0 && duplicateCount() == 0 && unexpectedCount() == 0 && divergent.isEmpty();
        }

        @Override
        public String toString() {
            return "sent=" + sent + " peers=" + peers + " lost=" + lostCount() + " duplicated=" + duplicateCount()
                    + " unexpected=" + unexpectedCount() + " divergent=" + divergent + " convergence=" + convergence.toMillis() + "ms"
                    + (lost.isEmpty() ? "" : " lost-at=" + abbreviate(lost))
                    + (duplicated.isEmpty() ? "" : " duplicated-at=" + abbreviate(duplicated))
                    + (unexpected.isEmpty() ? "" : " unexpected-at=" + abbreviate(unexpected));
        }

        private static String abbreviate(Map<String, List<String>> m) {
            StringBuilder b = new StringBuilder("{");
            m.forEach((peer, ids) -> b.append(peer).append('=').append(ids.subList(0, Math.min(5, ids.size())))
                    .append(ids.size() > 5 ? "…(" + ids.size() + ")" : "").append(' '));
            return b.append('}').toString();
        }
    }
}
