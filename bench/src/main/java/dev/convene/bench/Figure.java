package dev.convene.bench;

/**
 * One measured figure: Convene's number beside raw JGroups doing the same transfer in the same run, and
 * their ratio. Both numbers are in {@link #unit()}; a figure that could not be measured holds NaN and says
 * why in {@link #note()}.
 *
 * @param key stable machine name, e.g. {@code latency.p99.10}
 * @param label what it is, for people
 * @param unit {@code ms}, {@code msg/s} or {@code MiB}
 * @param convene Convene's number
 * @param raw raw JGroups' number for the same transfer
 * @param target the goal for Convene's number, or null if none
 * @param note how it was measured, or why it is missing
 * @param rawApplies false for a figure raw JGroups has no counterpart of (signature checks): raw is NaN and the
 *     figure is complete with Convene's number alone
 */
public record Figure(String key, String label, String unit, double convene, double raw, Target target, String note, boolean rawApplies) {
    public Figure {
        if (key == null || key.isBlank()) throw new IllegalArgumentException("key is empty");
        note = note == null ? "" : note;
        if (!rawApplies && !Double.isNaN(raw)) throw new IllegalArgumentException(key + ": a raw number where raw does not apply");
        if (!rawApplies && target != null && target.hasRatio()) throw new IllegalArgumentException(key + ": a ratio target without raw");
    }

    /** A figure beside raw JGroups. */
    public Figure(String key, String label, String unit, double convene, double raw, Target target, String note) {
        this(key, label, unit, convene, raw, target, note, true);
    }

    /** A figure of Convene's alone (raw JGroups does nothing of the kind): printed with {@code -} for raw and ratio. */
    public static Figure conveneOnly(String key, String label, String unit, double convene, Target target, String note) {
        return new Figure(key, label, unit, convene, Double.NaN, target, note, false);
    }

    /** A figure that could not be measured: both numbers NaN. */
    public static Figure missing(String key, String label, String unit, Target target, String why) {
        return new Figure(key, label, unit, Double.NaN, Double.NaN, target, why);
    }

    /** {@code convene / raw}: above 1 means Convene takes more (time, memory) or, for rates, delivers more. */
    public double ratio() {
        return convene / raw;
    }

    /** Whether the target is met; null when there is no target. */
    public Boolean met() {
        return target == null ? null : target.metBy(convene, raw);
    }

    /** True when both numbers and their ratio are finite (Convene's number alone where raw does not apply). */
    public boolean complete() {
        if (!rawApplies) return Double.isFinite(convene);
        return Double.isFinite(convene) && Double.isFinite(raw) && Double.isFinite(ratio());
    }
}
