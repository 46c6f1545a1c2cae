package dev.convene.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.NullCompleter;
import org.jline.terminal.impl.LineDisciplineTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typing in chat mode on a terminal: keys typed into a message tell the conference (through the hook), keys of a
 * {@code /command} or outside chat mode do not; the prompt says who else is typing, redrawn while a line is being
 * typed without losing it.
 */
@Timeout(30)
class ChatTypingTest {
    @TempDir
    Path home;

    private static void type(LineDisciplineTerminal terminal, String keys) throws IOException {
        terminal.processInputBytes(keys.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keysOfAMessageInChatModeSignalTypingAndOthersDoNot() throws IOException {
        LineDisciplineTerminal terminal = new LineDisciplineTerminal("test", "dumb", new ByteArrayOutputStream(), StandardCharsets.UTF_8);
        terminal.setSize(new org.jline.terminal.Size(80, 24));
        AtomicReference<Prompt> prompt = new AtomicReference<>(new Prompt("alice", "local", 1, "Retro"));
        AtomicInteger signals = new AtomicInteger();
        TerminalInput input = TerminalInput.open(terminal, home.resolve("history"), new DefaultParser(), NullCompleter.INSTANCE,
                prompt::get, "1", signals::incrementAndGet);
        try {
            type(terminal, "hi\r");
            assertThat(input.readLine()).isEqualTo("hi");
            assertThat(signals).hasValue(2);
            type(terminal, "/who\r");
            assertThat(input.readLine()).isEqualTo("/who");
            assertThat(signals).as("a /command is not a message").hasValue(2);
            prompt.set(new Prompt("alice", "local", 1, null));
            type(terminal, "peers\r");
            assertThat(input.readLine()).isEqualTo("peers");
            assertThat(signals).as("outside chat mode").hasValue(2);
        } finally {
            input.close();
        }
    }

    @Test
    void thePromptSaysWhoIsTypingAndIsRedrawnAroundTheHalfTypedLine() throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        LineDisciplineTerminal terminal = new LineDisciplineTerminal("test", "dumb", screen, StandardCharsets.UTF_8);
        terminal.setSize(new org.jline.terminal.Size(120, 24));
        AtomicReference<Prompt> prompt = new AtomicReference<>(new Prompt("alice", "local", 1, "Retro"));
        TerminalInput input = TerminalInput.open(terminal, home.resolve("history"), new DefaultParser(), NullCompleter.INSTANCE,
                prompt::get, "1", () -> { });
        try {
            CompletableFuture<String> line = CompletableFuture.supplyAsync(input::readLine);
            type(terminal, "half a li");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!input.bufferForTest().equals("half a li") && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(input.bufferForTest()).isEqualTo("half a li");
            prompt.set(prompt.get().withTyping(Prompt.typing(List.of("bob"))));
            input.refreshPrompt();
            String shown = screen.toString(StandardCharsets.UTF_8);
            assertThat(shown.substring(shown.lastIndexOf("alice@local"))).startsWith("alice@local (1 peer) [Retro] (bob is typing\u2026)> half a li");
            type(terminal, "ne\r");
            assertThat(line.get(10, TimeUnit.SECONDS)).isEqualTo("half a line");
        } finally {
            input.close();
        }
    }

    @Test
    void whoIsTypingIsSaidShortlyAndSafely() {
        assertThat(Prompt.typing(List.of())).isNull();
        assertThat(Prompt.typing(List.of("bob"))).isEqualTo("bob is typing\u2026");
        assertThat(Prompt.typing(List.of("bob", "carol"))).isEqualTo("bob and carol are typing\u2026");
        assertThat(Prompt.typing(List.of("bob", "carol", "dave"))).isEqualTo("3 people are typing\u2026");
        assertThat(Prompt.typing(List.of("b\u001b[2Job"))).doesNotContain("\u001b");
        assertThat(new Prompt("alice", "local", 1, "Retro").withTyping(null).text()).isEqualTo("alice@local (1 peer) [Retro]> ");
    }
}
