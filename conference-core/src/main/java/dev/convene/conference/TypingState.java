package dev.convene.conference;

import dev.convene.overlay.PeerId;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is typing where, from the {@link BuiltInEvents#TYPING} events heard (callback thread), and when this peer
 * last sent one (caller threads). Entries older than {@link BuiltInEvents#TYPING_EXPIRY} by the injected clock
 * are dropped as they are read; the maps hold at most one entry per (conference, participant) heard from.
 */
final class TypingState {
    private final Clock clock;
    private final PeerId self;
    private final Map<ConferenceId, Map<PeerId, Instant>> heard = new ConcurrentHashMap<>();
    private final Map<ConferenceId, Instant> sent = new ConcurrentHashMap<>();

    TypingState(Clock clock, PeerId self) {
        this.clock = clock;
        this.self = self;
    }

    /** A typing event was delivered (own ones are not counted). */
    void heard(ConferenceEvent<Boolean> e) {
        if (e.author().equals(self)) return;
        Map<PeerId, Instant> m = heard.computeIfAbsent(e.conference(), k -> new ConcurrentHashMap<>());
        m.put(e.author(), clock.instant());
    }

    /** A chat message from a peer ends its typing. */
    void spoke(ChatEntry entry) {
        Map<PeerId, Instant> m = heard.get(entry.conference());
        if (m != null) m.remove(entry.author());
    }

    /** The peers whose last typing signal here is younger than the expiry. */
    Set<PeerId> typingNow(ConferenceId conference) {
        Map<PeerId, Instant> m = heard.get(conference);
        Set<PeerId> now = new TreeSet<>();
        if (m == null) return now;
        Instant cutoff = clock.instant().minus(BuiltInEvents.TYPING_EXPIRY);
        m.entrySet().removeIf(e -> !e.getValue().isAfter(cutoff));
        now.addAll(m.keySet());
        return now;
    }

    /** True (and noted) if this peer may send a typing signal in the conference now: one per repeat interval. */
    boolean maySend(ConferenceId conference) {
        Instant now = clock.instant();
        boolean[] ok = {false};
        sent.compute(conference, (k, last) -> {
            if (last == null || !now.isBefore(last.plus(BuiltInEvents.TYPING_REPEAT))) {
                ok[0] = true;
                return now;
            }
            return last;
        });
        return ok[0];
    }

    /** Sending failed: the next attempt may go at once. */
    void unsent(ConferenceId conference) {
        sent.remove(conference);
    }
}
