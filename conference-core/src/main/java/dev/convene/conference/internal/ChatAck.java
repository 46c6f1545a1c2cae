package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;

/** The receiver confirms it stored every message of {@code author} up to {@code sequence} (cumulative). */
record ChatAck(ConferenceId conference, PeerId author, long sequence) {

    static final WireCodec<ChatAck> ACK = new WireCodec<>() {
        public void write(WireWriter out, ChatAck a) {
            out.write(a.conference(), CONFERENCE_ID).writePeerId(a.author()).writeVarLong(a.sequence());
        }

        public ChatAck read(WireReader in) {
            return new ChatAck(in.read(CONFERENCE_ID), in.readPeerId(), in.readVarLong(1, Long.MAX_VALUE));
        }
    };
}
