package dev.convene.overlay.wire;

import dev.convene.overlay.DropReason;

/** A frame that was refused, with the counted reason and a description for the debug log. */
public final class FrameException extends Exception {
    private static final long serialVersionUID = 1L;
    private final DropReason reason;

    public FrameException(DropReason reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public DropReason reason() {
        return reason;
    }
}
