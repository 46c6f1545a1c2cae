package dev.convene.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The JSON events one {@code convene} process printed, in order, each with the instant the harness read
 * it. Appended by the process's reader thread; read and awaited by the test thread.
 *
 * <p>A wait is satisfied by an event already logged as well as by one still to come; it ends as soon as
 * the condition holds, when its deadline passes, or when the output ends (the process exited) without the
 * event: then it fails at once instead of waiting out the deadline. Thread-safe.
 *
 * <p>Kept small for long soaks: a {@code message} event keeps what the checker reads (conference, id,
 * sequence, author id, sent-at, pending), not its text; a {@code history} event loses its messages once
 * read ({@link #slim}). The process's stdout copy on disk has every line whole.
 */
public final class EventLog {
    private final String owner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Event> events = new ArrayList<>();
    private final List<String> unparsed = new ArrayList<>();
    private boolean ended;

    /** One event line: its JSON and when the harness read it. */
    public record Event(JsonNode json, Instant received) {
        /** The {@code "event"} field: {@code ready}, {@code result}, {@code message}, … */
        public String type() {
            return json.path("event").asText();
        }

        /** The {@code "at"} field: when the process wrote it (same host clock as the harness). */
        public Instant at() {
            String at = json.path("at").asText(null);
            return at == null ? received : Instant.parse(at);
        }

        /** The {@code "command"} of a {@code result}, else empty. */
        public String command() {
            return json.path("command").asText("");
        }

        /** The script {@code "line"} of a result or error, or -1. */
        public int line() {
            return json.path("line").asInt(-1);
        }

        public JsonNode data() {
            return json.path("data");
        }

        public boolean is(String type) {
            return type().equals(type);
        }

        @Override
        public String toString() {
            return json.toString();
        }
    }

    EventLog(String owner) {
        this.owner = owner;
    }

    void add(JsonNode json) {
        Instant received = Instant.now();
        JsonNode kept = "message".equals(json.path("event").asText()) ? slimMessage(json) : json;
        lock.lock();
        try {
            events.add(new Event(kept, received));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static JsonNode slimMessage(JsonNode json) {
        ObjectNode slim = JsonNodeFactory.instance.objectNode();
        for (String field : List.of("event", "at", "conference", "id", "sequence", "sent-at", "pending")) {
            if (json.has(field)) slim.set(field, json.get(field));
        }
        slim.putObject("from").put("id", json.path("from").path("id").asText());
        return slim;
    }

    /** Drops the {@code messages} of a {@code history} event that has been read, keeping its other fields. */
    public void slim(Event history) {
        if (!(history.json() instanceof ObjectNode o) || !o.has("messages")) return;
        ObjectNode copy = o.deepCopy();
        copy.remove("messages");
        lock.lock();
        try {
            for (int i = events.size() - 1; i >= 0; i--) {
                if (events.get(i) == history) {
                    events.set(i, new Event(copy, history.received()));
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A stdout line that is not a JSON object: a broken contract, reported by {@link #unparsed()}. */
    void addUnparsed(String line) {
        lock.lock();
        try {
            unparsed.add(line);
        } finally {
            lock.unlock();
        }
    }

    /** The process's output ended. */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean ended() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /** Every event so far. */
    public List<Event> snapshot() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** The events so far of one type. */
    public List<Event> all(String type) {
        return snapshot().stream().filter(e -> e.is(type)).toList();
    }

    public List<String> unparsed() {
        lock.lock();
        try {
            return List.copyOf(unparsed);
        } finally {
            lock.unlock();
        }
    }

    /** The first event so far that matches, if any. */
    public Optional<Event> find(Predicate<Event> match) {
        return snapshot().stream().filter(match).findFirst();
    }

    /**
     * Waits for the first event (past or future) that matches.
     *
     * @param what what is awaited, for the failure message
     * @throws AssertionError on timeout or when the output ended without it, with the latest events
     */
    public Event await(Predicate<Event> match, Duration timeout, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        lock.lock();
        try {
            while (true) {
                for (; checked < events.size(); checked++) {
                    if (match.test(events.get(checked))) return events.get(checked);
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new AssertionError(owner + ": " + (ended ? "output ended" : "timed out after " + timeout.toMillis() + "ms")
                            + " waiting for " + what.get() + "; last events:\n" + tail(8));
                }
                changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(owner + ": interrupted waiting for " + what.get(), e);
        } finally {
            lock.unlock();
        }
    }

    /** The last {@code n} events, one per line, for failure messages. */
    public String tail(int n) {
        List<Event> all = snapshot();
        StringBuilder b = new StringBuilder();
        all.subList(Math.max(0, all.size() - n), all.size()).forEach(e -> b.append("  ").append(abbreviate(e.toString())).append('\n'));
        return b.length() == 0 ? "  (none)\n" : b.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "…";
    }
}
