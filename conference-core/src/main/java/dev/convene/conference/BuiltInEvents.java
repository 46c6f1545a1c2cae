package dev.convene.conference;

import dev.convene.conference.internal.SocialCodecs;
import java.time.Duration;

/**
 * The event types every peer registers by itself, in the reserved namespace {@code convene.} (an application
 * cannot register a name in it: {@link ConferencePeer.Builder#eventType}). Their wire is in PROTOCOL.md §2,
 * Built-in types. Replies are chat, not events ({@link ConferencePeer#reply}, {@link ChatEntry#replyTo()}).
 * Listen to these types with {@link ConferencePeer#onEvent}.
 */
public final class BuiltInEvents {
    /** The reserved first label of type names. */
    public static final String NAMESPACE = SocialCodecs.NAMESPACE;

    /**
     * Reactions and their withdrawals, durable: {@code convene.reaction}/1, values up to 73 bytes, at most 10 a
     * second and peer. See {@link ConferencePeer#react} and {@link ConferencePeer#reactions}.
     */
    public static final EventType<Reaction> REACTION = new EventType<>("convene.reaction", 1, new EventCodec<>() {
        @Override
        public byte[] encode(Reaction value) {
            return SocialCodecs.encodeReaction(value);
        }

        @Override
        public Reaction decode(byte[] bytes) {
            return SocialCodecs.decodeReaction(bytes);
        }
    }, Delivery.DURABLE, SocialCodecs.REFERENCE_BYTES + 1 + Reaction.MAX_EMOJI_BYTES, 10);

    /**
     * "Is typing", ephemeral: {@code convene.typing}/1, the value is always true (one byte); a receiver accepts at
     * most one a second from a sender. See {@link ConferencePeer#typing} and {@link ConferencePeer#typingNow}.
     */
    public static final EventType<Boolean> TYPING = new EventType<>("convene.typing", 1, new EventCodec<>() {
        @Override
        public byte[] encode(Boolean value) {
            return SocialCodecs.encodeTyping(value);
        }

        @Override
        public Boolean decode(byte[] bytes) {
            return SocialCodecs.decodeTyping(bytes);
        }
    }, Delivery.EPHEMERAL, 1, 1);

    /** The least time between two typing signals a peer sends in one conference ({@link ConferencePeer#typing}). */
    public static final Duration TYPING_REPEAT = Duration.ofSeconds(3);
    /** How long a peer counts as typing after its last signal ({@link ConferencePeer#typingNow}). */
    public static final Duration TYPING_EXPIRY = Duration.ofSeconds(6);

    private BuiltInEvents() {
    }

    /**
     * True if a type name is in the reserved namespace.
     *
     * @param name a type name
     * @return whether its first label is {@value #NAMESPACE}
     */
    public static boolean reserved(String name) {
        return name.equals(NAMESPACE) || name.startsWith(NAMESPACE + ".");
    }
}
