package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;

import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.util.Map;
import java.util.TreeMap;

/** Per author, the highest sequence held without gaps. */
record ChatDigest(ConferenceId conference, Map<PeerId, Long> contiguous) {
    ChatDigest {
        contiguous = Map.copyOf(contiguous);
    }

    static final WireCodec<ChatDigest> DIGEST = new WireCodec<>() {
        public void write(WireWriter out, ChatDigest d) {
            out.write(d.conference(), CONFERENCE_ID).writeVarInt(d.contiguous().size());
            new TreeMap<>(d.contiguous()).forEach((p, s) -> out.writePeerId(p).writeVarLong(s));
        }

        public ChatDigest read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            int n = in.readVarInt(0, ConferenceContext.MAX_INVITEES + 1);
            Map<PeerId, Long> m = new TreeMap<>();
            for (int i = 0; i < n; i++) m.put(in.readPeerId(), in.readVarLong(0, Long.MAX_VALUE));
            return new ChatDigest(id, m);
        }
    };
}
