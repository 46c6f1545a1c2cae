package dev.convene.conference;

import dev.convene.overlay.PeerId;
import java.nio.file.Path;

/**
 * The home's store belongs to another identity: its conferences, keys and history were made for
 * {@link #owner()}, so a peer with another identity may not take them over.
 */
public final class HomeOwnerException extends ConferenceException {
    private static final long serialVersionUID = 1L;
    private final transient Path home;
    /** @serial the owner's peer id. */
    private final PeerId owner;
    /** @serial the opener's peer id. */
    private final PeerId opener;

    /**
     * A home opened with the wrong identity.
     *
     * @param home the home directory
     * @param owner the identity the store belongs to
     * @param opener the identity that tried to open it
     */
    public HomeOwnerException(Path home, PeerId owner, PeerId opener) {
        super("the store in " + home + " belongs to peer " + owner.shortId() + ", not " + opener.shortId());
        this.home = home;
        this.owner = owner;
        this.opener = opener;
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
     * The identity the store belongs to.
     *
     * @return the owner's peer id
     */
    public PeerId owner() {
        return owner;
    }

    /**
     * The identity that tried to open it.
     *
     * @return that peer id
     */
    public PeerId opener() {
        return opener;
    }
}
