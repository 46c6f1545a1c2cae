package dev.convene.conference.internal;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * The order history answers are sent in: several authors' runs of messages (each in sequence order) merged by
 * timestamp, author and sequence, lazily (a batch takes only what fits). Each author's messages keep their
 * sequence order whatever their timestamps.
 */
final class HistoryOrder {
    private static final Comparator<Head> ORDER = Comparator.<Head, dev.convene.conference.HlcTimestamp>comparing(h -> h.message.timestamp())
            .thenComparing(h -> h.message.author())
            .thenComparingLong(h -> h.message.sequence());

    private HistoryOrder() {
    }

    private record Head(ChatMessage message, Iterator<ChatMessage> rest) {
    }

    static Iterator<ChatMessage> merge(List<Iterator<ChatMessage>> runs) {
        PriorityQueue<Head> heads = new PriorityQueue<>(Math.max(1, runs.size()), ORDER);
        for (Iterator<ChatMessage> run : runs) {
            if (run.hasNext()) heads.add(new Head(run.next(), run));
        }
        return new Iterator<>() {
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            public ChatMessage next() {
                Head h = heads.poll();
                if (h == null) throw new NoSuchElementException();
                if (h.rest().hasNext()) heads.add(new Head(h.rest().next(), h.rest()));
                return h.message();
            }
        };
    }
}
