package dev.convene.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The {@code convene} processes of one test: each peer with its own home under a temporary directory, all
 * in a group of their own ({@code --cluster it-…}) on a port block of their own, so tests never meet each
 * other or a developer's peers. Starts peers and routers, restarts a peer with the same home, and on
 * {@link #close()} kills every process it ever started and deletes the directory.
 *
 * <p>Randomness (port block, group name, and whatever a test draws from {@link #random()}) comes from one
 * seed, printed by {@link #toString()} so that a failure names it; {@code -Dconvene.it.seed=N} replays
 * it. {@code -Dconvene.it.keep=true} keeps the directory (homes, stdout and stderr of every process);
 * {@code -Dconvene.it.verbose=true} starts peers with {@code --verbose} (their logs and stack traces in stderr).
 *
 * <p>Not thread-safe: used by the test thread.
 */
public final class Fleet implements AutoCloseable {
    /** JVM options for every process: IPv4, a small heap, and little JIT work at start-up (2 cores, 10 JVMs). */
    public static final List<String> JVM = List.of("-Djava.net.preferIPv4Stack=true", "-Xmx128m", "-Xss512k",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");
    /** Ports a block spans: the peers' TCP range (16) and FD_SOCK2's ports 100 above it, routers at +50. */
    private static final int BLOCK = 200;
    private static final int MAX_PORT_RETRIES = 10;

    private final String scenario;
    private final long seed;
    private final Random random;
    private final Path dir;
    private final String cluster;
    private final int portBase;
    private final Map<String, ConveneProcess> current = new LinkedHashMap<>();
    private final List<ConveneProcess> started = new ArrayList<>();
    private int portRetries;

    private Fleet(String scenario, long seed) {
        this.scenario = scenario;
        this.seed = seed;
        this.random = new Random(seed);
        try {
            this.dir = Files.createTempDirectory("convene-it-" + scenario + "-");
            Files.createDirectories(dir.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.cluster = "it-" + scenario + "-" + Long.toHexString(random.nextLong() & 0xffffffffL);
        this.portBase = freeBlock(random);
    }

    /** A fleet for {@code scenario} with the seed from {@code -Dconvene.it.seed}, else a fresh one. */
    public static Fleet create(String scenario) {
        String fixed = System.getProperty("convene.it.seed");
        return new Fleet(scenario, fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : new Random().nextLong());
    }

    /** A block of ports below the ephemeral range (32768) whose first ports are free now. */
    private static int freeBlock(Random random) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + random.nextInt((32_000 - 20_000) / BLOCK) * BLOCK;
            if (free(base, 16) && free(base + 50, 4) && free(base + 100, 20)) return base;
        }
        throw new AssertionError("no free block of ports between 20000 and 32000 after 50 attempts");
    }

    private static boolean free(int from, int count) {
        for (int p = from; p < from + count; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    public long seed() {
        return seed;
    }

    /** The fleet's source of randomness (seeded). */
    public Random random() {
        return random;
    }

    public String cluster() {
        return cluster;
    }

    /** The first port of this fleet's block; peers in local mode take ports from here. */
    public int portBase() {
        return portBase;
    }

    /** A port in this fleet's block set aside for routers: {@code index} 0 to 3. */
    public int routerPort(int index) {
        if (index < 0 || index > 3) throw new IllegalArgumentException("index: " + index + " (expected: 0-3)");
        return portBase + 50 + index;
    }

    public Path dir() {
        return dir;
    }

    public Path home(String name) {
        return dir.resolve("homes").resolve(name);
    }

    /** Starts a peer in {@code local} mode on this fleet's ports (does not wait for {@code ready}). */
    public ConveneProcess peer(String name) {
        return peer(name, List.of(), List.of("--port", Integer.toString(portBase)));
    }

    /**
     * Starts a peer.
     *
     * @param launcher words before {@code java} (e.g. {@code ip netns exec NS}), usually none
     * @param network the network options ({@code --network}, {@code --port}, {@code --seed}, …); the fleet adds
     *     {@code --cluster}
     */
    public ConveneProcess peer(String name, List<String> launcher, List<String> network) {
        if (current.containsKey(name)) throw new IllegalArgumentException(name + " already started; use restart");
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(javaBin());
        cmd.addAll(JVM);
        cmd.addAll(List.of("-jar", jar().toString(), "--name", name, "--home", home(name).toString()));
        cmd.addAll(network);
        cmd.addAll(List.of("--cluster", cluster, "run", "-", "--stream", "--json", "--keep-going"));
        if (Boolean.getBoolean("convene.it.verbose")) cmd.add("--verbose");
        return launch(new ConveneProcess.Launch(name, cmd, dir.resolve("logs"), true), 1);
    }

    /** Starts {@code convene router} on 127.0.0.1:{@code port}. */
    public ConveneProcess router(String name, int port) {
        List<String> cmd = new ArrayList<>(List.of(javaBin()));
        cmd.addAll(JVM);
        cmd.addAll(List.of("-jar", jar().toString(), "router", "--port", Integer.toString(port), "--json"));
        return launch(new ConveneProcess.Launch(name, cmd, dir.resolve("logs"), false), 1);
    }

    /** Starts {@code p} again as it was started, with the same home; kills it first if it still runs. */
    public ConveneProcess restart(ConveneProcess p) {
        if (p.alive()) p.kill();
        current.remove(p.name());
        return launch(p.launch(), p.generation() + 1);
    }

    /**
     * Waits until the peer {@code name} is ready. A start the network refused ({@link ConveneProcess#refusedPort()})
     * is retried, at most {@value #MAX_PORT_RETRIES} times in all for the fleet, and counted in
     * {@link #portRetries()}: the figures show it, while the scenario goes on testing what it is about.
     */
    public ConveneProcess ready(String name, Duration timeout) {
        while (true) {
            ConveneProcess p = get(name);
            try {
                p.ready(timeout);
                return p;
            } catch (AssertionError e) {
                if (!p.refusedPort() || portRetries >= MAX_PORT_RETRIES) throw e;
                portRetries++;
                restart(p);
            }
        }
    }

    /** Restarts every current peer whose start the network refused (see {@link #ready}); for chat loops. */
    public void retryRefusedStarts() {
        for (ConveneProcess p : List.copyOf(current.values())) {
            if (p.launch().peer() && p.refusedPort() && portRetries < MAX_PORT_RETRIES) {
                portRetries++;
                restart(p);
            }
        }
    }

    /** How many starts were retried because the peer could not listen on a port. */
    public int portRetries() {
        return portRetries;
    }

    private ConveneProcess launch(ConveneProcess.Launch launch, int generation) {
        ConveneProcess p = ConveneProcess.start(launch, generation);
        started.add(p);
        current.put(launch.name(), p);
        return p;
    }

    /** The latest process of {@code name}. */
    public ConveneProcess get(String name) {
        ConveneProcess p = current.get(name);
        if (p == null) throw new IllegalArgumentException("no process named " + name + " in " + this);
        return p;
    }

    /** The latest process of every name, in start order. */
    public List<ConveneProcess> current() {
        return List.copyOf(current.values());
    }

    /** Every process started, restarts included. */
    public List<ConveneProcess> everStarted() {
        return List.copyOf(started);
    }

    /** The diagnostics of every current process, for failure messages. */
    public String diagnostics() {
        StringBuilder b = new StringBuilder(toString()).append('\n');
        current.values().forEach(p -> b.append(p.diagnostics()).append('\n'));
        return b.toString();
    }

    /** Kills every process this fleet started and deletes its directory (unless -Dconvene.it.keep=true). */
    @Override
    public void close() {
        // SIGKILL ends a frozen (SIGSTOPped) process as well.
        started.forEach(ConveneProcess::close);
        if (!Boolean.getBoolean("convene.it.keep")) deleteTree(dir);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a temporary directory left behind is not a test failure
        }
    }

    /** The shaded CLI jar ({@code -Dconvene.jar}, set by the pom). */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("convene.jar", "../bench/target/convene.jar"));
        if (!Files.isRegularFile(jar)) throw new AssertionError("no CLI jar at " + jar + "; build it with mvn -pl bench -am package");
        return jar;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code Duration} for the deadlines of one test, scaled by {@code -Dconvene.it.slow=F} on slow machines. */
    public static Duration scaled(Duration d) {
        double f = Double.parseDouble(System.getProperty("convene.it.slow", "1"));
        return Duration.ofMillis((long) (d.toMillis() * f));
    }

    @Override
    public String toString() {
        return "scenario " + scenario + " (seed " + seed + ", cluster " + cluster + ", ports " + portBase + "-" + (portBase + BLOCK - 1)
                + ", dir " + dir + ")";
    }
}
