package dev.convene.cli.terminal;

import dev.convene.cli.output.EventWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Standard input read line by line, as scripts piped into {@code convene} need it: no editing, no colours,
 * and a prompt only when asked for (a terminal where JLine could not take over).
 */
final class PlainInput implements LineInput {
    private final BufferedReader in;
    private final EventWriter out;
    private final Supplier<Prompt> prompt;

    /**
     * @param prompt the prompt to show before each line, or null for none
     */
    PlainInput(InputStream stdin, EventWriter out, Supplier<Prompt> prompt) {
        this.in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        this.out = out;
        this.prompt = prompt;
    }

    @Override
    public String readLine() throws IOException {
        if (prompt != null) out.prompt(prompt.get().text());
        try {
            return in.readLine();
        } finally {
            out.promptAnswered();
        }
    }

    @Override
    public void close() {
        // Standard input belongs to the process; it is not ours to close.
    }
}
