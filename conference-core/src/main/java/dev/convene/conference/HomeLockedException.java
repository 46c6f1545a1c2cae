package dev.convene.conference;

import dev.convene.overlay.PeerId;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The home directory is in use by another running peer, in this process or another one. The holder wrote
 * its process id and peer id into {@code HOME/convene.lock}; they are given when they could be read.
 */
public final class HomeLockedException extends ConferenceException {
    private static final long serialVersionUID = 1L;
    private final transient Path home;
    /** @serial the holder's process id, or -1. */
    private final long pid;
    /** @serial the holder's peer id, or null. */
    private final String holder;

    /**
     * A home in use.
     *
     * @param home the home directory
     * @param pid the holder's process id, or -1 if unknown
     * @param holder the holder's peer id, or null if unknown
     */
    public HomeLockedException(Path home, long pid, PeerId holder) {
        super("home " + home + " is in use by " + (holder == null ? "another peer" : "peer " + holder.shortId())
                + (pid < 0 ? "" : " in process " + pid));
        this.home = home;
        this.pid = pid;
        this.holder = holder == null ? null : holder.value();
    }

    /**
     * The home directory.
     *
     * @return its path
     */
    public Path home() {
        return home;
    }

    /**
     * The holder's process id.
     *
     * @return the pid, empty if unknown
     */
    public OptionalLong pid() {
        return pid < 0 ? OptionalLong.empty() : OptionalLong.of(pid);
    }

    /**
     * The holder's peer id.
     *
     * @return the id, empty if unknown
     */
    public Optional<PeerId> holder() {
        return Optional.ofNullable(holder).map(PeerId::new);
    }
}
