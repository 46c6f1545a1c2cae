package dev.convene.conference.internal;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.PeerId;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What answering digests may cost this peer, so that a participant cannot make it send far more history than
 * it asks for:
 * <ul>
 * <li>nothing twice in a row: a message sent to an asker is not sent to it again for {@link #RESEND_AFTER_NANOS},
 *     whatever its digests claim (an honest asker that received a batch asks for what follows), and the same
 *     digest from the same asker is not even looked at again in that time;</li>
 * <li>a byte budget per asker ({@link #PER_ASKER_BURST}, refilled at {@link #PER_ASKER_PER_SECOND}) and one in
 *     total ({@link #TOTAL_BURST}, {@link #TOTAL_PER_SECOND}); a batch that does not fit is not sent, and the
 *     asker's next digest (anti-entropy) asks again.</li>
 * </ul>
 * Engine thread only; the maps are bounded LRUs.
 */
final class HistoryBudget {
    static final long PER_ASKER_BURST = 4L << 20;
    static final long PER_ASKER_PER_SECOND = 2L << 20;
    static final long TOTAL_BURST = 16L << 20;
    static final long TOTAL_PER_SECOND = 8L << 20;
    static final long RESEND_AFTER_NANOS = 5_000_000_000L;
    static final int ASKERS = 1024;

    private record Asked(PeerId asker, ConferenceId conference) {
    }

    private record LastAnswer(Map<PeerId, Long> digest, long at) {
    }

    private final LongSupplier nanos;
    private final Map<PeerId, TokenBucket> perAsker = new Bounded<>(ASKERS);
    private final Map<Asked, LastAnswer> inFlight = new Bounded<>(ASKERS * 4);
    private final TokenBucket total;
    private final Map<Asked, Map<PeerId, long[]>> sent = new Bounded<>(ASKERS * 4);

    HistoryBudget(LongSupplier nanos) {
        this.nanos = nanos;
        this.total = new TokenBucket(TOTAL_BURST, TOTAL_PER_SECOND, nanos);
    }

    /** Whether a digest deserves an answer: false if the same one from the same asker was answered moments ago. */
    boolean fresh(PeerId asker, ConferenceId conference, Map<PeerId, Long> digest) {
        LastAnswer last = inFlight.get(new Asked(asker, conference));
        return last == null || !last.digest().equals(digest) || nanos.getAsLong() - last.at() >= RESEND_AFTER_NANOS;
    }

    /** The highest sequence of {@code author} sent to {@code asker} less than {@link #RESEND_AFTER_NANOS} ago, or 0. */
    long alreadySent(PeerId asker, ConferenceId conference, PeerId author) {
        Map<PeerId, long[]> m = sent.get(new Asked(asker, conference));
        long[] s = m == null ? null : m.get(author);
        return s == null || nanos.getAsLong() - s[1] >= RESEND_AFTER_NANOS ? 0 : s[0];
    }

    /** Records that {@code upTo} of {@code author} went to {@code asker} now. */
    void sent(PeerId asker, ConferenceId conference, PeerId author, long upTo) {
        Map<PeerId, long[]> m = sent.computeIfAbsent(new Asked(asker, conference), k -> new Bounded<>(dev.convene.conference.ConferenceContext.MAX_INVITEES + 1));
        long[] s = m.get(author);
        if (s == null || s[0] < upTo || nanos.getAsLong() - s[1] >= RESEND_AFTER_NANOS) m.put(author, new long[] {upTo, nanos.getAsLong()});
    }

    /** Takes {@code bytes} from the asker's and the total budget, or nothing if either lacks them. */
    boolean spend(PeerId asker, ConferenceId conference, Map<PeerId, Long> digest, long bytes) {
        TokenBucket own = perAsker.computeIfAbsent(asker, a -> new TokenBucket(PER_ASKER_BURST, PER_ASKER_PER_SECOND, nanos));
        if (!own.tryTake(bytes)) return false;
        if (!total.tryTake(bytes)) return false; // the asker's share is spent anyway: it asked for more than there was
        inFlight.put(new Asked(asker, conference), new LastAnswer(Map.copyOf(digest), nanos.getAsLong()));
        return true;
    }
}
