package dev.convene.cli.terminal;

import java.io.IOException;

/**
 * Where the interactive session reads what the user types: a terminal with line editing
 * ({@link TerminalInput}) or plain standard input ({@link PlainInput}). Used by one thread.
 */
interface LineInput extends AutoCloseable {
    /**
     * The next line, without its line break; blocks until there is one.
     *
     * @return null at the end of input (Ctrl-D, or a closed pipe)
     */
    String readLine() throws IOException;

    /** Releases the input (and gives the terminal back as it was). */
    @Override
    void close();
}
