package dev.convene.overlay.wire;

import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;
import java.util.List;
import java.util.function.Consumer;

/** Message types and body helpers shared by the wire tests; package-private. */
final class WireBodies {
    /** A string with no useful bound, to prove that {@link WireReader} checks lengths against what is left. */
    record Blob(String text) {
    }

    /** A recursive value, to prove the depth limit. */
    record Tree(List<Tree> children) {
        /** A chain of {@code levels} trees, each the only child of the one above. */
        static Tree chain(int levels) {
            Tree t = new Tree(List.of());
            for (int i = 1; i < levels; i++) t = new Tree(List.of(t));
            return t;
        }
    }

    static final WireCodec<Blob> BLOB_CODEC = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Blob value) {
            out.writeString(value.text());
        }

        @Override
        public Blob read(WireReader in) {
            return new Blob(in.readString(Integer.MAX_VALUE));
        }
    };

    static final WireCodec<Tree> TREE_CODEC = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Tree value) {
            out.writeCollection(value.children(), this);
        }

        @Override
        public Tree read(WireReader in) {
            return new Tree(in.readList(1000, this));
        }
    };

    static final MessageType<Blob> BLOB = new MessageType<>(101, Blob.class, BLOB_CODEC);
    static final MessageType<Tree> TREE = new MessageType<>(102, Tree.class, TREE_CODEC);

    private WireBodies() {
    }

    /** The bytes {@code write} produces. */
    static byte[] bytes(Consumer<WireWriter> write) {
        Output out = new Output(64, -1);
        write.accept(new WireWriter(out));
        return out.toBytes();
    }

    /** A reader over {@code bytes}. */
    static WireReader reader(byte[] bytes) {
        return new WireReader(new Input(bytes));
    }
}
