package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;

import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per author, the highest sequence held without gaps, and the {@link Tip} of one message held up to it (the last
 * one, or half the time one drawn at random, so that over successive digests every sequence is compared). An
 * answerer that holds a different message at the sequence a tip names sends its own version, so two peers that each
 * hold one version of an equivocation notice it (docs/PROTOCOL.md "Equivocation").
 */
record ChatDigest(ConferenceId conference, Map<PeerId, Long> contiguous, Map<PeerId, Tip> tips) {
    ChatDigest {
        contiguous = Map.copyOf(contiguous);
        tips = Map.copyOf(tips);
        for (var t : tips.entrySet()) {
            Long upTo = contiguous.get(t.getKey());
            if (upTo == null || t.getValue().sequence() > upTo) throw new IllegalArgumentException("a tip beyond its author's sequence");
        }
    }

    /** Without tips (nothing compared). */
    ChatDigest(ConferenceId conference, Map<PeerId, Long> contiguous) {
        this(conference, contiguous, Map.of());
    }

    /** A message's sequence and 128 bits of the SHA-256 of its signed body: two versions of one sequence differ in it. */
    record Tip(long sequence, long high, long low) {
        Tip {
            if (sequence < 1) throw new IllegalArgumentException("tip of sequence " + sequence);
        }

        static Tip of(ChatMessage m) {
            try {
                ByteBuffer b = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(Protocol.bytes(Protocol.CHAT_BODY, m)));
                return new Tip(m.sequence(), b.getLong(), b.getLong());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing", e);
            }
        }
    }

    static final WireCodec<ChatDigest> DIGEST = new WireCodec<>() {
        public void write(WireWriter out, ChatDigest d) {
            out.write(d.conference(), CONFERENCE_ID).writeVarInt(d.contiguous().size());
            new TreeMap<>(d.contiguous()).forEach((p, s) -> {
                out.writePeerId(p).writeVarLong(s);
                Tip t = d.tips().get(p);
                out.writeBoolean(t != null);
                if (t != null) out.writeVarLong(t.sequence()).writeLong(t.high()).writeLong(t.low());
            });
        }

        public ChatDigest read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            int n = in.readVarInt(0, ConferenceContext.MAX_INVITEES + 1);
            Map<PeerId, Long> m = new TreeMap<>();
            Map<PeerId, Tip> tips = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                PeerId p = in.readPeerId();
                long upTo = in.readVarLong(0, Long.MAX_VALUE);
                m.put(p, upTo);
                if (in.readBoolean()) tips.put(p, new Tip(in.readVarLong(1, Math.max(1, upTo)), in.readLong(), in.readLong()));
            }
            return new ChatDigest(id, m, tips);
        }
    };
}
