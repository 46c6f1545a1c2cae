package dev.convene.overlay;

/**
 * Adjusts the JGroups stack of a peer before its channel is created: another discovery protocol (such as
 * {@code dns.DNS_PING} or {@code KUBE_PING} in place of {@code TCPPING}), thread-pool sizes, timeouts. Set with
 * {@link OverlayConfig.Builder#stack(StackCustomizer)}; called once per start, on the starting thread.
 *
 * <pre>{@code
 * OverlayConfig config = OverlayConfig.builder("alice").stack(stack -> stack
 *         .set("TCP_NIO2", "thread_pool.max_threads", "32")
 *         .replace("TCPPING", "dns.DNS_PING", Map.of("dns_query", "convene.example.internal"))).build();
 * }</pre>
 *
 * <p>The stack Convene writes keeps rules of its own (loopback by default, diagnostics off, bounded reads, the
 * transport key's place); a customizer can break them, and a protocol it names must be on the class path (or
 * module path). {@link Overlay#stackDescription()} shows the stack as Convene wrote it.
 */
@FunctionalInterface
public interface StackCustomizer {
    /** Leaves the stack as Convene writes it. */
    StackCustomizer NONE = stack -> {
    };

    /**
     * Adjusts the stack.
     *
     * @param stack the protocols, bottom (transport) first; change it in place
     * @throws IllegalArgumentException to refuse the start (it reaches the caller of {@code start()})
     */
    void customize(JGroupsStack stack);
}
