package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.wire.MessageType;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireFormatException;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;

/**
 * One frame of a stream between two participants (type 110), sent to one peer only. {@code fromOpener} says
 * which side sent it, so the stream is found by (sender, stream id, side). {@code seq} is the DATA/FIN counter,
 * the credit granted by CREDIT, or the reason ordinal of REFUSE/RESET; {@code body} is the protocol name of
 * OPEN or the AES-GCM box of DATA/FIN, empty otherwise.
 */
record StreamFrame(ConferenceId conference, long stream, boolean fromOpener, int kind, long seq, byte[] body) {
    static final int OPEN = 1, ACCEPT = 2, REFUSE = 3, DATA = 4, CREDIT = 5, FIN = 6, RESET = 7;
    /** Most plaintext bytes one DATA frame carries. */
    static final int CHUNK = 16 * 1024;
    static final int MAX_BODY = CHUNK + 16;

    StreamFrame {
        if (conference == null || body == null) throw new IllegalArgumentException("stream frame: missing part");
        if (kind < OPEN || kind > RESET) throw new IllegalArgumentException("stream frame: kind " + kind);
        if (seq < 0) throw new IllegalArgumentException("stream frame: negative seq");
        if (body.length > MAX_BODY) throw new IllegalArgumentException("stream frame: body over " + MAX_BODY);
    }

    static final WireCodec<StreamFrame> CODEC = new WireCodec<>() {
        public void write(WireWriter out, StreamFrame f) {
            out.write(f.conference(), CONFERENCE_ID).writeLong(f.stream()).writeBoolean(f.fromOpener()).writeByte(f.kind())
                    .writeVarLong(f.seq()).writeBytes(f.body());
        }

        public StreamFrame read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            long stream = in.readLong();
            boolean fromOpener = in.readBoolean();
            int kind = in.readByte();
            long seq = in.readVarLong(0, Long.MAX_VALUE);
            byte[] body = in.readBytes(MAX_BODY);
            try {
                return new StreamFrame(id, stream, fromOpener, kind, seq, body);
            } catch (IllegalArgumentException e) {
                throw new WireFormatException(e.getMessage());
            }
        }
    };

    static final MessageType<StreamFrame> TYPE = new MessageType<>(110, StreamFrame.class, CODEC);
}
