package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.ConferenceEvents;
import dev.convene.cli.output.Event;
import dev.convene.cli.output.EventGate;
import dev.convene.cli.output.EventWriter;
import dev.convene.cli.output.Presence;
import dev.convene.cli.output.Times;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.Identity;
import dev.convene.overlay.Overlay;
import dev.convene.overlay.OverlayConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running peer and the output it reports to: what session commands act on. Opened by {@code run} and
 * by the interactive session; {@link #open} starts the peer, prints {@code ready}, then presence and
 * conference events as they come. Commands run one at a time on the caller's thread; events arrive on the
 * overlay's event thread and the conference callback thread and only emit and {@linkplain #signal() signal}.
 *
 * <p>Closing leaves the group gracefully; a shutdown hook does the same if the JVM is stopped (Ctrl-C)
 * while the session is open.
 */
public final class Session implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    /** Longest pause between two checks of a waited condition, in case a change came without an event. */
    private static final long RECHECK_MILLIS = 200;

    private final PeerRuntime peer;
    private final ConferenceEvents conferenceEvents;
    private final EventWriter out;
    private final CommandRegistry commands;
    private final Object changes;
    private final Thread shutdownHook;
    private final Clock clock = Clock.systemUTC();
    private final ZoneId zone = Times.zone();
    private Integer line;
    private boolean quit;
    private Consumer<ConferenceView> chat;
    /** Posts made by {@code say} in this session, per conference (for {@code wait delivered … --to all}). */
    private final java.util.Map<dev.convene.conference.ConferenceId, java.util.List<dev.convene.conference.Post>> posts =
            new java.util.concurrent.ConcurrentHashMap<>();

    private Session(PeerRuntime peer, EventWriter out, CommandRegistry commands, Object changes, ConferenceEvents conferenceEvents) {
        this.peer = peer;
        this.conferenceEvents = conferenceEvents;
        this.out = out;
        this.commands = commands;
        this.changes = changes;
        this.shutdownHook = new Thread(peer::close, "convene-" + peer.overlay().config().name() + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the peer and prints {@code ready}; presence and conference events follow it, never precede it.
     *
     * @throws dev.convene.overlay.OverlayException if the peer cannot start
     * @throws dev.convene.conference.ConferenceException if its store in HOME cannot be opened
     */
    public static Session open(OverlayConfig config, Identity identity, EventWriter out, CommandRegistry commands) {
        Object changes = new Object();
        EventGate gate = new EventGate(out, () -> {
            synchronized (changes) {
                changes.notifyAll();
            }
        });
        ConferenceEvents conferenceEvents = new ConferenceEvents(gate);
        PeerRuntime peer;
        try {
            peer = PeerRuntime.start(config, identity, new Presence(gate, config.mode() == dev.convene.overlay.NetworkMode.RELAY
                    ? config.routers() : java.util.List.of()), conferenceEvents);
        } catch (RuntimeException e) {
            conferenceEvents.close();
            throw e;
        }
        conferenceEvents.attach(peer.conferences());
        Session session = new Session(peer, out, commands, changes, conferenceEvents);
        Overlay o = peer.overlay();
        out.emit(new Event.Ready(o.self().value(), config.name(), identity.fingerprint(), config.mode().cliName(),
                o.listeningAddress(), config.cluster(), config.transportKey() == null ? null : config.transportKey().fingerprint()));
        gate.open();
        return session;
    }

    public Overlay overlay() {
        return peer.overlay();
    }

    /** The conference facade of this session's peer. */
    /** Remembers a post made in this session. */
    void posted(dev.convene.conference.ConferenceId conference, dev.convene.conference.Post post) {
        posts.computeIfAbsent(conference, c -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(post);
    }

    /** The posts made in this session to {@code conference}, oldest first. */
    java.util.List<dev.convene.conference.Post> posts(dev.convene.conference.ConferenceId conference) {
        return posts.getOrDefault(conference, java.util.List.of());
    }

    public ConferencePeer conferences() {
        return peer.conferences();
    }

    /** The clock commands read the time from ({@code create --at}). */
    public Clock clock() {
        return clock;
    }

    /** The time zone people's times are in ({@code create --at 14:30}). */
    ZoneId zone() {
        return zone;
    }

    /** The line of the running command, or null. */
    Integer line() {
        return line;
    }

    public EventWriter out() {
        return out;
    }

    CommandRegistry commands() {
        return commands;
    }

    /** Runs one parsed command, attributing its output to {@code lineNumber} (null if none). */
    public void run(Integer lineNumber, SessionCommand.Action action) throws InterruptedException {
        this.line = lineNumber;
        try {
            action.run(this);
        } finally {
            this.line = null;
        }
    }

    /** Reports the outcome of the running command. */
    void result(String command, Object data, String human) {
        out.emit(new Event.Result(command, line, data, human));
    }

    /** Lets {@code open} enter chat mode: only the interactive session has one. */
    public void chatMode(Consumer<ConferenceView> opener) {
        this.chat = opener;
    }

    /**
     * Enters chat mode on {@code conference}.
     *
     * @throws CliException in a script, which has no chat mode
     */
    void openChat(ConferenceView conference) {
        if (chat == null) throw CliException.failed("'open' is for the interactive session; in a script, use 'say CONF TEXT'");
        chat.accept(conference);
    }

    /** Asks the session to end after the running command. */
    void quit() {
        quit = true;
    }

    public boolean quitRequested() {
        return quit;
    }

    /**
     * Waits until {@code condition} holds, checking now and after every change (so what already happened
     * counts as well as what comes).
     *
     * @param timeoutMessage the failure message when the time is up; should say what to do next
     * @throws CliException if the time is up
     */
    void await(Duration timeout, BooleanSupplier condition, Supplier<String> timeoutMessage) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changes) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw CliException.failed(timeoutMessage.get());
                changes.wait(Math.max(1, Math.min(RECHECK_MILLIS, left / 1_000_000)));
            }
        }
    }

    /** Wakes every {@link #await} to check its condition again. */
    void signal() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            log.debug("JVM is shutting down; the hook closes the peer");
        }
        peer.close();
        conferenceEvents.close();
    }
}
