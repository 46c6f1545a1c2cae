package dev.convene.conference;

import java.nio.file.Path;

/** The durable store in the home directory could not be opened, read or written (see the cause). */
public final class StoreException extends ConferenceException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    /**
     * A store failure.
     *
     * @param file the store file
     * @param cause the I/O or SQL failure
     */
    public StoreException(Path file, Throwable cause) {
        super("the store " + file + " failed: " + cause.getMessage(), cause);
        this.file = file;
    }

    /**
     * The store file.
     *
     * @return its path
     */
    public Path file() {
        return file;
    }
}
