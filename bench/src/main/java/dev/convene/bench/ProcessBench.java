package dev.convene.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Figures that need real processes: start-up to {@code ready} and to a complete directory, kill -9 and
 * SIGSTOP detection, and the resident set of idle peers. The Convene side runs {@code convene --json run -}
 * (the real CLI, through {@link BenchPeerMain}'s {@code cli} mode, which only prints when main starts); the
 * raw side runs a plain JGroups channel with the same stack ({@code raw} mode). Both groups are up at the
 * same time; joiners, kills and measurements alternate between them so both see the same machine.
 */
final class ProcessBench {
    static final Duration STEP = Duration.ofSeconds(60);
    static final Duration DETECTION_LIMIT = Duration.ofSeconds(30);

    private final Workspace ws;
    private final Profile profile;
    private final List<String> childJvm;
    private final Consumer<String> progress;
    private final Map<String, double[]> values = new LinkedHashMap<>();

    ProcessBench(Workspace ws, Profile profile, List<String> childJvm, Consumer<String> progress) {
        this.ws = ws;
        this.profile = profile;
        this.childJvm = childJvm;
        this.progress = progress;
    }

    List<Figure> run() throws InterruptedException {
        int n = profile.processes();
        ProcessGroup convene = new ProcessGroup.Cli(ws, childJvm);
        ProcessGroup raw = new ProcessGroup.Raw(ws, childJvm);
        String failure = "";
        try {
            progress.accept("processes: two groups of " + (n - 1) + " (convene run, raw JGroups)");
            for (ProcessGroup g : List.of(convene, raw)) g.start(0);
            for (ProcessGroup g : List.of(convene, raw)) g.awaitReady(0, STEP);
            for (ProcessGroup g : List.of(convene, raw)) for (int i = 1; i < n - 1; i++) g.start(i);
            for (ProcessGroup g : List.of(convene, raw)) {
                for (int i = 0; i < n - 1; i++) {
                    g.awaitReady(i, STEP);
                    g.awaitDirectory(i, n - 2, STEP);
                }
            }
            progress.accept("processes: a joiner makes " + n + (profile.joins() > 1 ? ", " + profile.joins() + " times" : ""));
            int last = joins(List.of(convene, raw), n);
            Thread.sleep(500);
            put("rss.idle", convene.medianRss() / Memory.MIB, raw.medianRss() / Memory.MIB);
            progress.accept("processes: kill -9 the joiner");
            put("detect.kill", convene.detectKill(last, DETECTION_LIMIT), raw.detectKill(last, DETECTION_LIMIT));
            progress.accept("processes: SIGSTOP one more");
            double[] stopped = ProcessGroup.detectStopTogether(List.of(convene, raw), n - 2, DETECTION_LIMIT);
            put("detect.stop", stopped[0], stopped[1]);
        } catch (RuntimeException e) {
            failure = e instanceof BenchException ? e.getMessage() : e.toString();
        } finally {
            List<Child> all = new ArrayList<>(convene.children());
            all.addAll(raw.children());
            Child.closeAll(all);
        }
        return figures(n, failure);
    }

    /**
     * A peer joins the group of {@code n - 1}, on each side in turn, {@code joins} times; all but the last leave
     * again (gracefully, seen by all) before the next. Records the medians; returns the last joiner's number.
     */
    private int joins(List<ProcessGroup> groups, int n) throws InterruptedException {
        int joins = profile.joins();
        double[][][] at = new double[groups.size()][3][joins];
        for (int r = 0; r < joins; r++) {
            int i = n - 1 + r;
            for (int g = 0; g < groups.size(); g++) {
                ProcessGroup group = groups.get(g);
                group.start(i);
                ProcessGroup.Startup s = group.awaitStartup(i, n - 1, STEP);
                at[g][0][r] = s.mainMillis();
                at[g][1][r] = s.readyMillis();
                at[g][2][r] = s.directoryMillis() - s.mainMillis();
                if (r < joins - 1) group.leave(i, DETECTION_LIMIT);
            }
        }
        String[] keys = {"startup.main", "startup.ready", "startup.directory"};
        for (int k = 0; k < keys.length; k++) put(keys[k], median(at[0][k]), median(at[1][k]));
        return n - 2 + joins;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private void put(String key, double convene, double raw) {
        values.put(key, new double[] {convene, raw});
    }

    private List<Figure> figures(int n, String failure) {
        List<Figure> out = new ArrayList<>();
        String joins = profile.joins() > 1 ? "median of " + profile.joins() + " joins; " : "";
        add(out, "startup.main", "joiner: process start to main()", "ms", null, failure,
                joins + "JVM boot; the same flags for both: " + String.join(" ", childJvm));
        add(out, "startup.ready", "joiner: process start to ready", "ms", null, failure,
                "convene: the ready event of 'convene --json run -'; raw: JChannel.connect returned");
        add(out, "startup.directory", "joiner: main() to complete directory (" + n + " peers)", "ms", Target.atMost(1000), failure,
                "convene: the last of " + (n - 1) + " peer-joined events; raw: connected with a view of " + n);
        add(out, "rss.idle", "RSS per idle peer process (median of " + n + ")", "MiB", null, failure,
                "VmRSS from /proc; convene: an idle CLI peer (conference engine and SQLite store open)");
        add(out, "detect.kill", "kill -9 noticed by every other peer (" + n + ")", "ms", Target.atMost(1000), failure,
                "from destroyForcibly to the last peer-left (raw: view without it)");
        add(out, "detect.stop", "SIGSTOP noticed by every other peer (" + (n - 1) + ")", "ms", Target.atMost(8000), failure,
                "from kill -STOP to the last peer-left (raw: view without it); both sides stopped at the same moment");
        return out;
    }

    private void add(List<Figure> out, String key, String label, String unit, Target target, String failure, String note) {
        double[] v = values.get(key);
        if (v == null || !Double.isFinite(v[0]) || !Double.isFinite(v[1])) {
            out.add(new Figure(key, label, unit, v == null ? Double.NaN : v[0], v == null ? Double.NaN : v[1], target,
                    failure.isEmpty() ? "not measured" : failure));
        } else {
            out.add(new Figure(key, label, unit, v[0], v[1], target, note));
        }
    }
}
