package dev.convene.conference.internal;

import dev.convene.conference.FileOffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The home's content store (docs/PROTOCOL.md §2 "Files"): {@code HOME/files/SHA256} the content of every file
 * this peer shared or fetched whole, {@code HOME/files/ROOT.CHUNKSIZE.hashes} its chunk hashes (32 bytes each,
 * in order), and {@code HOME/files/partial/ROOT.CHUNKSIZE.{part,bits,hashes}} the fetches not finished. Every
 * name derives from hex hashes and numbers checked at decode, never from an offered name. Stateless; any thread.
 */
final class FileStore {
    private static final HexFormat HEX = HexFormat.of();
    final Path dir;
    final Path partialDir;

    FileStore(Path home) {
        this.dir = home.resolve("files");
        this.partialDir = dir.resolve("partial");
    }

    static String key(FileOffer o) {
        return key(o.chunksRoot(), o.chunkSize());
    }

    static String key(String chunksRoot, int chunkSize) {
        return chunksRoot + "." + chunkSize;
    }

    Path content(String sha256) {
        return dir.resolve(sha256);
    }

    Path manifest(FileOffer o) {
        return manifest(o.chunksRoot(), o.chunkSize());
    }

    Path manifest(String chunksRoot, int chunkSize) {
        return dir.resolve(key(chunksRoot, chunkSize) + ".hashes");
    }

    Path part(FileOffer o, String ext) {
        return partialDir.resolve(key(o) + "." + ext);
    }

    /** Whether this peer holds the whole content of an offer and its chunk hashes. */
    boolean complete(FileOffer o) {
        try {
            Path c = content(o.sha256());
            Path m = manifest(o);
            return Files.isRegularFile(c) && Files.size(c) == o.size() && Files.isRegularFile(m) && Files.size(m) == 32L * o.chunkCount();
        } catch (IOException e) {
            return false;
        }
    }

    byte[] readManifest(FileOffer o) throws IOException {
        return Files.readAllBytes(manifest(o));
    }

    /** One chunk of a complete content. */
    byte[] readChunk(FileOffer o, int index) throws IOException {
        try (FileChannel ch = FileChannel.open(content(o.sha256()), StandardOpenOption.READ)) {
            return read(ch, o, index);
        }
    }

    static byte[] read(FileChannel ch, FileOffer o, int index) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(o.chunkLength(index));
        long pos = (long) index * o.chunkSize();
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) throw new IOException("chunk " + index + " truncated");
        }
        return b.array();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    /** The root of a list of chunk hashes: SHA-256 of their concatenation, in hex. */
    static String root(byte[] hashes) {
        return hex(sha256(hashes));
    }

    /** SHA-256 of a whole file, in hex. */
    static String hashFile(Path file) throws IOException {
        MessageDigest d = sha256();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            while (ch.read(b) >= 0) {
                b.flip();
                d.update(b);
                b.clear();
            }
        }
        return hex(d.digest());
    }
}
