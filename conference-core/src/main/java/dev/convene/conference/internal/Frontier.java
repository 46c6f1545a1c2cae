package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.HLC;

import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MessageId;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireFormatException;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.util.Objects;

/**
 * What the author of a chat message had seen when it posted: the id and timestamp of the latest message (in
 * canonical order) it had delivered in that conference. Signed with the message; checked by {@link Frontiers}.
 */
record Frontier(MessageId id, HlcTimestamp timestamp) {
    Frontier {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** Canonical order of the message it names: timestamp, author, sequence. */
    int compareTo(Frontier o) {
        int t = timestamp.compareTo(o.timestamp);
        if (t != 0) return t;
        int a = id.author().value().compareTo(o.id.author().value());
        return a != 0 ? a : Long.compare(id.sequence(), o.id.sequence());
    }

    /** A frontier: a marker byte (1; 0 reads as none), the message id and its timestamp. */
    static final WireCodec<Frontier> CODEC = new WireCodec<>() {
        public void write(WireWriter out, Frontier f) {
            out.writeByte(1).writePeerId(f.id().author()).writeVarLong(f.id().sequence()).write(f.timestamp(), HLC);
        }

        public Frontier read(WireReader in) {
            int marker = in.readByte();
            if (marker == 0) return null;
            if (marker != 1) throw new WireFormatException("frontier marker " + marker + " (expected: 0 or 1)");
            PeerId author = in.readPeerId();
            long seq = in.readVarLong(1, Long.MAX_VALUE);
            return new Frontier(new MessageId(author, seq), in.read(HLC));
        }
    };
}
