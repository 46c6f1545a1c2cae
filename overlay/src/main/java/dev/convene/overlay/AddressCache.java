package dev.convene.overlay;

import java.util.List;

/**
 * Where a peer keeps the transport addresses of peers it has seen, so that after a restart it finds its group
 * again even when the group's ports lie outside its own range or seeds (networks {@code local} and
 * {@code seeds}; other modes neither read nor write it).
 *
 * <p>Without one, an overlay with a home directory keeps the addresses in the text file {@code HOME/known-peers};
 * the conference layer supplies one backed by its store. An implementation keeps at most {@link #MAX} addresses,
 * most recently seen first, and must not throw: a cache that cannot be read or written logs and carries on, since
 * the cache only helps discovery.
 *
 * <p>Threading: {@link #load()} is called once, on the thread that starts the overlay, before it joins;
 * {@link #remember(List)} on the overlay's event thread after each membership change, so it must be quick.
 */
public interface AddressCache {
    /** The most addresses a cache keeps and returns. */
    int MAX = 64;

    /**
     * The addresses remembered, most recently seen first.
     *
     * @return at most {@link #MAX} addresses; empty if none, or if they cannot be read
     */
    List<HostPort> load();

    /**
     * Puts {@code seen} first (in the given order), ahead of the addresses remembered before, and keeps at most
     * {@link #MAX}.
     *
     * @param seen the addresses of the current members, possibly empty
     */
    void remember(List<HostPort> seen);
}
