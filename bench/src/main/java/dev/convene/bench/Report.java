package dev.convene.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one {@code convene bench} run: every {@link Figure} in the order measured, the machine it
 * ran on (cores, load average before and after) and what failed. Printed as a table for people or as one
 * JSON object. Not thread-safe: one run fills it on one thread.
 */
public final class Report {
    private final Profile profile;
    private final Instant started;
    private final double[] loadBefore;
    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private Instant finished;
    private double[] loadAfter = new double[0];

    Report(Profile profile, Instant started, double[] loadBefore) {
        this.profile = profile;
        this.started = started;
        this.loadBefore = loadBefore.clone();
    }

    void add(Figure figure) {
        if (figures.putIfAbsent(figure.key(), figure) != null) throw new IllegalArgumentException("figure " + figure.key() + " twice");
        if (!figure.complete()) failures.add(figure.key() + ": " + figure.note());
    }

    void finish(Instant at, double[] load) {
        this.finished = at;
        this.loadAfter = load.clone();
    }

    public Profile profile() {
        return profile;
    }

    public List<Figure> figures() {
        return List.copyOf(figures.values());
    }

    public Figure figure(String key) {
        return figures.get(key);
    }

    /** Figures that could not be measured, with why. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** The JSON form: one object with the run's environment and every figure by key. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("profile", profile.name());
        out.put("started", started.toString());
        out.put("seconds", finished == null ? null : Duration.between(started, finished).toMillis() / 1000.0);
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("loadAverageBefore", loadBefore);
        env.put("loadAverageAfter", loadAfter);
        env.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1 << 20));
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("jvmArguments", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        out.put("environment", env);
        Map<String, Object> all = new LinkedHashMap<>();
        for (Figure f : figures.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", f.label());
            m.put("unit", f.unit());
            m.put("convene", jsonNumber(f.convene()));
            m.put("raw", jsonNumber(f.raw()));
            m.put("ratio", jsonNumber(f.ratio()));
            if (f.target() != null) {
                m.put("target", f.target().describe(f.unit()));
                m.put("met", f.met());
            }
            if (!f.note().isEmpty()) m.put("note", f.note());
            all.put(f.key(), m);
        }
        out.put("figures", all);
        out.put("failures", failures);
        return out;
    }

    /** JSON has no NaN: a missing number is null. */
    private static Double jsonNumber(double d) {
        return Double.isFinite(d) ? d : null;
    }

    /** The table for people, with the environment on top and the notes below. */
    public String toTable() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "convene bench (%s profile): %d cores, load average %s before, %s after, %d MiB heap%n",
                profile.name(), Runtime.getRuntime().availableProcessors(), load(loadBefore), load(loadAfter),
                Runtime.getRuntime().maxMemory() / (1 << 20)));
        String row = "%-46s %12s %12s %7s %24s %4s%n";
        t.append(String.format(Locale.ROOT, row, "figure", "convene", "raw JGroups", "ratio", "target", "met"));
        for (Figure f : figures.values()) {
            t.append(String.format(Locale.ROOT, row, f.label(), withUnit(f.convene(), f.unit()), withUnit(f.raw(), f.unit()),
                    Double.isFinite(f.ratio()) ? number(f.ratio()) : "-", f.target() == null ? "" : f.target().describe(f.unit()),
                    f.met() == null ? "" : f.met() ? "yes" : "NO"));
        }
        List<Figure> noted = figures.values().stream().filter(f -> !f.note().isEmpty()).toList();
        if (!noted.isEmpty()) t.append(String.format("%nnotes:%n"));
        for (Figure f : noted) t.append("  ").append(f.key()).append(": ").append(f.note()).append(System.lineSeparator());
        if (finished != null) {
            t.append(String.format(Locale.ROOT, "%nratio = convene / raw JGroups, both measured in this run (%.0f s).%n",
                    Duration.between(started, finished).toMillis() / 1000.0));
        }
        return t.toString();
    }

    private static String withUnit(double v, String unit) {
        return Double.isFinite(v) ? number(v) + " " + unit : "-";
    }

    private static String load(double[] l) {
        if (l.length == 0) return "?";
        StringBuilder b = new StringBuilder();
        for (double d : l) b.append(b.length() == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.2f", d));
        return b.toString();
    }

    /** Three significant-ish digits: 0.412, 4.12, 41.2, 412, 41200. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a == 0) return "0";
        if (a < 1) return String.format(Locale.ROOT, "%.3f", v);
        if (a < 10) return String.format(Locale.ROOT, "%.2f", v);
        if (a < 100) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
