package dev.convene.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Chat in one conference, driven through the peers' standard input and recorded for a
 * {@link HistoryCheck}: every {@code say} gets a unique text ({@code m-NAME-GENERATION-N}), is
 * {@linkplain HistoryCheck#issued issued} when written and {@linkplain HistoryCheck#acknowledged
 * acknowledged} when its result is {@linkplain #harvest() harvested}; {@link #converge} then asks every
 * participant for its history until all agree and hold every acknowledged message.
 *
 * <p>A {@code say} result means the message is stored by its author (and, unless {@code pending}, by another
 * participant): either way it must reach every participant, since every peer a scenario kills is restarted
 * with its store. A {@code say} written to a process killed before it answered is in doubt. Not
 * thread-safe: the test thread drives it.
 */
public final class Chat {
    private final Fleet fleet;
    private final String conference;
    private final HistoryCheck check;
    /** Per process (each generation apart): line number → text of the say on that line. */
    private final Map<ConveneProcess, Map<Integer, String>> says = new LinkedHashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private final List<String> errors = new ArrayList<>();
    private int pending;

    public Chat(Fleet fleet, String conference, HistoryCheck check) {
        this.fleet = fleet;
        this.conference = conference;
        this.check = check;
    }

    public String conference() {
        return conference;
    }

    public HistoryCheck check() {
        return check;
    }

    /** Writes a {@code say} with a fresh unique text to {@code p} without waiting; returns the text. */
    public String say(ConveneProcess p) {
        String key = p.name() + "-" + p.generation();
        int n = counters.merge(key, 1, Integer::sum);
        String text = "m-" + key + "-" + n;
        check.issued(p.id(), text);
        int line = p.send("say " + conference + " " + text);
        says.computeIfAbsent(p, k -> new HashMap<>()).put(line, text);
        return text;
    }

    /** Says a fresh text and waits for the result; returns the {@code say} result. */
    public EventLog.Event sayAndWait(ConveneProcess p, Duration timeout) {
        say(p);
        int line = says.get(p).keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
        EventLog.Event r = p.reply(line, timeout);
        if (r.is("error")) throw new AssertionError(p + ": say failed: " + r.json().path("message").asText() + "; " + fleet);
        return r;
    }

    /**
     * Chats at a steady pace: every {@code period}, one {@code say} from each named peer that is
     * {@linkplain ConveneProcess#usable() usable} then (killed, frozen or still starting peers are skipped),
     * for {@code length}; after each round {@code faults} is called with the time since the start, to inject
     * what the scenario schedules, and ends the chat early by returning false. Bounded: {@code length / period}
     * rounds at most, and it stops at {@code length} even if rounds ran late.
     *
     * @return how many says were written
     */
    public int paced(List<String> speakers, Duration period, Duration length, Predicate<Duration> faults) {
        long start = System.nanoTime();
        long rounds = length.toNanos() / period.toNanos();
        int written = 0;
        for (long round = 0; round < rounds; round++) {
            long due = start + round * period.toNanos();
            long wait = due - System.nanoTime();
            if (wait > 0) sleep(wait);
            if (System.nanoTime() - start >= length.toNanos()) break;
            for (String name : speakers) {
                ConveneProcess p = fleet.get(name);
                if (p.usable()) {
                    say(p);
                    written++;
                }
            }
            if (!faults.test(Duration.ofNanos(System.nanoTime() - start))) break;
        }
        return written;
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Waits (bounded) until every live process has answered every {@code say} written to it. A frozen or
     * killed process is skipped: its unanswered says are in doubt.
     */
    public void drain(Duration timeout) {
        for (var e : says.entrySet()) {
            ConveneProcess p = e.getKey();
            if (!p.alive() || p.frozen()) continue;
            int last = e.getValue().keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (last > 0) p.reply(last, timeout);
        }
    }

    /**
     * Feeds the checker from every process's events: say results (acknowledged, with id and time), say
     * errors (kept for {@link #errors()}), and the first arrival of every message at every peer.
     */
    public void harvest() {
        errors.clear();
        pending = 0;
        for (var e : says.entrySet()) {
            ConveneProcess p = e.getKey();
            for (EventLog.Event ev : p.events().snapshot()) {
                String text = e.getValue().get(ev.line());
                if (text == null) continue;
                if (ev.is("result") && ev.command().equals("say")) {
                    JsonNode d = ev.data();
                    check.acknowledged(text, d.path("id").asText(), Instant.parse(d.path("sent-at").asText()));
                    if (d.path("pending").asBoolean()) pending++;
                } else if (ev.is("error")) {
                    errors.add(p + " '" + text + "': " + ev.json().path("message").asText());
                }
            }
        }
        for (ConveneProcess p : fleet.everStarted()) {
            if (!p.launch().peer() || p.events().find(ev -> ev.is("ready")).isEmpty()) continue;
            EventLog.Event ready = p.events().find(ev -> ev.is("ready")).orElseThrow();
            String self = ready.json().path("id").asText();
            for (EventLog.Event ev : p.events().all("message")) {
                if (!conference.equals(ev.json().path("conference").asText())) continue;
                // Latency is that of live delivery: a message sent before this process was up, or while it
                // was frozen, is caught up later and measures the fault, not the delivery.
                Instant sentAt = Instant.parse(ev.json().path("sent-at").asText());
                if (sentAt.isBefore(ready.at()) || p.frozenBetween(sentAt, ev.at())) continue;
                check.arrived(self, ev.json().path("id").asText(), ev.at());
            }
        }
    }

    /** Say failures found by the last {@link #harvest()}. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Says acknowledged only by their author (still {@code pending}) when they returned, at the last harvest. */
    public int pendingAtResult() {
        return pending;
    }

    /**
     * Asks each participant for its history until all hold the same messages in the same order, every
     * acknowledged one included; records the histories and the time it took in the checker.
     *
     * @param from when the faults ended (convergence is measured from there)
     * @throws AssertionError at the deadline, with the checker's report of what differs
     */
    public Duration converge(List<String> participants, Instant from, Duration timeout) {
        Set<String> wanted = Set.copyOf(check.acknowledgedIds());
        Map<String, List<HistoryCheck.Entry>> latest = new LinkedHashMap<>();
        try {
            Poll.until(timeout, () -> {
                latest.clear();
                for (String name : participants) {
                    ConveneProcess p = fleet.get(name);
                    if (!p.alive()) return false;
                    latest.put(name, history(p, conference, Duration.ofSeconds(30)));
                }
                List<String> first = null;
                for (List<HistoryCheck.Entry> h : latest.values()) {
                    List<String> ids = h.stream().map(HistoryCheck.Entry::id).toList();
                    if (!ids.containsAll(wanted)) return false;
                    if (first == null) first = ids;
                    else if (!first.equals(ids)) return false;
                }
                return true;
            }, () -> "histories to converge; " + fleet);
        } catch (AssertionError timedOut) {
            latest.forEach(check::history);
            throw new AssertionError(timedOut.getMessage() + "\n" + check.report().failure() + "\n" + fleet.diagnostics(), timedOut);
        }
        Duration took = Duration.between(from, Instant.now());
        latest.forEach(check::history);
        check.convergedIn(took);
        return took;
    }

    /** The {@code history} of {@code conf} at {@code p}; an error (not a participant, unknown) fails. */
    public static List<HistoryCheck.Entry> history(ConveneProcess p, String conf, Duration timeout) {
        int line = p.send("history " + conf);
        EventLog.Event reply = p.reply(line, timeout);
        if (reply.is("error")) throw new AssertionError(p + ": history failed: " + reply.json().path("message").asText());
        EventLog.Event h = p.events().await(e -> e.is("history") && e.line() == line, timeout, () -> "the history event of line " + line);
        List<HistoryCheck.Entry> entries = entries(h.json().path("messages"));
        p.events().slim(h);
        return entries;
    }

    /** The entries of a {@code history} event's {@code messages}. */
    public static List<HistoryCheck.Entry> entries(JsonNode messages) {
        List<HistoryCheck.Entry> out = new ArrayList<>();
        messages.forEach(m -> out.add(new HistoryCheck.Entry(m.path("id").asText(), m.path("from").path("id").asText(), m.path("text").asText())));
        return out;
    }

    /** Ids of a list of entries, for messages. */
    public static String ids(List<HistoryCheck.Entry> entries) {
        return entries.stream().map(HistoryCheck.Entry::id).collect(Collectors.joining(", "));
    }
}
