package dev.convene.overlay.internal;

import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.MessageType;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import dev.convene.overlay.wire.WireFormatException;
import java.util.HashSet;
import java.util.Set;

/** The overlay's own message types (ids 1-99). */
public final class OverlayMessages {
    private OverlayMessages() {
    }

    /** Asks the receiver to send its advertisement (sent when a frame comes from an unknown address). */
    public record AdvertisementRequest(PeerId from) {
    }

    /**
     * A peer's advertisement with a random nonce it uses toward the receiving member alone (fresh for every
     * member and every run of its process), signed as a whole by the peer's Ed25519 key over its transport
     * address: what binds an identity to a view member and seeds the pair keys every other frame is
     * authenticated with. {@code echo} is the nonce the receiver sent to this peer's address, taken from the
     * receiver's verified {@code Hello} (zeros while none has verified): only the process at that address
     * received it, so a {@code Hello} echoing it comes from that address, and the receiver charges it to a
     * budget nobody else can spend. It is the last {@link #ECHO_LENGTH} bytes of the body, so the receiver
     * reads it before checking the signature.
     */
    public record Hello(PeerAdvertisement ad, byte[] session, byte[] echo) {
        /** Length of {@link #echo}, the last bytes of the body. */
        public static final int ECHO_LENGTH = PeerSession.NONCE_LENGTH;

        public Hello {
            java.util.Objects.requireNonNull(ad, "ad");
            if (session == null || session.length != PeerSession.NONCE_LENGTH) {
                throw new IllegalArgumentException("session: expected " + PeerSession.NONCE_LENGTH + " bytes");
            }
            if (echo == null || echo.length != ECHO_LENGTH) {
                throw new IllegalArgumentException("echo: expected " + ECHO_LENGTH + " bytes");
            }
            session = session.clone();
            echo = echo.clone();
        }

        /** A {@code Hello} echoing nothing (zeros): a first greeting. */
        public Hello(PeerAdvertisement ad, byte[] session) {
            this(ad, session, new byte[ECHO_LENGTH]);
        }

        @Override
        public byte[] session() {
            return session.clone();
        }

        @Override
        public byte[] echo() {
            return echo.clone();
        }
    }

    /** Longest endpoint an advertisement may carry, in UTF-8 bytes. */
    static final int MAX_ENDPOINT = 256;

    /** {@code endpoint} cut to fit {@link #MAX_ENDPOINT} bytes, so a peer never publishes an advertisement others refuse. */
    static String fitEndpoint(String endpoint) {
        if (endpoint.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_ENDPOINT) return endpoint;
        // A char takes at most 3 UTF-8 bytes (a surrogate pair 4 for 2 chars); leave 3 for the ellipsis.
        int end = Math.min(endpoint.length(), (MAX_ENDPOINT - 3) / 3);
        if (Character.isHighSurrogate(endpoint.charAt(end - 1))) end--;
        return endpoint.substring(0, end) + "\u2026";
    }

    static final WireCodec<PeerAdvertisement> AD_CODEC = new WireCodec<>() {
        @Override
        public void write(WireWriter out, PeerAdvertisement a) {
            out.writePeerId(a.id()).writeString(a.name()).writeBytes(a.signingKey()).writeBytes(a.agreementKey())
                    .writeString(a.endpoint()).writeCollection(a.capabilities(), STRING).writeInstant(a.issuedAt());
        }

        @Override
        public PeerAdvertisement read(WireReader in) {
            PeerId id = in.readPeerId();
            String name = visible(in.readString(PeerAdvertisement.MAX_NAME * 4));
            byte[] signing = in.readBytesExactly(32);
            byte[] agreement = in.readBytesExactly(32);
            String endpoint = printable("endpoint", in.readString(MAX_ENDPOINT));
            Set<String> caps = new HashSet<>(in.readList(32, STRING));
            caps.forEach(c -> printable("capability", c));
            try {
                return new PeerAdvertisement(id, name, signing, agreement, endpoint, caps, in.readInstant());
            } catch (IllegalArgumentException e) {
                throw new WireFormatException("advertisement: " + e.getMessage());
            }
        }
    };

