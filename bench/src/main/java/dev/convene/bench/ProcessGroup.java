package dev.convene.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.convene.overlay.OverlayConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A group of peer processes of one kind, numbered from 0 (started first, so the coordinator), in a group
 * and port range of their own. {@link Cli} reads Convene's events, {@link Raw} the raw child's views; the
 * rest (start-up times, detection, RSS) is the same for both. Used by one thread.
 */
abstract sealed class ProcessGroup permits ProcessGroup.Cli, ProcessGroup.Raw {
    /** When a joiner got to each point, in ms from just before its process started. */
    record Startup(double mainMillis, double readyMillis, double directoryMillis) {
    }

    final Workspace ws;
    final List<String> jvm;
    final String cluster;
    final int basePort;
    private final Map<Integer, Child> children = new TreeMap<>();
    private final Map<Integer, String> ids = new TreeMap<>();
    private final Set<Integer> gone = new HashSet<>();

    ProcessGroup(Workspace ws, List<String> jvm, String purpose) {
        this.ws = ws;
        this.jvm = List.copyOf(jvm);
        this.cluster = ws.cluster(purpose);
        this.basePort = ws.basePort();
    }

    /** The class and arguments of peer {@code i}. */
    abstract List<String> mainAndArgs(int i);

    /** The name this peer is known by in the others' events. */
    abstract String idOf(JsonNode ready, int i);

    /** When the lines show {@code others} other peers, or -1. */
    abstract long completeAt(List<Child.Line> lines, int others);

    /** When the lines, after {@code after}, show that {@code id} left, or -1. */
    abstract long leftAt(List<Child.Line> lines, String id, long after);

    String name(int i) {
        return (this instanceof Cli ? "bp" : "rp") + i;
    }

    void start(int i) {
        children.put(i, Child.start(name(i), jvm, mainAndArgs(i), ws.file(cluster + "-" + i + ".err")));
    }

    List<Child> children() {
        return List.copyOf(children.values());
    }

    void awaitReady(int i, Duration timeout) throws InterruptedException {
        ids.put(i, idOf(children.get(i).await(l -> l.event().equals("ready"), timeout, "ready").json(), i));
    }

    long awaitDirectory(int i, int others, Duration timeout) throws InterruptedException {
        Child c = children.get(i);
        Waits.until(timeout, () -> completeAt(c.lines(), others) >= 0, () -> c.name() + " to see " + others + " other peers");
        return completeAt(c.lines(), others);
    }

    Startup awaitStartup(int i, int others, Duration timeout) throws InterruptedException {
        awaitReady(i, timeout);
        long complete = awaitDirectory(i, others, timeout);
        Child c = children.get(i);
        long main = c.first(l -> l.event().equals("main")).orElseThrow().nanos();
        long ready = c.first(l -> l.event().equals("ready")).orElseThrow().nanos();
        return new Startup(millis(main - c.startedNanos()), millis(ready - c.startedNanos()), millis(complete - c.startedNanos()));
    }

    double medianRss() {
        List<Double> rss = new ArrayList<>();
        children.forEach((i, c) -> {
            if (!gone.contains(i)) rss.add(c.rss());
        });
        rss.sort(null);
        return rss.isEmpty() ? Double.NaN : rss.get(rss.size() / 2);
    }

    /** Peer {@code i} leaves gracefully (its stdin closes); returns once every other peer saw it go. */
    void leave(int i, Duration timeout) throws InterruptedException {
        long at = System.nanoTime();
        gone.add(i);
        children.get(i).close();
        awaitLeft(i, at, timeout);
    }

    /** kill -9 peer {@code victim}: ms until every other peer showed it gone. */
    double detectKill(int victim, Duration timeout) throws InterruptedException {
        long at = System.nanoTime();
        children.get(victim).kill();
        gone.add(victim);
        return millis(awaitLeft(victim, at, timeout) - at);
    }

