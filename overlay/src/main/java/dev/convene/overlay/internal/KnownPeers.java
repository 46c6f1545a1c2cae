package dev.convene.overlay.internal;

import dev.convene.overlay.AddressCache;
import dev.convene.overlay.HostPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent discovery cache: transport addresses of peers seen before, most recent first, in
 * {@code HOME/known-peers}. A restarted peer adds them to discovery so it finds its group again even when
 * the group's ports lie outside its own range or seeds. Bad lines are skipped; a failed write is logged,
 * never fatal. The default {@link AddressCache} of an overlay with a home.
 */
public final class KnownPeers implements AddressCache {
    private static final Logger log = LoggerFactory.getLogger(KnownPeers.class);
    private final Path file;

    public KnownPeers(Path home) {
        this.file = home == null ? null : home.resolve("known-peers");
    }

    /** True if it has a file to write (an overlay with a home); without one {@link #remember} does nothing. */
    boolean writes() {
        return file != null;
    }

    /** The cached addresses; empty without a home or file. */
    @Override
    public List<HostPort> load() {
        List<HostPort> out = new ArrayList<>();
        if (file == null || !Files.exists(file)) return out;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) continue;
                try {
                    out.add(HostPort.parse(s));
                } catch (IllegalArgumentException e) {
                    log.debug("skipping bad line in {}: {}", file, s);
                }
                if (out.size() >= MAX) break;
            }
        } catch (IOException e) {
            log.warn("cannot read {}: {}", file, e.getMessage());
        }
        return out;
    }

    /** Puts {@code seen} first, keeps at most {@value AddressCache#MAX}, and writes atomically. */
    @Override
    public void remember(List<HostPort> seen) {
        if (file == null || seen.isEmpty()) return;
        LinkedHashSet<HostPort> merged = new LinkedHashSet<>(seen);
        merged.addAll(load());
        List<String> lines = new ArrayList<>();
        lines.add("# addresses of peers seen before; used to find the group again after a restart");
        merged.stream().limit(MAX).forEach(h -> lines.add(h.toString()));
        try {
            Path tmp = file.resolveSibling("known-peers.tmp");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("cannot write {}: {}", file, e.getMessage());
        }
    }
}
