package dev.convene.conference.internal;

import dev.convene.conference.ConferenceEvent;
import dev.convene.conference.Delivery;
import dev.convene.conference.EventCodec;
import dev.convene.conference.EventType;
import dev.convene.conference.FileOffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;

/**
 * The file offer event, {@code convene.file}/1 (docs/PROTOCOL.md §2 "Files"): its value and its codec. Value:
 * {@code name length (2 bytes, big endian, 1-255) | name (UTF-8) | size (8) | chunk size (4) | SHA-256 of the file
 * (32) | SHA-256 of the chunk hashes (32)}, nothing after. Decoding is strict and checks every bound of
 * {@link FileOffer}; a value that fails is counted by the peer's counter and not delivered. Stateless but for that
 * counter.
 */
final class FileCodecs {
    static final String NAME = "convene.file";
    static final int VERSION = 1;
    /** The type's size limit: above the largest valid value (333 bytes), so the codec sees, refuses and counts any value up to it. */
    static final int MAX_BYTES = 512;
    static final int PER_SECOND = 5;
    private static final HexFormat HEX = HexFormat.of();

    private FileCodecs() {
    }

    /** The offer's value: the offer without what its event carries (conference, id, time). */
    record Value(String name, long size, int chunkSize, String sha256, String chunksRoot) {
        Value {
            FileNames.check(name);
            FileOffer.checkShape(size, chunkSize);
            if (sha256.length() != 64 || chunksRoot.length() != 64) throw new IllegalArgumentException("hash: (expected: 64 hex digits)");
        }

        FileOffer offer(ConferenceEvent<Value> e) {
            return new FileOffer(e.conference(), e.id(), e.author(), name, size, sha256, chunkSize, chunksRoot, e.timestamp().instant());
        }
    }

    /** A type whose decoder counts what it refuses in {@code refused} (one per peer). */
    static EventType<Value> type(LongAdder refused) {
        return new EventType<>(NAME, VERSION, new EventCodec<>() {
            @Override
            public byte[] encode(Value v) {
                return FileCodecs.encode(v);
            }

            @Override
            public Value decode(byte[] bytes) {
                try {
                    return FileCodecs.decode(bytes);
                } catch (RuntimeException e) {
                    refused.increment();
                    throw e;
                }
            }
        }, Delivery.DURABLE, MAX_BYTES, PER_SECOND);
    }

    static byte[] encode(Value v) {
        byte[] name = v.name().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + name.length + 76).putShort((short) name.length).put(name).putLong(v.size())
                .putInt(v.chunkSize()).put(HEX.parseHex(v.sha256())).put(HEX.parseHex(v.chunksRoot())).array();
    }

    static Value decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < 2) throw new IllegalArgumentException("file offer: truncated");
        int n = in.getShort() & 0xFFFF;
        if (n < 1 || n > FileNames.MAX_BYTES || bytes.length != 2 + n + 76) throw new IllegalArgumentException("file offer: bad length");
        ByteBuffer nameBytes = in.slice(2, n);
        in.position(2 + n);
        String name = SocialCodecs.utf8(nameBytes);
        long size = in.getLong();
        int chunkSize = in.getInt();
        byte[] sha = new byte[32];
        byte[] root = new byte[32];
        in.get(sha).get(root);
        return new Value(name, size, chunkSize, HEX.formatHex(sha), HEX.formatHex(root));
    }
}