    /** kill -STOP peer {@code victim} of each group at once: per group, ms until every other peer showed it gone. */
    static double[] detectStopTogether(List<ProcessGroup> groups, int victim, Duration timeout) throws InterruptedException {
        long[] at = new long[groups.size()];
        double[] out = new double[groups.size()];
        try {
            for (int g = 0; g < groups.size(); g++) {
                at[g] = System.nanoTime();
                groups.get(g).children.get(victim).signalStop(true);
                groups.get(g).gone.add(victim);
            }
            for (int g = 0; g < groups.size(); g++) out[g] = millis(groups.get(g).awaitLeft(victim, at[g], timeout) - at[g]);
            return out;
        } finally {
            for (ProcessGroup g : groups) {
                Child c = g.children.get(victim);
                c.kill(); // SIGKILL ends a stopped process too
            }
        }
    }

    /** Waits until every peer still running saw {@code victim} leave after {@code after}; the latest such moment. */
    private long awaitLeft(int victim, long after, Duration timeout) throws InterruptedException {
        String id = ids.get(victim);
        long latest = after;
        for (var e : children.entrySet()) {
            if (gone.contains(e.getKey())) continue;
            Child c = e.getValue();
            Waits.until(timeout, () -> leftAt(c.lines(), id, after) >= 0, () -> c.name() + " to notice that " + name(victim) + " is gone");
            latest = Math.max(latest, leftAt(c.lines(), id, after));
        }
        return latest;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** Peers running {@code convene --json run -}: reads ready, peer-joined and peer-left. */
    static final class Cli extends ProcessGroup {
        Cli(Workspace ws, List<String> jvm) {
            super(ws, jvm, "procc");
        }

        @Override
        List<String> mainAndArgs(int i) {
            return List.of(BenchPeerMain.class.getName(), "cli", "--name", name(i), "--home", ws.home(name(i)).toString(),
                    "--port", Integer.toString(basePort), "--cluster", cluster, "--json", "run", "-", "--stream");
        }

        @Override
        String idOf(JsonNode ready, int i) {
            return ready.path("id").asText();
        }

        @Override
        long completeAt(List<Child.Line> lines, int others) {
            Set<String> online = new HashSet<>();
            for (Child.Line l : lines) {
                if (l.event().equals("peer-joined")) online.add(l.json().path("id").asText());
                if (l.event().equals("peer-left")) online.remove(l.json().path("id").asText());
                if (online.size() >= others) return l.nanos();
            }
            return others == 0 && !lines.isEmpty() ? lines.get(0).nanos() : -1;
        }

        @Override
        long leftAt(List<Child.Line> lines, String id, long after) {
            for (Child.Line l : lines) {
                if (l.nanos() > after && l.event().equals("peer-left") && l.json().path("id").asText().equals(id)) return l.nanos();
            }
            return -1;
        }
    }

    /** Raw JGroups channels with the stack of a CLI peer: reads their views. */
    static final class Raw extends ProcessGroup {
        Raw(Workspace ws, List<String> jvm) {
            super(ws, jvm, "procr");
        }

        @Override
        List<String> mainAndArgs(int i) {
            return BenchPeerMain.rawArgs(name(i), cluster, basePort, OverlayConfig.DEFAULT_PORT_RANGE, 0);
        }

        @Override
        String idOf(JsonNode ready, int i) {
            return name(i);
        }

        @Override
        long completeAt(List<Child.Line> lines, int others) {
            for (Child.Line l : lines) {
                if (l.event().equals("view") && l.json().path("members").size() >= others + 1) return l.nanos();
            }
            return -1;
        }

        @Override
        long leftAt(List<Child.Line> lines, String id, long after) {
            for (Child.Line l : lines) {
                if (l.nanos() <= after || !l.event().equals("view")) continue;
                boolean present = false;
                for (JsonNode m : l.json().path("members")) present |= m.asText().equals(id);
                if (!present) return l.nanos();
            }
            return -1;
        }
    }
}
