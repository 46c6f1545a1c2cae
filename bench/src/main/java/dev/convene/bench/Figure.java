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
 */
public record Figure(String key, String label, String unit, double convene, double raw, Target target, String note) {
    public Figure {
        if (key == null || key.isBlank()) throw new IllegalArgumentException("key is empty");
        note = note == null ? "" : note;
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
        return target == null ? null : target.metBy(convene);
    }

    /** True when both numbers and their ratio are finite. */
    public boolean complete() {
        return Double.isFinite(convene) && Double.isFinite(raw) && Double.isFinite(ratio());
    }
}
