package dev.convene.cli.terminal;

import dev.convene.cli.CliErrors;
import dev.convene.cli.CliException;
import dev.convene.cli.ExitCodes;
import dev.convene.cli.Logging;
import dev.convene.cli.Main;
import dev.convene.cli.RunCommand;
import dev.convene.cli.output.ConferenceInfo.PeerRef;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.DesktopNotifier;
import dev.convene.cli.output.Event;
import dev.convene.cli.output.EventWriter;
import dev.convene.cli.output.Notifications;
import dev.convene.cli.output.Texts;
import dev.convene.cli.output.Times;
import dev.convene.cli.session.CommandRegistry;
import dev.convene.cli.session.Completion;
import dev.convene.cli.session.SayCmd;
import dev.convene.cli.session.Session;
import dev.convene.cli.session.SessionCommand;
import dev.convene.cli.session.ShellWords;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.Directory;
import dev.convene.overlay.PeerId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interactive session: reads session commands until {@code quit} or the end of input; a failing
 * command prints its error and the session goes on. On a terminal (and without {@code --json}) it reads
 * through {@link TerminalInput}: line editing, history, tab completion, colours, events printed above the
 * line being typed. Otherwise it reads plain lines as before, so scripts can pipe into {@code convene}.
 *
 * <p>{@code open CONF} enters chat mode: a line is a message to that conference, {@code /back} returns,
 * {@code /COMMAND ARGS} runs a session command (one whose first argument is a conference gets the open
 * one: {@code /history}, {@code /invite bob}, {@code /leave}), and {@code //text} sends text that starts
 * with a slash.
 *
 * <p>Lines are read and run on the calling thread; events arrive on other threads and only print.
 */
public final class Interactive {
    private static final Logger log = LoggerFactory.getLogger(Interactive.class);
    static final String HISTORY_FILE = "history";
    /** Where the log goes during a session on a terminal (without --verbose), instead of the screen. */
    public static final String LOG_FILE = "convene.log";

    private final Main main;
    private final EventWriter out;
    private final CommandRegistry registry = CommandRegistry.standard();
    private volatile Session session;
    private volatile Chat chat;
    private int number;
    /** Whether a line failed: a piped session then exits {@link ExitCodes#FAILED}, as a script does. */
    private boolean failed;
    private AutoCloseable logToFile = () -> { };
    /** How often the session looks for conferences about to start, besides after each line. */
    static final Duration REMIND_EVERY = Duration.ofSeconds(10);
    private final Set<String> reminded = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService reminders;
    /** The terminal, when lines are edited on one: chat mode then shows who is here and who is typing. */
    private volatile TerminalInput terminal;
    /** How often chat mode looks at who is here and who is typing in the open conference. */
    static final Duration WATCH_EVERY = Duration.ofMillis(500);
    /** Who was last said to be here in the open conference (by {@link #watchChat}), and who typing. */
    private volatile String lastHere;
    private volatile String lastTyping;

    /** The conference open in chat mode. */
    private record Chat(String id, String title) {
    }

    public Interactive(Main main, EventWriter out) {
        this.main = main;
        this.out = out;
    }

    public int run() throws InterruptedException {
        try (LineInput input = openInput()) {
            try (Session s = main.openSession(out, registry)) {
                session = s;
                s.chatMode(this::openChat);
                out.notifications(new Notifications(s.overlay().self().value(), s.overlay().config().name()), desktop());
                reminders = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "convene-reminders");
                    t.setDaemon(true);
                    return t;
                });
                reminders.scheduleWithFixedDelay(this::remind, REMIND_EVERY.toMillis(), REMIND_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                if (input instanceof TerminalInput) {
                    reminders.scheduleWithFixedDelay(this::watchChat, WATCH_EVERY.toMillis(), WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                }
                out.note(input instanceof TerminalInput
                        ? "type 'help' for the commands, Tab to complete, 'open CONF' to chat, 'quit' or Ctrl-D to leave"
                        : "type 'help' for the commands, 'quit' to leave");
                while (!s.quitRequested()) {
                    String line = input.readLine();
                    if (line == null) break;
                    number++;
                    handle(line);
                    remind();
                }
                return failed && !(input instanceof TerminalInput) ? ExitCodes.FAILED : ExitCodes.OK;
            } finally {
                if (reminders != null) reminders.shutdownNow();
                out.notifications(null, null);
                out.focus(null);
                out.attach(null);
                closeQuietly(logToFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
        }
    }

    /** Line editing on a terminal unless --json; plain lines otherwise, or if the terminal cannot be taken over. */
    private LineInput openInput() {
        if (main.interactiveTerminal() && !out.json()) {
            try {
                TerminalInput terminal = TerminalInput.open(main.global().home().resolve(HISTORY_FILE),
                        new SessionLineParser(registry, () -> chat != null),
                        new SessionCompleter(registry, () -> session, () -> Optional.ofNullable(chat).map(Chat::id)),
                        this::prompt, main.env("NO_COLOR"), main.global().verbose, this::typing);
                this.terminal = terminal;
                out.attach(terminal);
                if (!main.global().verbose) logToFile = Logging.toFile(main.global().home().resolve(LOG_FILE));
                return terminal;
            } catch (IOException | RuntimeException e) {
                log.warn("no line editing: cannot take over the terminal ({}); reading plain lines", e.toString());
            }
        }
        return new PlainInput(main.stdin(), out, main.interactiveTerminal() ? this::prompt : null);
    }

    private void handle(String line) throws InterruptedException {
        Chat c = chat;
        if (c == null) {
            run(line.startsWith("/") ? line.substring(1) : line);
        } else if (line.startsWith("//")) {
            say(c, line.substring(1));
        } else if (line.startsWith("/")) {
            chatCommand(c, line);
        } else if (!line.isBlank()) {
            say(c, line);
        }
    }

    /** A command line: shell-like words, the first naming the command. */
    private void run(String line) throws InterruptedException {
        if (line.strip().equals("back")) {
            error(new Event.ErrorReport("no conference is open; 'open CONF' chats in one", number, null));
            return;
        }
        try {
            Optional<SessionCommand.Action> action = RunCommand.parse(line, registry);
            if (action.isPresent()) execute(action.get());
        } catch (RuntimeException e) {
            error(new Event.ErrorReport(CliErrors.describe(e), number, null));
        }
    }

    /**
     * {@code /back}, or {@code /COMMAND ARGS} with the open conference implied where the command takes one.
     * {@code line} starts with the {@code /}; error columns count it.
     */
    private void chatCommand(Chat c, String line) throws InterruptedException {
        try {
            ShellWords.Head head = ShellWords.head(line, 1, 1);
            if (head.words().isEmpty()) throw CliException.usage("a command goes after the '/', e.g. /back or /history; '//text' sends text starting with '/'");
            if (head.words().get(0).equals("back")) {
                if (head.rest() != null) throw CliException.usage("/back takes no arguments");
                chat = null;
                out.focus(null);
                out.note("back to commands; 'open " + c.id().substring(0, 8) + "' returns to " + "'" + Safe.line(c.title()) + "'");
                return;
            }
            Optional<SessionCommand.Action> action = registry.parseLine(line, 1, c.id());
            if (action.isPresent()) execute(action.get());
        } catch (RuntimeException e) {
            error(new Event.ErrorReport(CliErrors.describe(e), number, null));
        }
    }

    /** A chat line; if it is refused, the error shows its text, as the line typed was erased from the screen. */
    private void say(Chat c, String text) throws InterruptedException {
        try {
            execute(SayCmd.post(SayCmd.NAME, c.id(), Texts.message(text), true));
        } catch (RuntimeException e) {
            error(new Event.ErrorReport(notSent(text, CliErrors.describe(e)), number, null));
        }
    }

    static String notSent(String text, String why) {
        return why + "; not sent: " + Safe.text(text, "  ");
    }

    /** Runs one action; Ctrl-C (an interrupt) stops it and the session goes on. */
    private void execute(SessionCommand.Action action) throws InterruptedException {
        try {
            session.run(number, action);
        } catch (InterruptedException e) {
            if (session.quitRequested()) throw e;
            error(new Event.ErrorReport("interrupted", number, null));
        }
    }

    /** The desktop notifier if --desktop-notifications asks for one and notify-send is installed; else null, said once. */
    private DesktopNotifier desktop() {
        if (!main.global().desktopNotifications) return null;
        Optional<DesktopNotifier> found = DesktopNotifier.find(main.env("PATH"));
        if (found.isEmpty()) out.note("no notify-send on the PATH: no desktop notifications (the terminal bell still rings)");
        return found.orElse(null);
    }

    /** Announces, once each, the conferences of this peer that start within {@link Notifications#REMIND_BEFORE}. */
    private void remind() {
        Session s = session;
        if (s == null) return;
        try {
            Instant now = s.clock().instant();
            for (ConferenceView v : Notifications.dueReminders(s.conferences().conferences(), now, reminded)) {
                if (reminded.add(v.id().value())) {
                    out.reminder("reminder: " + ConferenceInfo.label(v) + " starts " + Times.relative(now, v.context().start())
                            + ", at " + Times.local(v.context().start()));
                }
            }
        } catch (RuntimeException e) {
            log.debug("cannot check for reminders: {}", e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.debug("cannot restore the log: {}", e.toString());
        }
    }

    private void error(Event.ErrorReport report) {
        failed = true;
        out.error(report);
    }

    /** In chat mode, a command whose first argument is a conference acts on the open one ({@code open} switches). */
    public static boolean takesOpenConference(SessionCommand command) {
        return !command.name().equals("open") && command.completion(List.of()).kind() == Completion.Kind.CONFERENCES;
    }

    /** {@code open CONF} succeeded: messages of {@code v} show as chat lines, typed lines are messages to it. */
    private void openChat(ConferenceView v) {
        Session s = session;
        String self = s.overlay().self().value();
        Directory directory = s.overlay().directory();
        chat = new Chat(v.id().value(), v.title());
        out.focus(new ChatFocus(v.id().value(), self, from -> speaker(directory, from)));
        lastHere = null; // said at the next look
        lastTyping = null;
    }

    /** A key typed into a message in chat mode: tells the open conference this peer is typing (at most every 3 s). */
    private void typing() {
        Session s = session;
        Chat c = chat;
        if (s == null || c == null) return;
        try {
            s.conferences().typing(ConferenceId.parse(c.id()));
        } catch (RuntimeException e) {
            log.debug("cannot send typing: {}", e.toString());
        }
    }

    /**
     * In chat mode on a terminal: says who is here (the other participants online) when that changes, and redraws
     * the prompt when who is typing changes.
     */
    private void watchChat() {
        Session s = session;
        Chat c = chat;
        TerminalInput t = terminal;
        if (s == null || c == null || t == null) return;
        try {
            ConferenceId id = ConferenceId.parse(c.id());
            String here = here(s, id);
            if (here != null && !here.equals(lastHere)) {
                lastHere = here;
                out.note("[" + Safe.line(c.title()) + "] " + here);
            }
            String typing = typingNow(s, id);
            if (!java.util.Objects.equals(typing, lastTyping)) {
                lastTyping = typing;
                t.refreshPrompt();
            }
        } catch (RuntimeException e) {
            log.debug("cannot watch the open conference: {}", e.toString());
        }
    }

    /** {@code here now: bob, carol} (the other participants online), {@code nobody else is here now}; null if unknown. */
    static String here(Session s, ConferenceId id) {
        Optional<ConferenceView> v = s.conferences().conference(id);
        if (v.isEmpty()) return null;
        PeerId self = s.conferences().self();
        List<String> names = v.get().participants().stream().filter(p -> !p.equals(self) && s.conferences().directory().isOnline(p))
                .map(p -> Safe.line(dev.convene.cli.output.PeerView.name(s.conferences(), p))).sorted().toList();
        return names.isEmpty() ? "nobody else is here now" : "here now: " + String.join(", ", names);
    }

    /** Who is typing in the open conference, as the prompt says it; null if nobody. */
    private static String typingNow(Session s, ConferenceId id) {
        return Prompt.typing(s.conferences().typingNow(id).stream().map(p -> dev.convene.cli.output.PeerView.name(s.conferences(), p))
                .sorted().toList());
    }

    /** An author's name, with its short id where another key uses the same name (names are not identity). */
    private static String speaker(Directory directory, PeerRef from) {
        return directory.nameConflicts().containsKey(from.name()) ? from.label() : Safe.line(from.name());
    }

    /** The prompt now; called before each line and when output arrives while one is typed. */
    public Prompt prompt() {
        Session s = session;
        Chat c = chat;
        if (s == null) return new Prompt("convene", main.global().network.cliName(), 0, null);
        Prompt p = Prompt.of(s, c == null ? null : c.title());
        if (c == null || terminal == null) return p;
        try {
            return p.withTyping(typingNow(s, ConferenceId.parse(c.id())));
        } catch (RuntimeException e) {
            return p;
        }
    }

    public static String prompt(Session session) {
        return Prompt.of(session, null).text();
    }
}
