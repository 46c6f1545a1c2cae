package dev.convene.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.PeerId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;

/**
 * The main class of the bench's child processes; not for users. Each prints JSON lines on stdout, the first
 * being {@code {"event":"main"}} as soon as the JVM runs its code, and leaves when its stdin closes.
 *
 * <ul>
 *   <li>{@code cli ARGS…}: then runs {@code convene ARGS…} ({@link dev.convene.cli.Main#main}) unchanged;
 *   <li>{@code raw NAME CLUSTER PORT RANGE [EXPECT]}: a raw JGroups channel with the stack of a Convene peer of
 *       that configuration; prints {@code ready}, every {@code view} (member names) and {@code count} of received
 *       messages, and once it has them all {@code cpu}: the CPU time of its Java threads per message received
 *       after the first;
 *   <li>{@code convene NAME CLUSTER PORT RANGE HOME EXPECT}: a {@link ConferencePeer} that accepts every
 *       invitation and prints {@code ready} (its id), the {@code count} of chat messages by others and {@code cpu}
 *       as a raw child does.
 * </ul>
 */
public final class BenchPeerMain {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often a child reports its count if it changed (and at once when it reaches the expected total). */
    static final long COUNT_EVERY_MILLIS = 5;
    private static final AtomicInteger COUNT = new AtomicInteger();
    /** {@link #javaThreadsCpuNanos()} when the first counted message arrived. */
    private static final java.util.concurrent.atomic.AtomicLong PROCESS_CPU_AT_FIRST = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong CPU_AT_FIRST = new java.util.concurrent.atomic.AtomicLong();

    private BenchPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        print(event("main"));
        reportCounts();
        String mode = args.length == 0 ? "" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (mode) {
            case "cli" -> dev.convene.cli.Main.main(rest);
            case "raw" -> raw(rest);
            case "convene" -> convene(rest);
            default -> throw new IllegalArgumentException("mode: '" + mode + "' (expected: cli, raw or convene)");
        }
    }

    private static void raw(String[] a) throws Exception {
        String name = a[0];
        int expect = a.length > 4 ? Integer.parseInt(a[4]) : 0;
        var config = ConveneGroup.config(name, NetworkMode.LOCAL, a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3])).build();
        try (JChannel ch = new JChannel(new ByteArrayInputStream(RawGroup.xml(config).getBytes(StandardCharsets.UTF_8)))) {
            ch.name(name);
            ch.setReceiver(new Receiver() {
                @Override
                public void receive(Message msg) {
                    counted(expect);
                }

                @Override
                public void viewAccepted(View v) {
                    ObjectNode e = event("view");
                    v.getMembers().forEach(m -> e.withArray("members").add(String.valueOf(m)));
                    print(e);
                }
            });
            ch.connect(a[1]);
            print(event("ready").put("name", name).put("members", ch.getView().size()));
            drain(System.in);
        }
    }

    private static void convene(String[] a) throws IOException {
        String name = a[0];
        int expect = Integer.parseInt(a[5]);
        var config = ConveneGroup.config(name, NetworkMode.LOCAL, a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]))
                .home(Path.of(a[4])).build();
        AtomicReference<ConferencePeer> self = new AtomicReference<>();
        ConferencePeer peer = ConferencePeer.builder(config, Identity.generate()).listener(new ConferenceListener() {
            @Override
            public void invitation(ConferenceView conference, PeerId inviter) {
                self.get().accept(conference.id());
            }

            @Override
            public void message(ChatEntry e) {
                if (!e.author().equals(self.get().self())) counted(expect);
            }
        }).start();
        self.set(peer);
        try (peer) {
            print(event("ready").put("id", peer.self().value()).put("name", name));
            drain(System.in);
        }
    }

    private static void counted(int expect) {
        int n = COUNT.incrementAndGet();
        if (n == 1) {
            CPU_AT_FIRST.set(javaThreadsCpuNanos());
            PROCESS_CPU_AT_FIRST.set(processCpuNanos());
        }
        if (n == expect) {
            print(event("count").put("n", expect));
            if (expect > 1) {
                long cpu = javaThreadsCpuNanos() - CPU_AT_FIRST.get();
                long process = processCpuNanos() - PROCESS_CPU_AT_FIRST.get();
                print(event("cpu").put("nanosPerMessage", cpu / (double) (expect - 1))
                        .put("processNanosPerMessage", process / (double) (expect - 1)).put("messages", expect - 1));
            }
        }
    }

    /**
     * CPU time of every live Java thread of this process (ThreadMXBean) but this class's own ({@code bench-*}: the
     * count reporter, which no receiver has): the receiver's work (network, decoding, verification, storage,
     * listeners); not the JIT compiler's nor the GC's (the JVM hides those threads), nor that of threads that ended
     * meanwhile. -1 where the JVM does not measure thread CPU time.
     */
    static long javaThreadsCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) return -1;
        if (!threads.isThreadCpuTimeEnabled()) threads.setThreadCpuTimeEnabled(true);
        long sum = 0;
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || info.getThreadName().startsWith("bench-")) continue;
            long t = threads.getThreadCpuTime(info.getThreadId());
            if (t > 0) sum += t;
        }
        return sum;
    }

    /** CPU time of the whole process (JIT compiler and GC threads included, and this class's own); -1 where unknown. */
    static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** Prints the count every few milliseconds while it changes: a line per message would cost more than the message. */
    private static void reportCounts() {
        Thread t = new Thread(() -> {
            int reported = 0;
            while (true) {
                int n = COUNT.get();
                if (n != reported) print(event("count").put("n", n));
                reported = n;
                try {
                    Thread.sleep(COUNT_EVERY_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-count");
        t.setDaemon(true);
        t.start();
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[256];
        while (in.read(buf) >= 0) {
            // nothing is expected on stdin; its end means leave
        }
    }

    private static ObjectNode event(String name) {
        return JSON.createObjectNode().put("event", name);
    }

    private static synchronized void print(ObjectNode line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Arguments for a {@code raw} child. */
    static List<String> rawArgs(String name, String cluster, int port, int range, int expect) {
        return List.of(BenchPeerMain.class.getName(), "raw", name, cluster, Integer.toString(port), Integer.toString(range),
                Integer.toString(expect));
    }

    /** Arguments for a {@code convene} child. */
    static List<String> conveneArgs(String name, String cluster, int port, int range, Path home, int expect) {
        return List.of(BenchPeerMain.class.getName(), "convene", name, cluster, Integer.toString(port), Integer.toString(range),
                home.toString(), Integer.toString(expect));
    }
}
