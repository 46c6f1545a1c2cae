package dev.convene.bench;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.FetchedFile;
import dev.convene.conference.FileOffer;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.PeerId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;

/**
 * A file moving between two peers, and chat beside it. Two Convene peers in this JVM over loopback TCP, each with its
 * home (SQLite, content store): the first shares a file of {@link #bytes(Profile)}, the second fetches it; the rate is
 * the file's size over the time from the call to {@code fetch} to its verified completion (each chunk hashed and
 * checked, encrypted on the way, written to disk, the whole file hashed at the end). Chat latency is measured from the
 * sharer to the fetcher, one message in flight, first with nothing else moving (quiet), then while the fetch runs: the
 * chat shares the sharer's link with the chunks. The baseline does the same with two raw channels on the same stack:
 * the file's bytes as unicast {@code BytesMessage}s of the chunk size (JGroups fragments and flow-controls them; the
 * receiver only counts them), and chat-frame-sized messages beside them.
 */
final class FileBench {
    /** How long the transfer and each phase of chat may take before the run is given up. */
    static final Duration LIMIT = Duration.ofMinutes(3);
    /** The pause between two chat messages while the file moves (so the chat does not compete with itself). */
    static final Duration CHAT_PACE = Duration.ofMillis(10);
    /** The most chat messages of one phase. */
    static final int MAX_CHAT = 20_000;
    private static final byte BULK = 'B';
    private static final byte CHAT = 'C';

    /** What one side measured; NaN or empty where it failed (see {@link #failure}). */
    static final class Side {
        double rate = Double.NaN;
        Samples quiet = new Samples();
        Samples during = new Samples();
        String failure = "";
    }

    private final Workspace ws;
    private final Profile profile;
    private final Consumer<String> progress;

    FileBench(Workspace ws, Profile profile, Consumer<String> progress) {
        this.ws = ws;
        this.profile = profile;
        this.progress = progress;
    }

    /** The file's size: 50 MiB in the full profile, less in the shorter ones. */
    static long bytes(Profile profile) {
        return switch (profile.name()) {
            case "full" -> 50L << 20;
            case "quick" -> 20L << 20;
            default -> 8L << 20;
        };
    }

    List<Figure> run() throws InterruptedException {
        long size = bytes(profile);
        Path file = ws.file("bench-file.bin");
        write(file, size);
        progress.accept("files: a " + (size >> 20) + " MiB file between 2 Convene peers (tcp), chat beside it");
        Side ours = new Side();
        try {
            convene(file, size, ours);
        } catch (BenchException e) {
            ours.failure = e.getMessage();
        } catch (RuntimeException e) {
            ours.failure = e.toString();
        }
        progress.accept("files: the same bytes between 2 raw JGroups channels (tcp)");
        Side raw = new Side();
        try {
            raw(size, raw);
        } catch (BenchException e) {
            raw.failure = e.getMessage();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            raw.failure = "raw JGroups failed: " + e;
        }
        return figures(size, ours, raw);
    }

    private void convene(Path file, long size, Side side) throws InterruptedException {
        try (ConveneGroup g = ConveneGroup.start(ws, "filec", 2, NetworkMode.LOCAL, true)) {
            ConferencePeer sharer = g.peers().get(0);
            ConferencePeer fetcher = g.peers().get(1);
            ConferenceId id = ConveneGroup.openConference(sharer, List.of(fetcher), List.of(fetcher.self()));
            FileOffer offer = sharer.share(id, file).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            Waits.until(ConveneGroup.SETUP, () -> fetcher.files(id).contains(offer), () -> "the offer at the fetcher");
            Arrivals quiet = new Arrivals(1, warmup() + profile.latencyMessages(2));
            Arrivals during = new Arrivals(1, MAX_CHAT);
            AtomicReference<Arrivals> current = new AtomicReference<>(quiet); // read on JGroups' and the callback threads
            fetcher.addListener(new ConferenceListener() {
                @Override
                public void message(ChatEntry e) {
                    long now = System.nanoTime();
                    if (e.conference().equals(id) && e.author().equals(sharer.self())) current.get().record(0, number(e.text()), now);
                }
            });
            Sender say = m -> sharer.say(id, ChatText.of(m));
            side.quiet = chat(say, quiet, warmup(), () -> true);
            current.set(during);
            AtomicLong finished = new AtomicLong();
            long started = System.nanoTime();
            CompletableFuture<FetchedFile> fetch = fetcher.fetch(id, offer.id(), ws.directory("filec-fetched"), null);
            fetch.whenComplete((f, e) -> finished.set(System.nanoTime()));
            side.during = chat(say, during, 0, () -> !fetch.isDone());
            FetchedFile fetched = fetch.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (!fetched.sha256().equals(offer.sha256())) throw new BenchException("the fetched file's SHA-256 differs from the offer's");
            side.rate = size / Memory.MIB / ((finished.get() - started) / 1e9);
            if (side.during.size() == 0) throw new BenchException("the transfer ended before one chat message came back; use a longer profile");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new BenchException("sharing or fetching failed: " + e, e);
        }
    }

