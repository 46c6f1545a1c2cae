package dev.convene.bench;

import java.util.Locale;

/**
 * A goal from the issue, in the unit of its figure: {@code ours <= value} or {@code ours >= value}.
 *
 * @param atMost true for an upper bound (times, memory), false for a lower bound (rates)
 * @param value the bound
 */
public record Target(boolean atMost, double value) {
    public static Target atMost(double value) {
        return new Target(true, value);
    }

    public static Target atLeast(double value) {
        return new Target(false, value);
    }

    /** Whether {@code ours} meets it; false for a figure that is not a number. */
    public boolean metBy(double ours) {
        if (!Double.isFinite(ours)) return false;
        return atMost ? ours <= value : ours >= value;
    }

    /** {@code <= 1} or {@code >= 5000}, with the unit. */
    public String describe(String unit) {
        return (atMost ? "<= " : ">= ") + Report.number(value) + (unit.isEmpty() ? "" : " " + unit);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s", atMost ? "<=" : ">=", value);
    }
}
