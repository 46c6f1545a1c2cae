package dev.convene.conference;

/** How the events of an {@link EventType} travel (docs/EVENTS.md). */
public enum Delivery {
    /**
     * Signed by its author, encrypted under the conference key, stored, placed in the conference's canonical
     * order, caught up by late joiners and relayed by any participant: a chat message of another type.
     */
    DURABLE,
    /**
     * Encrypted under the conference key and sent to the participants online now, bound to its sender by the
     * overlay's authenticated session; never stored, relayed or caught up, and rationed per sender.
     */
    EPHEMERAL
}