    private void raw(long size, Side side) throws Exception {
        try (RawGroup g = RawGroup.start(ws, "filer", 2, NetworkMode.LOCAL)) {
            JChannel from = g.channel(0);
            Address to = g.channel(1).getAddress();
            Arrivals quiet = new Arrivals(1, warmup() + profile.latencyMessages(2));
            Arrivals during = new Arrivals(1, MAX_CHAT);
            AtomicReference<Arrivals> current = new AtomicReference<>(quiet); // read on JGroups' and the callback threads
            AtomicLong received = new AtomicLong();
            long[] finished = new long[1];
            g.channel(1).setReceiver(new Receiver() {
                @Override
                public void receive(Message msg) {
                    long now = System.nanoTime();
                    byte[] a = msg.getArray();
                    int off = msg.getOffset();
                    if (msg.getLength() >= 5 && a[off] == CHAT) {
                        current.get().record(0, ByteBuffer.wrap(a, off + 1, 4).getInt(), now);
                    } else if (msg.getLength() > 0 && a[off] == BULK && received.addAndGet(msg.getLength()) >= size) {
                        synchronized (finished) {
                            finished[0] = now;
                            finished.notifyAll();
                        }
                    }
                }
            });
            byte[] chatFrame = new byte[ChatText.FRAME_BYTES];
            chatFrame[0] = CHAT;
            Sender say = m -> {
                byte[] b = chatFrame.clone();
                ByteBuffer.wrap(b, 1, 4).putInt(m);
                from.send(new BytesMessage(to, b));
            };
            side.quiet = chat(say, quiet, warmup(), () -> true);
            current.set(during);
            byte[] chunk = new byte[FileOffer.DEFAULT_CHUNK_SIZE];
            new Random(2).nextBytes(chunk);
            chunk[0] = BULK;
            AtomicReference<Exception> failed = new AtomicReference<>();
            long started = System.nanoTime();
            Thread bulk = new Thread(() -> {
                try {
                    for (long sent = 0; sent < size; sent += chunk.length) {
                        int n = (int) Math.min(chunk.length, size - sent);
                        from.send(new BytesMessage(to, chunk, 0, n));
                    }
                } catch (Exception e) {
                    failed.set(e);
                }
            }, "bench-raw-bulk");
            bulk.start();
            side.during = chat(say, during, 0, () -> finishedAt(finished) == 0 && failed.get() == null);
            long deadline = Waits.deadline(LIMIT);
            synchronized (finished) {
                while (finished[0] == 0 && failed.get() == null && System.nanoTime() < deadline) finished.wait(100);
            }
            bulk.join(TimeUnit.SECONDS.toMillis(10));
            if (failed.get() != null) throw new BenchException("raw bulk send failed: " + failed.get(), failed.get());
            if (finished[0] == 0) throw new BenchException("the raw receiver had " + received.get() + " of " + size + " bytes after " + LIMIT.toMinutes() + " min");
            side.rate = size / Memory.MIB / ((finished[0] - started) / 1e9);
        }
    }

    private static long finishedAt(long[] finished) {
        synchronized (finished) {
            return finished[0];
        }
    }

