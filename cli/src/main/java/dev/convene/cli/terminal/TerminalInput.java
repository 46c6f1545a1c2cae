package dev.convene.cli.terminal;

import dev.convene.cli.session.SayCmd;
import dev.convene.cli.session.ShellWords;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.jline.keymap.KeyMap;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Parser;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.InfoCmp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interactive session on a terminal, through JLine: line editing, history kept in {@code HOME/history}
 * (owner-only), tab completion, and a prompt with the peer's name, network and peers online. As the
 * {@link Screen} of the session's {@link EventWriter} it prints whatever arrives above the line being typed
 * ({@link LineReader#printAbove}) and redraws the prompt with the current count, leaving the typed text as
 * it was; standard error goes the same way while it runs ({@link LinesAbove}). Colours unless
 * {@link Styles#enabled} says no.
 *
 * <p>Ctrl-C clears the line being typed, or stops the command that is running; Ctrl-D on an empty line ends
 * the session. In chat mode a message is erased once entered, as its chat line shows it; a {@code /command}
 * stays.
 *
 * <p>{@link #readLine} and {@link #close} are for the session's thread; {@link #show} for any thread.
 */
final class TerminalInput implements LineInput, Screen {
    private static final Logger log = LoggerFactory.getLogger(TerminalInput.class);
    /** JLine logs through java.util.logging; kept here so the level set on it is not collected away. */
    private static final java.util.logging.Logger JLINE_LOG = java.util.logging.Logger.getLogger("org.jline");

    private final Terminal terminal;
    /** The terminal's settings before the session, restored when it ends. */
    private final Attributes original;
    private final LineReaderImpl reader;
    private final boolean colour;
    private final Supplier<Prompt> prompt;
    private final PrintStream stderr = System.err;
    private final PrintStream above;

    private TerminalInput(Terminal terminal, LineReaderImpl reader, boolean colour, Supplier<Prompt> prompt, Attributes original) {
        this.terminal = terminal;
        this.original = original;
        this.reader = reader;
        this.colour = colour;
        this.prompt = prompt;
        // Log lines (a name used by two keys, say) would land in the middle of the line being typed.
        this.above = new PrintStream(new LinesAbove(this), true, StandardCharsets.UTF_8);
        System.setErr(above);
    }

    /**
     * Takes over the process's terminal.
     *
     * @param history the history file, created owner-only if missing
     * @param parser splits the line being typed for completion ({@link SessionLineParser})
     * @param noColor the {@code NO_COLOR} environment variable, or null
     * @param verbose whether JLine may log its own warnings
     * @throws IOException if there is no terminal to take over
     */
    static TerminalInput open(Path history, Parser parser, Completer completer, Supplier<Prompt> prompt, String noColor, boolean verbose,
                              Runnable typing) throws IOException {
        // JLine's warnings would land in the middle of the screen it draws; --verbose shows them.
        JLINE_LOG.setLevel(verbose ? Level.INFO : Level.OFF);
        return open(TerminalBuilder.builder().system(true).name("convene").build(), history, parser, completer, prompt, noColor, typing);
    }

    /** {@link #open(Path, Parser, Completer, Supplier, String, boolean)} on {@code terminal}, which it then owns. */
    static TerminalInput open(Terminal terminal, Path history, Parser parser, Completer completer, Supplier<Prompt> prompt, String noColor)
            throws IOException {
        return open(terminal, history, parser, completer, prompt, noColor, () -> { });
    }

    /**
     * {@link #open(Terminal, Path, Parser, Completer, Supplier, String)}; {@code typing} runs on each key typed into
     * a message in chat mode (not into a {@code /command}), on the reading thread: it must not block.
     */
    static TerminalInput open(Terminal terminal, Path history, Parser parser, Completer completer, Supplier<Prompt> prompt, String noColor,
                              Runnable typing) throws IOException {
        try {
            boolean colour = Styles.enabled(noColor, terminal.getType(), terminal.getNumericCapability(InfoCmp.Capability.max_colors));
            createPrivately(history);
            // Chat text is kept encrypted by the store; the plain history file never gets it.
            DefaultHistory kept = new DefaultHistory() {
                @Override
                public void add(Instant time, String line) {
                    if (keptInHistory(line, prompt.get().conference() != null)) super.add(time, line);
                }
            };
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("convene").parser(parser).completer(completer)
                    .history(kept)
                    .variable(LineReader.HISTORY_FILE, history)
                    .variable(LineReader.HISTORY_FILE_SIZE, 2000)
                    // '!' is text in chat, never history expansion.
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                    .option(LineReader.Option.AUTO_FRESH_LINE, true)
                    .build();
            LineReaderImpl impl = (LineReaderImpl) reader;
            installWidgets(impl, prompt, colour, terminal);
            Widget insert = impl.getBuiltinWidgets().get(LineReader.SELF_INSERT);
            impl.getWidgets().put(LineReader.SELF_INSERT, () -> {
                boolean done = insert.apply();
                if (prompt.get().conference() != null && isMessage(impl.getBuffer().toString())) typing.run();
                return done;
            });
            // Ctrl-C while a command runs stops that command; JLine has its own handler while a line is read.
            Thread session = Thread.currentThread();
            terminal.handle(Terminal.Signal.INT, signal -> session.interrupt());
            // No echo between two lines either: keys typed while a message is being sent are read by the next
            // line, not echoed by the terminal in the middle of the output (stray fragments). Ctrl-C still signals.
            Attributes original = terminal.enterRawMode();
            return new TerminalInput(terminal, impl, colour, prompt, original);
        } catch (RuntimeException e) {
            terminal.close();
            throw e;
        }
    }

    /**
     * Replaces Enter so that in chat mode a message is erased once entered (its chat line, {@code alice: text},
     * shows it once), and computes the prompt again once reading has begun, so that a peer arriving between
     * the caller's prompt and the start of reading is counted (later ones redraw it in {@link #show}).
     */
    private static void installWidgets(LineReaderImpl reader, Supplier<Prompt> prompt, boolean colour, Terminal terminal) {
        Widget accept = reader.getBuiltinWidgets().get(LineReader.ACCEPT_LINE);
        reader.getWidgets().put(LineReader.ACCEPT_LINE, () -> {
            if (prompt.get().conference() != null && isMessage(reader.getBuffer().toString())) {
                reader.setOpt(LineReader.Option.ERASE_LINE_ON_FINISH);
            } else {
                reader.unsetOpt(LineReader.Option.ERASE_LINE_ON_FINISH);
            }
            return accept.apply();
        });
        // Alt-Enter (and Ctrl-J where the terminal sends it apart from Enter) starts a new line of the same
        // message; a pasted block arrives whole (bracketed paste) and is sent as one message on Enter.
        reader.getWidgets().put(NEW_LINE, () -> {
            reader.getBuffer().write('\n');
            return true;
        });
        reader.getKeyMaps().get(LineReader.MAIN).bind(new Reference(NEW_LINE), KeyMap.alt('\r'));
        reader.getKeyMaps().get(LineReader.EMACS).bind(new Reference(NEW_LINE), KeyMap.alt('\r'));
        reader.getWidgets().put(LineReader.CALLBACK_INIT, () -> {
            reader.setPrompt(render(prompt.get(), colour, terminal));
            return true;
        });
    }

    /** The widget that inserts a line break into the message being typed. */
    static final String NEW_LINE = "convene-new-line";

    @Override
    public String readLine() {
        while (true) {
            Prompt p = prompt.get();
            // A Ctrl-C that came after the last command finished must not cancel this line.
            Thread.interrupted();
            try {
                return reader.readLine(render(p));
            } catch (UserInterruptException e) {
                if (e.getPartialLine().isBlank()) show(Styles.note("(Ctrl-D or 'quit' leaves)"));
            } catch (EndOfFileException e) {
                // Ctrl-D: what the shell prints next starts on a line of its own.
                terminal.writer().println();
                terminal.flush();
                return null;
            }
        }
    }

    @Override
    public void bell() {
        terminal.puts(InfoCmp.Capability.bell);
        terminal.flush();
    }

    @Override
    public int width() {
        return terminal.getWidth();
    }

    @Override
    public void show(AttributedString text) {
        // The count of peers may have changed with what is shown: printAbove redraws the prompt with it.
        if (reader.isReading()) reader.setPrompt(render(prompt.get()));
        String bar = progressLine;
        if (bar != null) drawProgress(null);
        reader.printAbove(colour ? text.toAnsi(terminal) : text.toString());
        if (bar != null) drawProgress(bar);
    }

    /** The progress line shown now, or null; only while a command runs (the reader is not reading). */
    private String progressLine;

    @Override
    public void progress(String line) {
        if (reader.isReading()) return;
        drawProgress(line);
    }

    /** Overwrites the cursor's line with {@code line} (no line break, so the next one replaces it), or clears it. */
    private void drawProgress(String line) {
        terminal.writer().print('\r');
        terminal.puts(InfoCmp.Capability.clr_eol);
        if (line != null) terminal.writer().print(line);
        terminal.flush();
        progressLine = line;
    }

    /** The line being typed (tests only: read from another thread, it may be a moment old). */
    String bufferForTest() {
        return reader.getBuffer().toString();
    }

    /** Draws the prompt again, as it is now ({@link Prompt}: who is typing changed), keeping the line being typed. */
    public void refreshPrompt() {
        if (!reader.isReading()) return;
        try {
            reader.setPrompt(render(prompt.get()));
            reader.callWidget(LineReader.REDRAW_LINE);
            reader.callWidget(LineReader.REDISPLAY);
        } catch (IllegalStateException e) {
            // the line was accepted meanwhile: the next one is drawn with the prompt as it is then
        }
    }

    /**
     * Whether the history file may keep {@code line}: not a chat message (in chat mode), nor a command whose
     * text is chat ({@code say}, {@code dm}, {@code /say}).
     */
    static boolean keptInHistory(String line, boolean chatting) {
        if (chatting && isMessage(line)) return false;
        List<ShellWords.Word> words = ShellWords.words(line.startsWith("/") ? line.substring(1) : line, true);
        return words.isEmpty() || !(words.get(0).text().equals(SayCmd.NAME) || words.get(0).text().equals("dm"));
    }

    /** In chat mode: a line that is a message, not a {@code /command} ({@code //text} is a message). */
    static boolean isMessage(String line) {
        return !line.startsWith("/") || line.startsWith("//");
    }

    private String render(Prompt p) {
        return render(p, colour, terminal);
    }

    /** The prompt as JLine takes it: escape sequences for colour, {@code %} doubled (JLine expands it). */
    private static String render(Prompt p, boolean colour, Terminal terminal) {
        String text = colour ? Styles.prompt(p).toAnsi(terminal) : p.text();
        return text.replace("%", "%%");
    }

    @Override
    public void close() {
        System.setErr(stderr);
        above.close();
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            log.debug("cannot save the history: {}", e.toString());
        }
        try {
            terminal.setAttributes(original);
            terminal.close();
        } catch (IOException e) {
            log.debug("cannot restore the terminal: {}", e.toString());
        }
    }

    private static void createPrivately(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // kept from an earlier session
        } catch (UnsupportedOperationException | IOException e) {
            log.debug("cannot create {} owner-only: {}", file, e.toString());
        }
    }
}
