package dev.convene.bench;

import java.util.Locale;

/**
 * A goal from the issue for one figure: a bound on Convene's number in the figure's unit ({@code ours <= value}
 * or {@code ours >= value}), a bound on its ratio against raw JGroups in the same run ({@code ours / raw <= ratio}
 * or {@code >= ratio}), or both at once (both must hold).
 *
 * @param atMost true for upper bounds (times, memory), false for lower bounds (rates)
 * @param value the bound on Convene's number, NaN for none
 * @param ratio the bound on {@code convene / raw}, NaN for none
 */
public record Target(boolean atMost, double value, double ratio) {
    public Target {
        if (Double.isNaN(value) && Double.isNaN(ratio)) throw new IllegalArgumentException("a target needs a value or a ratio");
        if (Double.isInfinite(value) || Double.isInfinite(ratio)) throw new IllegalArgumentException("an infinite bound is none");
        if (!Double.isNaN(ratio) && ratio <= 0) throw new IllegalArgumentException("ratio: " + ratio + " (expected: > 0)");
    }

    /** {@code ours <= value}. */
    public static Target atMost(double value) {
        return new Target(true, value, Double.NaN);
    }

    /** {@code ours >= value}. */
    public static Target atLeast(double value) {
        return new Target(false, value, Double.NaN);
    }

    /** {@code ours <= ratio x raw}. */
    public static Target atMostTimesRaw(double ratio) {
        return new Target(true, Double.NaN, ratio);
    }

    /** {@code ours >= ratio x raw}. */
    public static Target atLeastTimesRaw(double ratio) {
        return new Target(false, Double.NaN, ratio);
    }

    /** This bound and also {@code ours / raw} bounded the same way by {@code ratio}. */
    public Target andTimesRaw(double ratio) {
        return new Target(atMost, value, ratio);
    }

    /** Whether the target has a bound on the ratio (then raw is needed to judge it). */
    public boolean hasRatio() {
        return !Double.isNaN(ratio);
    }

    /** Whether the target has a bound on Convene's own number. */
    public boolean hasValue() {
        return !Double.isNaN(value);
    }

    /** Whether {@code ours} meets a target that has no ratio; false for a figure that is not a number or a ratio target. */
    public boolean metBy(double ours) {
        return metBy(ours, Double.NaN);
    }

    /**
     * Whether {@code ours}, beside {@code raw}, meets every bound; false when a bound cannot be judged (a number
     * missing, a ratio target without a finite ratio).
     */
    public boolean metBy(double ours, double raw) {
        if (!Double.isFinite(ours)) return false;
        if (hasValue() && !(atMost ? ours <= value : ours >= value)) return false;
        if (hasRatio()) {
            double r = ours / raw;
            if (!Double.isFinite(r)) return false;
            return atMost ? r <= ratio : r >= ratio;
        }
        return true;
    }

    /** {@code <= 1 ms}, {@code <= 4x raw}, {@code >= 5000 msg/s, >= 0.100x raw}. */
    public String describe(String unit) {
        String op = atMost ? "<= " : ">= ";
        String v = hasValue() ? op + Report.number(value) + (unit.isEmpty() ? "" : " " + unit) : "";
        String r = hasRatio() ? op + Report.number(ratio) + "x raw" : "";
        return v.isEmpty() ? r : r.isEmpty() ? v : v + ", " + r;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s%s%s", atMost ? "<=" : ">=", hasValue() ? " " + value : "",
                hasRatio() ? " " + ratio + "x raw" : "");
    }
}
