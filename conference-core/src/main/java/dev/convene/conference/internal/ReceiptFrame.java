package dev.convene.conference.internal;

import dev.convene.overlay.wire.MessageType;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.util.Objects;

/**
 * A {@link Receipt} on the wire, alone (sent by its author with its acknowledgements), or with the message of the same
 * author that contradicts it (a proof, spread by the peer that found it).
 */
record ReceiptFrame(Receipt receipt, ChatMessage contradicted) {
    ReceiptFrame {
        Objects.requireNonNull(receipt, "receipt");
    }

    /** The receipt, then a marker byte (0: nothing more; 1: the contradicting message follows, as {@link ChatMessage#CHAT}). */
    static final WireCodec<ReceiptFrame> CODEC = new WireCodec<>() {
        public void write(WireWriter out, ReceiptFrame f) {
            Receipt.CODEC.write(out, f.receipt());
            if (f.contradicted() == null) {
                out.writeByte(0);
            } else {
                out.writeByte(1);
                ChatMessage.CHAT.write(out, f.contradicted());
            }
        }

        public ReceiptFrame read(WireReader in) {
            Receipt r = Receipt.CODEC.read(in);
            int marker = in.readByte();
            if (marker == 0) return new ReceiptFrame(r, null);
            if (marker != 1) throw new dev.convene.overlay.wire.WireFormatException("receipt marker " + marker);
            return new ReceiptFrame(r, ChatMessage.CHAT.read(in));
        }
    };

    static final MessageType<ReceiptFrame> TYPE = new MessageType<>(107, ReceiptFrame.class, CODEC);
}
