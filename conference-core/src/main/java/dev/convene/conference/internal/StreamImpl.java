package dev.convene.conference.internal;

import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceStream;
import dev.convene.conference.EventThreadException;
import dev.convene.conference.StreamException.Reason;
import dev.convene.conference.StreamIOException;
import dev.convene.overlay.PeerId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One stream. Frames arrive on the engine thread ({@link #onFrame}); the application reads and writes on its own
 * threads. Each direction has its own AES-GCM key and a counter nonce (the DATA/FIN sequence number), checked to
 * be exactly the next one, so a dropped, replayed or reordered frame breaks the stream; the authenticated FIN
 * carries the count, so a truncated stream is never mistaken for a complete one. Credit: the receiver holds at
 * most {@link #WINDOW} bytes, granted back as the application reads.
 */
final class StreamImpl implements ConferenceStream {
    static final int WINDOW = 64 * 1024;
    static final long WRITE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Streams owner;
    private final ConferenceId conference;
    private final PeerId peer;
    private final String protocol;
    private final long id;
    private final boolean mine;
    private final byte[] keyOut;
    private final byte[] keyIn;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ReentrantLock writeOrder = new ReentrantLock();
    // guarded by lock
    private final Deque<byte[]> inbound = new ArrayDeque<>();
    private int buffered;
    private int headOffset;
    private long expectedSeq;
    private boolean finReceived;
    private int consumedUngranted;
    private long credit = WINDOW;
    private long nextSeq;
    private boolean outClosed;
    private boolean inClosed;
    private boolean closing;
    private Reason broken;

    private final InputStream in = new In();
    private final OutputStream out = new Out();

    StreamImpl(Streams owner, ConferenceId conference, PeerId peer, String protocol, long id, boolean mine, byte[][] keys) {
        this.owner = owner;
        this.conference = conference;
        this.peer = peer;
        this.protocol = protocol;
        this.id = id;
        this.mine = mine;
        this.keyOut = keys[mine ? 0 : 1];
        this.keyIn = keys[mine ? 1 : 0];
    }

    Streams.Key key() {
        return new Streams.Key(peer, id, mine);
    }

    long id() {
        return id;
    }

    boolean mine() {
        return mine;
    }

    @Override
    public ConferenceId conference() {
        return conference;
    }

    @Override
    public PeerId peer() {
        return peer;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public InputStream input() {
        return in;
    }

    @Override
    public OutputStream output() {
        return out;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closing = true; // a writer blocked on credit gives up, so the FIN below is not stuck behind it
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            out.close();
        } catch (IOException e) {
            // already broken: nothing more to end cleanly
        }
        boolean drop;
        lock.lock();
        try {
            drop = !finReceived && broken == null;
            inClosed = true;
            inbound.clear();
            buffered = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (drop) owner.reset(this, Reason.CLOSED);
        else owner.finished(this);
    }

    /** Breaks the stream here: blocked reads and writes fail. Any thread. */
    void broken(Reason r) {
        lock.lock();
        try {
            if (broken == null) broken = r;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A DATA, FIN or CREDIT frame; false if it breaks the rules (the caller resets the stream). Engine thread. */
    boolean onFrame(StreamFrame f) {
        lock.lock();
        try {
            if (broken != null) return true; // late frames of a broken stream are dropped
            switch (f.kind()) {
                case StreamFrame.CREDIT -> {
                    if (f.seq() < 1 || credit + f.seq() > WINDOW) return false;
                    credit += f.seq();
                }
                case StreamFrame.DATA, StreamFrame.FIN -> {
                    if (finReceived || f.seq() != expectedSeq) return false;
                    byte[] plain;
                    try {
                        plain = crypt(Cipher.DECRYPT_MODE, keyIn, f.kind(), f.seq(), f.body());
                    } catch (GeneralSecurityException e) {
                        return false;
                    }
                    expectedSeq++;
                    if (f.kind() == StreamFrame.FIN) {
                        if (plain.length != 0) return false;
                        finReceived = true;
                    } else {
                        if (plain.length == 0 || plain.length > StreamFrame.CHUNK || buffered + plain.length > WINDOW) return false;
                        if (!inClosed) {
                            inbound.add(plain);
                            buffered += plain.length;
                        }
                    }
                }
                default -> {
                    return false;
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (f.kind() == StreamFrame.FIN && outClosedNow()) owner.finished(this);
        return true;
    }

    private boolean outClosedNow() {
        lock.lock();
        try {
            return outClosed;
        } finally {
            lock.unlock();
        }
    }

    private byte[] crypt(int mode, byte[] key, int kind, long seq, byte[] data) throws GeneralSecurityException {
        return crypt(mode, key, conference, id, kind, seq, data);
    }

    /** AES-GCM with nonce 0(4) | seq(8) and associated data conference | stream id | kind | seq. */
    static byte[] crypt(int mode, byte[] key, ConferenceId conference, long id, int kind, long seq, byte[] data) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(seq).array();
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(conference.value().getBytes(StandardCharsets.US_ASCII));
        c.updateAAD(ByteBuffer.allocate(17).putLong(id).put((byte) kind).putLong(seq).array());
        return c.doFinal(data);
    }

    private void notOnEventThread() {
        if (owner.onEventThread()) throw new EventThreadException(Thread.currentThread().getName());
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            notOnEventThread();
            int n;
            int grant = 0;
            lock.lock();
            try {
                while (inbound.isEmpty() && !finReceived && broken == null && !inClosed) changed.awaitUninterruptibly();
                if (inClosed) throw new StreamIOException(Reason.CLOSED);
                if (inbound.isEmpty()) {
                    if (finReceived) return -1;
                    throw new StreamIOException(broken);
                }
                if (broken != null && !finReceived) throw new StreamIOException(broken);
                byte[] head = inbound.peek();
                n = Math.min(len, head.length - headOffset);
                System.arraycopy(head, headOffset, b, off, n);
                headOffset += n;
                if (headOffset == head.length) {
                    inbound.poll();
                    headOffset = 0;
                }
                buffered -= n;
                consumedUngranted += n;
                if (consumedUngranted >= WINDOW / 4 && !finReceived) {
                    grant = consumedUngranted;
                    consumedUngranted = 0;
                }
            } finally {
                lock.unlock();
            }
            if (grant > 0) {
                try {
                    owner.send(StreamImpl.this, StreamFrame.CREDIT, grant, new byte[0]);
                } catch (RuntimeException e) {
                    broken(Reason.PEER_OFFLINE);
                }
            }
            return n;
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return buffered;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            StreamImpl.this.close();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            notOnEventThread();
            writeOrder.lock();
            try {
                while (len > 0) {
                    int n;
                    long seq;
                    lock.lock();
                    try {
                        long deadline = System.nanoTime() + WRITE_TIMEOUT_NANOS;
                        while (credit == 0 && broken == null && !outClosed && !closing) {
                            long left = deadline - System.nanoTime();
                            if (left <= 0) {
                                broken = Reason.TIMEOUT;
                                break;
                            }
                            changed.awaitNanos(left);
                        }
                        if (outClosed || closing) throw new StreamIOException(Reason.CLOSED);
                        if (broken != null) throw new StreamIOException(broken);
                        n = (int) Math.min(Math.min(credit, StreamFrame.CHUNK), len);
                        credit -= n;
                        seq = nextSeq++;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted while waiting for credit");
                    } finally {
                        lock.unlock();
                    }
                    sendSealed(StreamFrame.DATA, seq, java.util.Arrays.copyOfRange(b, off, off + n));
                    off += n;
                    len -= n;
                }
            } finally {
                writeOrder.unlock();
            }
        }

        /** Half-close: an authenticated FIN carrying the frame count. */
        @Override
        public void close() throws IOException {
            writeOrder.lock();
            try {
                long seq;
                boolean done;
                lock.lock();
                try {
                    if (outClosed) return;
                    if (broken != null) throw new StreamIOException(broken);
                    outClosed = true;
                    seq = nextSeq++;
                    done = finReceived;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                sendSealed(StreamFrame.FIN, seq, new byte[0]);
                if (done) owner.finished(StreamImpl.this);
            } finally {
                writeOrder.unlock();
            }
        }
    }

    private void sendSealed(int kind, long seq, byte[] plain) throws StreamIOException {
        byte[] box;
        try {
            box = crypt(Cipher.ENCRYPT_MODE, keyOut, kind, seq, plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stream encryption failed", e);
        }
        try {
            owner.send(this, kind, seq, box);
        } catch (RuntimeException e) {
            broken(Reason.PEER_OFFLINE);
            throw new StreamIOException(Reason.PEER_OFFLINE);
        }
    }
}
