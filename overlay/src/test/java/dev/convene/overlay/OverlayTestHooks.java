package dev.convene.overlay;

import dev.convene.overlay.internal.OverlayCore;

/**
 * Reaches behind the {@link Overlay} facade for bad-input tests: the implementation can send raw bytes
 * ({@link OverlayCore#sendRaw}) and frames signed by another identity ({@link OverlayCore#encodeAs}), as a
 * hostile peer would. Lives in the test-jar so other modules' suites can use it; not API.
 */
public final class OverlayTestHooks {
    private OverlayTestHooks() {
    }

    /** The implementation behind {@code overlay}. */
    public static OverlayCore core(Overlay overlay) {
        return overlay.core();
    }
}
