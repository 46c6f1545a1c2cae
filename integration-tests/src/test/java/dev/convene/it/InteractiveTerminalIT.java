package dev.convene.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive session as a person uses it: real {@code convene} processes on real terminals (tmux
 * panes), keys typed with {@code tmux send-keys}, the screen read with {@code tmux capture-pane}. Two peers
 * in {@code local} mode on 127.0.0.1 complete commands, peer names and titles with Tab, see an invitation
 * arrive above a half-typed line that stays intact, chat in {@code open CONF} mode and go {@code /back};
 * colours show on a terminal, never with {@code NO_COLOR} or when the output is piped.
 *
 * <p>Every wait polls the screen until a deadline. tmux runs on a server of this test's own ({@code -S}),
 * killed afterwards (and every process in it with it). Skipped when tmux is not installed.
 */
@Timeout(360)
class InteractiveTerminalIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String ESC = "\u001b";
    private static final Pattern EXITED = Pattern.compile("^\\[exit (\\d+)]\\s*$", Pattern.MULTILINE);

    /** Deleted by {@link #killTmux} (not by JUnit, which failed once on a file appearing while it deleted). */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.NEVER)
    Path dir;

    private final String cluster = "it-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    /** A port range of our own (local mode probes 16 ports from here), below the ephemeral range. */
    private final int port = 20000 + ThreadLocalRandom.current().nextInt(1250) * 16;

    @BeforeEach
    void needsTmux() {
        assumeTrue(tmuxInstalled(), "tmux is not installed: InteractiveTerminalIT drives the session through tmux"
                + " (apt-get install tmux; .ci/run installs it)");
    }

    @AfterEach
    void killTmux() throws IOException, InterruptedException {
        tmux(List.of("kill-server"), true);
        // The peers' homes: a few tries, since a file can still appear as the last process goes away.
        for (int attempt = 1; attempt <= 5 && Files.exists(dir); attempt++) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (IOException | java.io.UncheckedIOException e) {
                if (attempt == 5) System.err.println("InteractiveTerminalIT: could not delete " + dir + ": " + e);
                else Thread.sleep(200);
            }
        }
    }

    @Test
    void twoPeopleCompleteChatAndSeeEventsAboveWhatTheyType() throws Exception {
        start("alice", "env -u NO_COLOR " + convene("alice"));
        start("bob", "env NO_COLOR=1 " + convene("bob"));
        awaitLastLine("alice", "alice@local (1 peer)>");
        awaitLastLine("bob", "bob@local (1 peer)>");

        // Tab completes a command, and a peer name among the options.
        type("alice", "pee");
        press("alice", "Tab");
        awaitLastLine("alice", "alice@local (1 peer)> peers");
        press("alice", "Enter");
        awaitScreen("alice", s -> s.contains("1 peer online:") && lastLine(s).equals("alice@local (1 peer)>"), "the peers list");
        type("alice", "create \"Design review\" --invite b");
        press("alice", "Tab");
        awaitLastLine("alice", "alice@local (1 peer)> create \"Design review\" --invite bob");

        // bob has half a line typed when the invitation arrives: it appears above, his line stays as it was.
        type("bob", "history unfinished-line-xyz");
        awaitLastLine("bob", "bob@local (1 peer)> history unfinished-line-xyz");
        press("alice", "Enter");
        String bobSees = awaitScreen("bob", s -> s.contains("invites you to 'Design review'"), "the invitation");
        List<String> lines = nonBlank(bobSees);
        int invitation = indexOf(lines, "! alice (");
        assertThat(lines.get(lines.size() - 1)).as(bobSees).isEqualTo("bob@local (1 peer)> history unfinished-line-xyz");
        assertThat(invitation).as(bobSees).isGreaterThanOrEqualTo(0).isLessThan(lines.size() - 1);
        type("bob", " tail");
        awaitLastLine("bob", "bob@local (1 peer)> history unfinished-line-xyz tail");
        press("bob", "C-u");
        awaitLastLine("bob", "bob@local (1 peer)>");

        // A title completes (quoted as one word), and the answer reaches alice.
        type("bob", "accept Des");
        press("bob", "Tab");
        awaitLastLine("bob", "bob@local (1 peer)> accept 'Design review'");
        press("bob", "Enter");
        awaitScreen("bob", s -> s.contains("accepted 'Design review'") && lastLine(s).equals("bob@local (1 peer)>"), "bob's accept");
        awaitScreen("alice", s -> s.contains("bob (") && s.contains(" accepted 'Design review'"), "bob's answer at alice");

        // Chat mode: the prompt shows the title, a plain line is a message, /back returns.
        type("alice", "open Des");
        press("alice", "Tab");
        awaitLastLine("alice", "alice@local (1 peer)> open 'Design review'");
        press("alice", "Enter");
        awaitLastLine("alice", "alice@local (1 peer) [Design review]>");
        type("alice", "hello from the terminal, don't worry!");
        press("alice", "Enter");
        awaitScreen("bob", s -> s.contains("[Design review] alice (") && s.contains(") #1: hello from the terminal, don't worry!"),
                "alice's message at bob");
        awaitScreen("alice", s -> s.contains("alice: hello from the terminal, don't worry!")
                && lastLine(s).equals("alice@local (1 peer) [Design review]>"), "alice's own chat line");
        // Chat mode says who is here, and who is typing in the prompt while alice keeps her half-typed line.
        awaitScreen("alice", s -> s.contains("[Design review] here now: bob"), "who is here");
        type("alice", "half typed");
        type("bob", "open Des");
        press("bob", "Tab");
        press("bob", "Enter");
        awaitLastLine("bob", "bob@local (1 peer) [Design review]>");
        type("bob", "I am typing");
        awaitLastLine("alice", "alice@local (1 peer) [Design review] (bob is typing\u2026)> half typed");
        press("bob", "C-u");
        type("bob", "/back");
        press("bob", "Enter");
        awaitScreen("bob", s -> s.contains("back to commands") && lastLine(s).equals("bob@local (1 peer)>"), "bob's command prompt");
        press("alice", "C-u");
        type("alice", "/back");
        press("alice", "Enter");
        awaitScreen("alice", s -> s.contains("back to commands") && lastLine(s).equals("alice@local (1 peer)>"), "the command prompt again");

        // Colours where allowed; none at all with NO_COLOR.
        assertThat(capture("alice", true)).contains(ESC + "[");
        assertThat(capture("bob", true)).doesNotContain(ESC);

        type("bob", "quit");
        press("bob", "Enter");
        awaitScreen("alice", s -> lastLine(s).equals("alice@local (0 peers)>"), "the count going down when bob leaves");
        press("alice", "C-d");
        assertThat(awaitExit("alice")).isZero();
        assertThat(awaitExit("bob")).isZero();
    }

    /**
     * Issue 16 in a terminal: text kept exactly (say, chat mode), a time on every message line, quick typing
     * without stray fragments, Alt-Enter for a second line of one message, /who, search, history --last, a
     * reminder, dm, a decimal sleep, a refused chat line kept visible, wait invitation not matching an ended
     * conference of the same title, a name shared with an offline peer being an error, chat lines kept out
     * of the history file.
     */
    @Test
    void textIsKeptExactlyAndAChatBehavesAsPeopleExpect() throws Exception {
        start("alice", "env NO_COLOR=1 " + convene("alice"));
        start("bob", "env NO_COLOR=1 " + convene("bob"));
        awaitLastLine("alice", "alice@local (1 peer)>");
        awaitLastLine("bob", "bob@local (1 peer)>");
        enter("alice", "create Retro --invite bob");
        awaitScreen("bob", s -> s.contains("invites you to 'Retro'"), "the invitation");
        enter("bob", "accept Retro");
        awaitScreen("alice", s -> s.contains(" accepted 'Retro'"), "bob's answer");

        // say: the rest of the line, exactly as typed
        String said = "it's 5 o'clock, \"quoted\"  \\o/ --verbose #1 -- 🎉";
        enter("alice", "say Retro " + said);
        awaitScreen("alice", s -> s.contains("sent ") && s.contains("acknowledged"), "say's result");
        awaitScreen("bob", s -> STAMPED.matcher(s).find() && s.contains("[Retro] alice (") && s.contains(") #1: " + said),
                "alice's message, exact and with its time, at bob");

        // chat mode: a line is a message, exact; each chat line starts with its time; Alt-Enter adds a line
        enter("bob", "open Retro");
        awaitLastLine("bob", "bob@local (1 peer) [Retro]>");
        enter("bob", "don't  stop me --now, alice");
        awaitScreen("alice", s -> s.contains(") #1: don't  stop me --now, alice"), "bob's chat line at alice");
        awaitScreen("bob", s -> Pattern.compile("(?m)^\\d\\d:\\d\\d bob: don't  stop me --now, alice$").matcher(s).find(),
                "bob's own chat line with its time");
        // typed quickly, one after another: no stray echoed fragments between the chat lines
        tmux(List.of("send-keys", "-t", "bob", "quick 1", "Enter", "quick 2", "Enter", "quick 3", "Enter", "quick 4", "Enter"), false);
        String quick = awaitScreen("bob", s -> s.contains("bob: quick 4") && lastLine(s).equals("bob@local (1 peer) [Retro]>"), "four quick lines");
        assertThat(quick.lines().filter(l -> l.contains("quick"))).as(quick).hasSize(4)
                .allSatisfy(l -> assertThat(l).matches("\\d\\d:\\d\\d bob: quick \\d\\s*"));
        type("bob", "line one");
        press("bob", "M-Enter");
        type("bob", "line two");
        press("bob", "Enter");
        awaitScreen("alice", s -> {
            List<String> lines = nonBlank(s);
            int at = indexOfContaining(lines, ") #6: line one");
            return at >= 0 && at + 1 < lines.size() && lines.get(at + 1).strip().equals("line two");
        }, "one message of two lines");
        enter("bob", "/who");
        awaitScreen("bob", s -> s.contains("in 'Retro' (") && s.contains("alice (") && s.contains(") online, organiser"), "/who");
        enter("bob", "/back");

        enter("alice", "search Retro O'CLOCK");
        awaitScreen("alice", s -> s.contains("1 message of 'Retro' (") && s.contains(") contains 'O'CLOCK'"), "search");
        enter("alice", "history Retro --last 1");
        awaitScreen("alice", s -> s.contains("history of 'Retro' (") && s.contains(": 1 message"), "history --last 1");

        // a conference about to start is announced; a direct message makes a two-person conference
        enter("alice", "create Sync --in 2m --invite bob");
        awaitScreen("alice", s -> s.contains("reminder: 'Sync' (") && s.contains(" starts in "), "the reminder");
        enter("bob", "dm alice a word in private, don't tell");
        awaitScreen("alice", s -> s.contains("invites you to 'dm bob & alice'"), "the dm's invitation");

        // a decimal duration; a refused chat line stays on the screen in its error
        enter("alice", "sleep 0.15s");
        enter("bob", "open Retro");
        awaitLastLine("bob", "bob@local (1 peer) [Retro]>");
        enter("alice", "end Retro");
        awaitScreen("bob", s -> s.contains("'Retro' (") && s.contains(" ended"), "the end of Retro at bob");
        enter("bob", "is it over, alice?");
        awaitScreen("bob", s -> s.contains("; not sent: is it over, alice?"), "the refused line in its error");
        enter("bob", "/back");
        assertThat(capture("alice", false)).doesNotContain("sleep: ", "expected: a duration");

        // waiting for an invitation by title does not match the ended conference of the same title
        enter("alice", "create Retro --in 10m --invite bob");
        String aliceSees = awaitScreen("alice", s -> s.contains("created 'Retro' (") && s.contains("(in 9m"), "the second Retro");
        Matcher created = Pattern.compile("created 'Retro' \\((\\w{8})\\): starts").matcher(aliceSees);
        assertThat(created.find()).as(aliceSees).isTrue();
        enter("bob", "wait invitation Retro --timeout 60s");
        awaitScreen("bob", s -> s.contains("invited to 'Retro' (" + created.group(1) + ")"), "the wait matching the new Retro");

        // chat text never lands in the plain history file
        enter("bob", "quit");
        assertThat(awaitExit("bob")).isZero();
        String history = Files.readString(dir.resolve("bob").resolve("history"), StandardCharsets.UTF_8);
        assertThat(history).contains("open Retro", "accept Retro").doesNotContain("stop me", "line one", "a word in private", "is it over");
        // another key under the name of bob, who is offline now: the name alone is an error listing both
        awaitLastLine("alice", "alice@local (0 peers)>");
        start("impostor", "env NO_COLOR=1 " + convene("impostor").replace("--name impostor", "--name bob"));
        awaitLastLine("alice", "alice@local (1 peer)>");
        enter("alice", "create Review --invite bob");
        awaitScreen("alice", s -> s.contains("'bob' matches 2 peers: "), "the ambiguous name");
        enter("alice", "quit");
        assertThat(awaitExit("alice")).isZero();
    }

    /** A bar like {@code big file.bin [#######---]  41% 16.4 MiB of 40.0 MiB from 1}. */
    private static final Pattern PROGRESS = Pattern.compile("big file\\.bin \\[[#-]+] +\\d+% .+ of 40\\.0 MiB");

    /**
     * Files in a terminal: the offer shows with the command that fetches it, Tab completes the offered name, a
     * progress bar shows while the fetch runs (chat arrives above it) and gives way to the result.
     */
    @Test
    void aFetchShowsAProgressBarWhileTheFileMoves() throws Exception {
        Path big = dir.resolve("big file.bin");
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(big)) {
            for (int i = 0; i < 40; i++) {
                ThreadLocalRandom.current().nextBytes(block);
                out.write(block);
            }
        }
        start("alice", "env NO_COLOR=1 " + convene("alice"));
        start("bob", "env NO_COLOR=1 " + convene("bob"));
        awaitLastLine("alice", "alice@local (1 peer)>");
        awaitLastLine("bob", "bob@local (1 peer)>");
        enter("alice", "create Crew --invite bob");
        awaitScreen("bob", s -> s.contains("invites you to 'Crew'"), "the invitation");
        enter("bob", "accept Crew");
        awaitScreen("alice", s -> s.contains(" accepted 'Crew'"), "bob's answer");

        enter("alice", "share Crew " + quote(big));
        awaitScreen("alice", s -> s.contains("shared '" + big + "' (40.0 MiB"), "the share's result");
        awaitScreen("bob", s -> s.contains("[Crew] alice (") && s.contains(" offers 'big file.bin' (40.0 MiB, sha256 ")
                && s.contains("): fetch Crew \"big file.bin\""), "the offer, with the command that fetches it");
        type("bob", "fetch Crew bi");
        press("bob", "Tab");
        awaitLastLine("bob", "bob@local (1 peer)> fetch Crew 'big file.bin'");
        // everything written to bob's terminal from now on, bars that were drawn over included, however fast the fetch
        Path written = dir.resolve("bob-terminal.log");
        tmux(List.of("pipe-pane", "-t", "bob", "cat >> " + quote(written)), false);
        press("bob", "Enter");
        awaitScreen("bob", s -> PROGRESS.matcher(fileText(written)).find(), "a progress bar written to the terminal");
        enter("alice", "say Crew while it moves");
        awaitScreen("bob", s -> s.contains(": while it moves") && (PROGRESS.matcher(lastLine(s)).find() || s.contains("fetched 'big file.bin'")),
                "the message above the bar");
        String done = awaitScreen("bob", s -> s.contains("fetched 'big file.bin' (40.0 MiB) to '") && lastLine(s).equals("bob@local (1 peer)>"),
                "the fetch's result");
        assertThat(done.lines().filter(l -> PROGRESS.matcher(l).find())).as("the bar is gone: " + done).isEmpty();
        assertThat(done).contains("verified");
        enter("bob", "quit");
        assertThat(awaitExit("bob")).isZero();
        enter("alice", "quit");
        assertThat(awaitExit("alice")).isZero();
    }

    @Test
    void helpFitsANarrowTerminalAndPipedFailuresExitOne() throws Exception {
        start("dana", "env NO_COLOR=1 " + convene("dana"), 64);
        awaitLastLine("dana", "dana@local (0 peers)>");
        enter("dana", "help");
        String screen = awaitScreen("dana", s -> s.contains("chat mode (open CONF)") && lastLine(s).equals("dana@local (0 peers)>"), "help");
        List<String> help = screen.lines().dropWhile(l -> !l.equals("commands:")).takeWhile(l -> !l.startsWith("dana@local")).toList();
        assertThat(help).hasSizeGreaterThan(20)
                .allSatisfy(l -> assertThat(l.stripTrailing().length()).as(l).isLessThanOrEqualTo(64));
        assertThat(String.join(" ", help).replaceAll("\\s+", " ")).contains("the text of say and decline is the rest of the line");
        enter("dana", "quit");
        assertThat(awaitExit("dana")).isZero();

        Path input = dir.resolve("erin.in");
        Files.writeString(input, "peers\nnope\npeers\n", StandardCharsets.UTF_8);
        start("erin", convene("erin") + " < " + quote(input));
        assertThat(awaitExit("erin")).as("a piped session with a failing line").isEqualTo(1);
    }

    private static final Pattern STAMPED = Pattern.compile("(?m)^\\d\\d:\\d\\d \\[");

    private void enter(String session, String line) throws IOException, InterruptedException {
        type(session, line);
        press(session, "Enter");
    }

    private static int indexOfContaining(List<String> lines, String text) {
        for (int i = lines.size() - 1; i >= 0; i--) if (lines.get(i).contains(text)) return i;
        return -1;
    }

    @Test
    void outputPipedFromATerminalSessionHasNoEscapeCodesAndNoPrompt() throws Exception {
        Path out = dir.resolve("carol.out");
        start("carol", "env -u NO_COLOR " + convene("carol") + " | cat > " + quote(out));
        type("carol", "help");
        press("carol", "Enter");
        type("carol", "peers");
        press("carol", "Enter");
        awaitScreen("carol", s -> fileContains(out, "no other peers online"), "carol's output in " + out);
        type("carol", "quit");
        press("carol", "Enter");
        assertThat(awaitExit("carol")).isZero();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(text).contains("carol (", "commands:", "open CONF", "no other peers online").doesNotContain(ESC)
                .doesNotContain("carol@local");
    }

    // ---- the terminal, through tmux

    private String convene(String name) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path jar = Path.of(System.getProperty("convene.jar", "../bench/target/convene.jar")).toAbsolutePath();
        assertThat(jar).as("the shaded CLI; build it with mvn -pl bench -am package").exists();
        return String.join(" ", quote(Path.of(java)), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true", "-jar", quote(jar), "--home", quote(dir.resolve(name)), "--name", name,
                "--port", Integer.toString(port), "--cluster", cluster);
    }

    /**
     * A detached session running {@code command} in a 200x50 pane (or {@code width} columns); when it ends the shell prints
     * {@code [exit N]} (on standard error, which stays the terminal when the output is piped) and the pane
     * stays until the server is killed.
     */
    private void start(String session, String command) throws IOException, InterruptedException {
        start(session, command, 200);
    }

    private void start(String session, String command, int width) throws IOException, InterruptedException {
        String shell = "{ " + command + "; echo \"[exit $?]\" >&2; }";
        if (command.contains(" | ")) {
            int pipe = command.indexOf(" | ");
            shell = "{ " + command.substring(0, pipe) + "; echo \"[exit $?]\" >&2; }" + command.substring(pipe);
        }
        tmux(List.of("-f", "/dev/null", "new-session", "-d", "-s", session, "-x", Integer.toString(width), "-y", "50", shell + "; sleep 3600"), false);
    }

    private void type(String session, String text) throws IOException, InterruptedException {
        tmux(List.of("send-keys", "-t", session, "-l", text), false);
    }

    private void press(String session, String key) throws IOException, InterruptedException {
        tmux(List.of("send-keys", "-t", session, key), false);
    }

    /** The pane's text, scrollback included; with {@code escapes}, its colours as escape sequences. */
    private String capture(String session, boolean escapes) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("capture-pane", "-p", "-J", "-S", "-", "-t", session));
        if (escapes) args.add("-e");
        return tmux(args, false);
    }

    private String awaitScreen(String session, Predicate<String> condition, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String screen = capture(session, false);
        while (!condition.test(screen)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(session + ": no " + what + " within " + WAIT.toSeconds() + "s; the screen:\n" + screen);
            }
            Thread.sleep(200);
            screen = capture(session, false);
        }
        return screen;
    }

    private void awaitLastLine(String session, String line) throws IOException, InterruptedException {
        awaitScreen(session, s -> lastLine(s).equals(line), "last line '" + line + "'");
    }

    /**
     * Waits for convene in the pane to end; its exit status, as the shell printed it. (tmux's own record of a
     * dead pane's status comes late, or not at all, on a loaded machine; the shell's line does not.)
     */
    private int awaitExit(String session) throws IOException, InterruptedException {
        Matcher[] exit = new Matcher[1];
        awaitScreen(session, s -> (exit[0] = EXITED.matcher(s)).find(), "'[exit N]' after convene ended");
        return Integer.parseInt(exit[0].group(1));
    }

    private String tmux(List<String> args, boolean mayFail) throws IOException, InterruptedException {
        // A server of our own, its socket in the temporary directory (gone with it).
        List<String> command = new ArrayList<>(List.of("tmux", "-S", dir.resolve("tmux.sock").toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tmux did not answer: " + command);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 && !mayFail) throw new AssertionError("tmux failed (" + p.exitValue() + "): " + command + "\n" + text);
        return text;
    }

    private static boolean tmuxInstalled() {
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<String> nonBlank(String screen) {
        return screen.lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
    }

    /** The last line with text on it: where the prompt and what is being typed are. */
    private static String lastLine(String screen) {
        List<String> lines = nonBlank(screen);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static int indexOf(List<String> lines, String start) {
        for (int i = lines.size() - 1; i >= 0; i--) if (lines.get(i).startsWith(start)) return i;
        return -1;
    }

    private static boolean fileContains(Path file, String text) {
        try {
            return Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** A file's text without terminal escape sequences; empty if it cannot be read yet. */
    private static String fileText(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "") : "";
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    private static String quote(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }
}