    /**
     * Refuses control characters in text a peer chooses about itself: the name is checked by the record,
     * but the endpoint and capabilities are shown to people too, and escape sequences there could rewrite a
     * terminal.
     */
    static String printable(String field, String value) {
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new WireFormatException("advertisement " + field + ": contains control characters (expected: printable text)");
        }
        return value;
    }

    /**
     * Refuses names with characters that show as nothing or move text around: format characters (zero-width
     * space, joiners, bidi embeddings, overrides and isolates, the byte order mark, soft hyphen) and line or
     * paragraph separators (U+2028, U+2029). Two names that differ only by them would look the same.
     */
    static String visible(String name) {
        boolean hidden = name.codePoints().anyMatch(c -> {
            int t = Character.getType(c);
            return t == Character.FORMAT || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR;
        });
        if (hidden) throw new WireFormatException("advertisement name: contains invisible or separator characters (expected: visible text)");
        return name;
    }

    static final WireCodec<String> STRING = new WireCodec<>() {
        @Override
        public void write(WireWriter out, String value) {
            out.writeString(value);
        }

        @Override
        public String read(WireReader in) {
            return in.readString(64);
        }
    };

    public static final MessageType<PeerAdvertisement> ADVERTISEMENT = new MessageType<>(1, PeerAdvertisement.class, AD_CODEC);

    public static final MessageType<Hello> HELLO = new MessageType<>(3, Hello.class, new WireCodec<>() {
        @Override
        public void write(WireWriter out, Hello value) {
            AD_CODEC.write(out, value.ad());
            out.writeBytes(value.session());
            out.writeBytes(value.echo()); // last: the receiver's gate reads it at the end of the body
        }

        @Override
        public Hello read(WireReader in) {
            PeerAdvertisement ad = AD_CODEC.read(in);
            byte[] session = in.readBytesExactly(PeerSession.NONCE_LENGTH);
            return new Hello(ad, session, in.readBytesExactly(Hello.ECHO_LENGTH));
        }
    });

    /**
     * The first frame under a new pair session, MAC'd: it proves to the receiver that the sender holds the
     * session's keys (and so received the nonce sent to its address), which locks the binding of its identity
     * to its address. The only overlay message that travels MAC'd.
     */
    public record Confirm(PeerId from) {
        public Confirm {
            java.util.Objects.requireNonNull(from, "from");
        }
    }

    public static final MessageType<Confirm> CONFIRM = new MessageType<>(4, Confirm.class, new WireCodec<>() {
        @Override
        public void write(WireWriter out, Confirm value) {
            out.writePeerId(value.from());
        }

        @Override
        public Confirm read(WireReader in) {
            return new Confirm(in.readPeerId());
        }
    });

    /**
     * The answer to a {@code Hello} this peer refused unchecked (its sender's signed-frame budget spent, perhaps by
     * frames forged in that member's name): it echoes the nonce that {@code Hello} carried and gives this peer's
     * nonce to the receiver, unauthenticated (version 3). The receiver believes it only if {@code echoed} is the
     * nonce it sent to this peer's address (which nobody else received), and then echoes {@code nonce} in its
     * next {@code Hello}s, which this peer charges to the budget forgers cannot spend. Smaller than the
     * {@code Hello} it answers, and sent only to view members: a forger can make a peer send no more than it sends.
     */
    public record Echo(PeerId from, byte[] echoed, byte[] nonce) {
        public Echo {
            java.util.Objects.requireNonNull(from, "from");
            if (echoed == null || echoed.length != PeerSession.NONCE_LENGTH) {
                throw new IllegalArgumentException("echoed: expected " + PeerSession.NONCE_LENGTH + " bytes");
            }
            if (nonce == null || nonce.length != PeerSession.NONCE_LENGTH) {
                throw new IllegalArgumentException("nonce: expected " + PeerSession.NONCE_LENGTH + " bytes");
            }
            echoed = echoed.clone();
            nonce = nonce.clone();
        }

        @Override
        public byte[] echoed() {
            return echoed.clone();
        }

        @Override
        public byte[] nonce() {
            return nonce.clone();
        }
    }

    public static final MessageType<Echo> ECHO = new MessageType<>(5, Echo.class, new WireCodec<>() {
        @Override
        public void write(WireWriter out, Echo value) {
            out.writePeerId(value.from()).writeBytes(value.echoed()).writeBytes(value.nonce());
        }

        @Override
        public Echo read(WireReader in) {
            PeerId from = in.readPeerId();
            byte[] echoed = in.readBytesExactly(PeerSession.NONCE_LENGTH);
            return new Echo(from, echoed, in.readBytesExactly(PeerSession.NONCE_LENGTH));
        }
    });

    public static final MessageType<AdvertisementRequest> AD_REQUEST = new MessageType<>(2, AdvertisementRequest.class,
            new WireCodec<>() {
                @Override
                public void write(WireWriter out, AdvertisementRequest value) {
                    out.writePeerId(value.from());
                }

                @Override
                public AdvertisementRequest read(WireReader in) {
                    return new AdvertisementRequest(in.readPeerId());
                }
            });
}
