package dev.convene.overlay.wire;

import dev.convene.overlay.DropReason;

/** A frame that was refused, with the counted reason and a description for the debug log. */
public final class FrameException extends Exception {
    private static final long serialVersionUID = 1L;
    /** The reason the frame is counted under. */
    private final DropReason reason;

    /**
     * A refused frame.
     *
     * @param reason the reason it is counted under
     * @param detail what was wrong, for the debug log
     */
    public FrameException(DropReason reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    /**
     * The reason the frame is counted under.
     *
     * @return the reason
     */
    public DropReason reason() {
        return reason;
    }
}
