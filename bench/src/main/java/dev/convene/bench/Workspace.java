package dev.convene.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * One bench run's temporary directory (peer homes) and its source of fresh group names and port ranges,
 * so that a run never meets another run's peers, nor a developer's own on 7800. Closing deletes the
 * directory.
 */
final class Workspace implements AutoCloseable {
    /**
     * Bases are drawn from 10000-31999, in steps wide enough for a 64-port range and FD_SOCK2's offset of 100
     * above it: below Linux's ephemeral range (32768 and up), where the outgoing connections of thirty peers
     * (hundreds of sockets) would otherwise take ports a peer is about to listen on.
     */
    private static final int LOWEST_PORT = 10000;
    private static final int BASES = 110;
    private final Path root;
    private final String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    private int groups;
    private int nextBase = ThreadLocalRandom.current().nextInt(BASES);

    Workspace() {
        try {
            root = Files.createTempDirectory("convene-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the bench peers", e);
        }
    }

    /** A fresh, empty directory for one peer's home. */
    Path home(String name) {
        try {
            return Files.createDirectories(root.resolve(name + "-" + (groups++)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root.resolve(name), e);
        }
    }

    /** A directory in the workspace, created if need be. */
    Path directory(String name) {
        try {
            return Files.createDirectories(root.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root.resolve(name), e);
        }
    }

    /** A file in the workspace, e.g. a child's standard error. */
    Path file(String name) {
        return root.resolve(name);
    }

    /** A group name no other run or group uses. */
    String cluster(String purpose) {
        return "bench-" + runId + "-" + purpose;
    }

    /** The first port of a fresh range of up to 64 ports (plus FD_SOCK2's ports 100 above them). */
    int basePort() {
        int base = LOWEST_PORT + (nextBase % BASES) * 200;
        nextBase += 1 + ThreadLocalRandom.current().nextInt(7);
        return base;
    }

    @Override
    public void close() {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
