package dev.convene.conference;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Delta debugging (Zeller's ddmin) of a failing sequence: the shortest sub-sequence found that still fails, each
 * candidate tried by re-running it. Bounded by a number of tries and a time budget; when either runs out, the
 * shortest failing sequence found so far is the answer (it may then not be minimal).
 */
final class Shrink {
    private Shrink() {
    }

    /** The outcome: the shortest failing sequence found, and how many candidates were re-run. */
    record Result<T>(List<T> shortest, int tries, boolean exhausted) {
        Result {
            shortest = List.copyOf(shortest);
        }
    }

    /**
     * Shrinks {@code failing}, which must fail ({@code fails} is true for it; it is not re-run).
     *
     * @param failing the failing sequence
     * @param fails re-runs a candidate; true if it fails too
     * @param maxTries at most this many re-runs
     * @param budget and at most this long
     * @param clock the clock the budget is measured by
     * @return the shortest failing sequence found
     */
    static <T> Result<T> ddmin(List<T> failing, Predicate<List<T>> fails, int maxTries, Duration budget, Clock clock) {
        Instant deadline = clock.instant().plus(budget);
        List<T> current = List.copyOf(failing);
        int n = 2;
        int tries = 0;
        while (current.size() >= 2) {
            List<List<T>> chunks = split(current, n);
            boolean reduced = false;
            // First a chunk alone, then everything but one chunk.
            for (int pass = 0; pass < 2 && !reduced; pass++) {
                if (pass == 1 && chunks.size() == 2) break; // each complement is the other chunk, already tried
                for (int i = 0; i < chunks.size() && !reduced; i++) {
                    if (tries >= maxTries || !clock.instant().isBefore(deadline)) return new Result<>(current, tries, true);
                    List<T> candidate = pass == 0 ? chunks.get(i) : without(chunks, i);
                    tries++;
                    if (fails.test(candidate)) {
                        current = candidate;
                        n = pass == 0 ? 2 : Math.max(n - 1, 2);
                        reduced = true;
                    }
                }
            }
            if (!reduced) {
                if (n >= current.size()) break;
                n = Math.min(n * 2, current.size());
            }
        }
        return new Result<>(current, tries, false);
    }

    private static <T> List<List<T>> split(List<T> list, int n) {
        List<List<T>> chunks = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            int end = start + (list.size() - start) / (n - i);
            chunks.add(List.copyOf(list.subList(start, end)));
            start = end;
        }
        return chunks;
    }

    private static <T> List<T> without(List<List<T>> chunks, int skip) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) if (i != skip) out.addAll(chunks.get(i));
        return out;
    }
}