    /** Sends message {@code m}. */
    interface Sender {
        void send(int m) throws Exception;
    }

    /**
     * Chat, one message in flight: sends message {@code m}, waits until it arrived, pauses {@link #CHAT_PACE}, sends the
     * next, while {@code go} holds and messages are left; returns the delays of the messages from {@code warmup} on.
     */
    private static Samples chat(Sender say, Arrivals arrivals, int warmup, BooleanSupplier go) throws InterruptedException {
        long[] sentAt = new long[arrivals.messages()];
        int m = 0;
        for (; m < arrivals.messages() && go.getAsBoolean(); m++) {
            sentAt[m] = System.nanoTime();
            try {
                say.send(m);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new BenchException("sending chat message " + m + " failed: " + e, e);
            }
            if (!arrivals.awaitMessage(m, Waits.deadline(LatencyBench.PER_MESSAGE))) {
                throw new BenchException("chat message " + m + " did not arrive within " + LatencyBench.PER_MESSAGE.toSeconds() + " s");
            }
            Thread.sleep(CHAT_PACE.toMillis());
        }
        // messages never sent never arrived: delays() counts only those that did
        return arrivals.delays(sentAt, Math.min(warmup, m));
    }

    private int warmup() {
        return profile.latencyWarmup(2);
    }

    /** The number in a bench chat text ({@link ChatText#of}): {@code bench message N xxx…}. */
    private static int number(String text) {
        String[] words = text.split(" ", 4);
        try {
            return words.length >= 3 && words[0].equals("bench") ? Integer.parseInt(words[2]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void write(Path file, long size) {
        Random random = new Random(1);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; done += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - done));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bench file " + file, e);
        }
    }

    private List<Figure> figures(long size, Side ours, Side raw) {
        String why = (ours.failure.isEmpty() ? "" : "convene: " + ours.failure + " ") + (raw.failure.isEmpty() ? "" : "raw: " + raw.failure);
        String mib = (size >> 20) + " MiB";
        List<Figure> out = new ArrayList<>();
        out.add(new Figure("files.rate", "file transfer, " + mib + ", 1 source (tcp)", "MiB/s", ours.rate, raw.rate, null,
                why.isEmpty() ? "from fetch() to the verified file on disk (chunks of " + (FileOffer.DEFAULT_CHUNK_SIZE >> 10)
                        + " KiB hashed, encrypted, written; the whole hashed); raw: the same bytes as " + (FileOffer.DEFAULT_CHUNK_SIZE >> 10)
                        + " KiB unicasts, counted only" : why));
        String during = "chat latency %s during the transfer (tcp)";
        String quiet = "chat latency %s, same 2 peers, quiet (tcp)";
        double p50Ratio = ours.during.percentileMillis(50) / ours.quiet.percentileMillis(50);
        double p99Ratio = ours.during.percentileMillis(99) / ours.quiet.percentileMillis(99);
        out.add(new Figure("files.chat.p50", String.format(during, "p50"), "ms", ours.during.percentileMillis(50), raw.during.percentileMillis(50),
                null, why.isEmpty() ? String.format(java.util.Locale.ROOT,
                        "sharer to fetcher, one message in flight, every %d ms while the file moves (%d samples; raw %d); convene during/quiet:"
                                + " p50 x%.2f, p99 x%.2f", CHAT_PACE.toMillis(), ours.during.size(), raw.during.size(), p50Ratio, p99Ratio) : why));
        out.add(new Figure("files.chat.p99", String.format(during, "p99"), "ms", ours.during.percentileMillis(99), raw.during.percentileMillis(99),
                null, ""));
        out.add(new Figure("files.chat.quiet.p50", String.format(quiet, "p50"), "ms", ours.quiet.percentileMillis(50),
                raw.quiet.percentileMillis(50), null, why.isEmpty() ? ours.quiet.size() + " samples each, after " + warmup() + " warm-up" : why));
        out.add(new Figure("files.chat.quiet.p99", String.format(quiet, "p99"), "ms", ours.quiet.percentileMillis(99),
                raw.quiet.percentileMillis(99), null, ""));
        return out;
    }
}
