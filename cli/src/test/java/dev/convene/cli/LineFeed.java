package dev.convene.cli;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Standard input a test types into while the command runs: {@link #type} a line, {@link #close} for EOF. */
final class LineFeed extends InputStream {
    private static final byte[] EOF = new byte[0];
    private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    void type(String line) {
        chunks.add((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        chunks.add(EOF);
    }

    @Override
    public synchronized int read() throws InterruptedIOException {
        while (!ended && pos >= current.length) {
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
            pos = 0;
            ended = current == EOF;
        }
        return ended ? -1 : current[pos++] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws InterruptedIOException {
        if (len == 0) return 0;
        int first = read();
        if (first < 0) return -1;
        b[off] = (byte) first;
        int n = 1;
        while (n < len && pos < current.length) b[off + n++] = current[pos++];
        return n;
    }
}
