package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireFormatException;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.util.Objects;

/**
 * A signed receipt (docs/PROTOCOL.md "Receipts"): "after my own sequence {@code sequence}, I had delivered
 * {@code frontier}" — by {@code author}, in {@code conference}. A later message of the same author (sequence
 * greater than {@code sequence}) whose frontier is older than {@code frontier}, or absent, contradicts it; the pair,
 * both signed by one key, is a proof any peer can check ({@link Receipts}).
 */
record Receipt(ConferenceId conference, PeerId author, long sequence, Frontier frontier, byte[] signature) {
    /** Signed first, so that the bytes of a receipt never read as those of another signed record. */
    static final String DOMAIN = "convene/receipt/1";

    Receipt {
        Objects.requireNonNull(conference, "conference");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(frontier, "frontier");
        Objects.requireNonNull(signature, "signature");
        if (sequence < 0) throw new IllegalArgumentException("sequence " + sequence);
        if (signature.length != Identity.SIGNATURE_LENGTH) throw new IllegalArgumentException("signature length " + signature.length);
    }

    static Receipt sign(Identity author, ConferenceId conference, long sequence, Frontier frontier) {
        Receipt unsigned = new Receipt(conference, author.id(), sequence, frontier, new byte[Identity.SIGNATURE_LENGTH]);
        return new Receipt(conference, author.id(), sequence, frontier, author.sign(Protocol.bytes(BODY, unsigned)));
    }

    boolean verifies(byte[] authorKey) {
        return Identity.verify(authorKey, Protocol.bytes(BODY, this), signature);
    }

    /** The signed bytes: the domain, the conference, the author, the sequence, the frontier. */
    static final WireCodec<Receipt> BODY = new WireCodec<>() {
        public void write(WireWriter out, Receipt r) {
            out.writeString(DOMAIN).write(r.conference(), CONFERENCE_ID).writePeerId(r.author()).writeVarLong(r.sequence());
            Frontier.CODEC.write(out, r.frontier());
        }

        public Receipt read(WireReader in) {
            throw new UnsupportedOperationException("read RECEIPT instead");
        }
    };

    /** As signed, without the domain, then the signature. */
    static final WireCodec<Receipt> CODEC = new WireCodec<>() {
        public void write(WireWriter out, Receipt r) {
            out.write(r.conference(), CONFERENCE_ID).writePeerId(r.author()).writeVarLong(r.sequence());
            Frontier.CODEC.write(out, r.frontier());
            out.writeBytes(r.signature());
        }

        public Receipt read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            PeerId author = in.readPeerId();
            long seq = in.readVarLong(0, Long.MAX_VALUE);
            Frontier f = in.read(Frontier.CODEC);
            if (f == null) throw new WireFormatException("receipt without a frontier");
            return new Receipt(id, author, seq, f, in.readBytesExactly(Identity.SIGNATURE_LENGTH));
        }
    };
}
