package dev.convene.conference.internal;

import dev.convene.conference.HomeOwnerException;
import dev.convene.conference.StoreException;
import dev.convene.overlay.AddressCache;
import dev.convene.overlay.HostPort;
import dev.convene.overlay.PeerId;
import dev.convene.conference.ConferenceId;
import dev.convene.overlay.wire.WireBytes;
import dev.convene.overlay.wire.WireFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store: SQLite (xerial sqlite-jdbc, which bundles the native library) in WAL mode in
 * {@code HOME/convene.db}, owner-only.
 *
 * <p>Why SQLite: one file, transactions that survive {@code kill -9} at any instant (the WAL is replayed
 * or ignored as a whole), no server. {@code synchronous=NORMAL} in WAL mode makes every commit durable
 * against a crash of this process; only a power cut of the machine can lose the last commits, never
 * corrupt the file. Each chat row also carries a CRC-32C of its bytes, checked on load, so damage from
 * outside SQLite (a disk, a hand edit) is detected and the row never shown as a message.
 *
 * <p>Thread-safe: one connection, and every method holds the store's lock. Several threads write through it (the
 * persistence thread's chat batches, the overlay's event thread's discovery cache on every view, the engine's
 * metadata), and a transaction and a prepared statement's bindings belong to the connection, not to a thread: without
 * the lock one thread's {@code setAutoCommit(true)} committed another's batch half-way ({@code SqliteStoreThreadsTest}).
 */
final class SqliteStore implements ConferenceStore {
    private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);
    private final Connection db;
    private final PreparedStatement upsertConference;
    private final PreparedStatement insertChat;
    private final PreparedStatement ack;
    private long corrupt;

    /**
     * The schema this code writes, kept in SQLite's {@code user_version}: 0 is a store from before versions
     * (the same tables, no owner); 1 adds the {@code meta} table with the owner's peer id; 2 adds
     * {@code known_address} (the discovery cache, formerly the file {@code HOME/known-peers}, imported once and
     * deleted by the migration).
     */
    static final int SCHEMA_VERSION = 2;

    /** The file the discovery cache lived in before schema 2, relative to the home. */
    static final String KNOWN_PEERS_FILE = "known-peers";
    /** The most bytes of an old {@code known-peers} file the migration reads. */
    static final int KNOWN_PEERS_FILE_MAX_BYTES = 64 * 1024;

    /** Tests only: told the name of every write method called and the name of the thread that calls it (null: nobody). */
    volatile java.util.function.BiConsumer<String, String> writeObserver;

    private void observe(String write) {
        java.util.function.BiConsumer<String, String> o = writeObserver;
        if (o != null) o.accept(write, Thread.currentThread().getName());
    }

    private SqliteStore(Connection db, Path file) throws SQLException {
        this.db = db;
        this.file = file;
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            // Two connections write (the engine thread's and the persistence thread's, see ChatWriter): one waits
            // for the other's transaction instead of failing with SQLITE_BUSY.
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA foreign_keys=ON");
            // A deleted row's bytes are overwritten with zeros, not left in a free page (an author's delete, eraseChat).
            s.execute("PRAGMA secure_delete=ON");
            s.execute("CREATE TABLE IF NOT EXISTS conference (id TEXT PRIMARY KEY, meta BLOB NOT NULL, keys BLOB NOT NULL,"
                    + " epoch INTEGER NOT NULL, own_seq INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS ban (id TEXT PRIMARY KEY)");
            s.execute("CREATE TABLE IF NOT EXISTS meta_record (conference TEXT NOT NULL, key TEXT NOT NULL, bytes BLOB NOT NULL,"
                    + " PRIMARY KEY (conference, key))");
            s.execute("CREATE TABLE IF NOT EXISTS quarantine (id TEXT NOT NULL, meta BLOB, reason TEXT NOT NULL, at INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS peer (id TEXT PRIMARY KEY, ad BLOB NOT NULL, seen_at INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS chat (conference TEXT NOT NULL, author TEXT NOT NULL, seq INTEGER NOT NULL,"
                    + " body BLOB NOT NULL, crc INTEGER NOT NULL, author_name TEXT NOT NULL, acked INTEGER NOT NULL DEFAULT 0,"
                    + " PRIMARY KEY (conference, author, seq))");
        }
        upsertConference = db.prepareStatement("INSERT INTO conference (id, meta, keys, epoch, own_seq) VALUES (?,?,?,?,?)"
                + " ON CONFLICT(id) DO UPDATE SET meta=excluded.meta, keys=excluded.keys, epoch=excluded.epoch, own_seq=excluded.own_seq");
        insertChat = db.prepareStatement("INSERT OR IGNORE INTO chat (conference, author, seq, body, crc, author_name) VALUES (?,?,?,?,?,?)");
        ack = db.prepareStatement("UPDATE chat SET acked=1 WHERE conference=? AND author=? AND seq<=? AND acked=0");
    }

    /**
     * Opens (creating) {@code HOME/convene.db}, migrates it to {@link #SCHEMA_VERSION} and checks that it belongs
     * to {@code selfId} (a store from before owners were recorded is claimed by its first opener).
     *
     * @throws HomeOwnerException if the store belongs to another identity
     * @throws StoreException if it cannot be opened, or was written by a newer version
     */
    static SqliteStore open(Path home, String selfId) {
        Path file = home.resolve("convene.db");
        SqliteStore store = null;
        try {
            Files.createDirectories(home);
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(file);
                }
            }
            store = new SqliteStore(DriverManager.getConnection("jdbc:sqlite:" + file), file);
            store.selfId = selfId;
            store.migrate();
            String owner = store.claimOwner(selfId);
            if (!owner.equals(selfId)) {
                throw new HomeOwnerException(home, new PeerId(owner), new PeerId(selfId));
            }
            return store;
        } catch (IOException | SQLException e) {
            if (store != null) store.close();
            throw new StoreException(file, e);
        } catch (RuntimeException e) {
            if (store != null) store.close();
            throw e;
        }
    }

    private void migrate() throws SQLException {
        int version;
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
            version = r.next() ? r.getInt(1) : 0;
        }
        if (version > SCHEMA_VERSION) {
            throw new SQLException("schema version " + version + " is newer than this library's " + SCHEMA_VERSION);
        }
        if (version < 1) {
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("PRAGMA user_version=1");
            }
            log.debug("store {} migrated from schema {} to 1", file, version);
        }
        if (version < 2) {
            Path old = file.resolveSibling(KNOWN_PEERS_FILE);
            List<HostPort> imported = readKnownPeersFile(old);
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS known_address (host TEXT NOT NULL, port INTEGER NOT NULL,"
                        + " rank INTEGER NOT NULL, PRIMARY KEY (host, port))");
                insertAddresses(imported);
                s.execute("PRAGMA user_version=2");
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                log.warn("cannot delete {} (its addresses are now in the store): {}", old, e.getMessage());
            }
            log.debug("store {} migrated to schema 2 ({} known addresses imported)", file, imported.size());
        }
    }

    /**
     * The addresses in a {@code known-peers} file of schema 1 (one {@code host:port} a line, most recent first,
     * {@code #} comments): at most {@link AddressCache#MAX} and the first {@value #KNOWN_PEERS_FILE_MAX_BYTES}
     * bytes; bad lines are skipped, a missing or unreadable file gives none.
     */
    static List<HostPort> readKnownPeersFile(Path old) {
        List<HostPort> out = new ArrayList<>();
        if (!Files.isRegularFile(old)) return out;
        byte[] bytes;
        try (InputStream in = Files.newInputStream(old)) {
            bytes = in.readNBytes(KNOWN_PEERS_FILE_MAX_BYTES);
        } catch (IOException e) {
            log.warn("cannot read {}: {}", old, e.getMessage());
            return out;
        }
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            try {
                HostPort hp = HostPort.parse(t);
                if (!out.contains(hp)) out.add(hp);
            } catch (IllegalArgumentException e) {
                log.debug("skipping a bad line in {}", old);
            }
            if (out.size() >= AddressCache.MAX) break;
        }
        return out;
    }

    /** Records {@code selfId} as the owner unless there is one already; returns the owner. */
    private String claimOwner(String selfId) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("INSERT OR IGNORE INTO meta (key, value) VALUES ('owner', ?)")) {
            q.setString(1, selfId);
            q.executeUpdate();
        }
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key='owner'")) {
            if (!r.next()) throw new SQLException("no owner recorded");
            return r.getString(1);
        }
    }

    /** The schema version of the open store. */
    int schemaVersion() {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
            return r.next() ? r.getInt(1) : 0;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private final Path file;
    private String selfId;

    private long metaBytes;

    @Override
    public synchronized void saveConference(ConferenceId id, SavedConference c, Map<String, byte[]> changedRecords) {
        observe("saveConference");
        try {
            db.setAutoCommit(false);
            try (PreparedStatement rec = db.prepareStatement("INSERT INTO meta_record (conference, key, bytes) VALUES (?,?,?)"
                    + " ON CONFLICT(conference, key) DO UPDATE SET bytes=excluded.bytes")) {
                long bytes = 0;
                if (c != null) {
                    upsertConference.setString(1, c.id().value());
                    upsertConference.setBytes(2, c.meta());
                    upsertConference.setBytes(3, encodeKeys(c.keys()));
                    upsertConference.setInt(4, c.currentEpoch());
                    upsertConference.setLong(5, c.ownSequence());
                    upsertConference.executeUpdate();
                    bytes += c.meta().length;
                }
                for (var e : changedRecords.entrySet()) {
                    rec.setString(1, id.value());
                    rec.setString(2, e.getKey());
                    rec.setBytes(3, e.getValue());
                    rec.addBatch();
                    bytes += e.getValue().length;
                }
                if (!changedRecords.isEmpty()) rec.executeBatch();
                db.commit();
                metaBytes += bytes;
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Metadata rows of conferences, each replacing the row of its key; inside the caller's transaction. */
    private void upsertRecords(Map<ConferenceId, Map<String, byte[]>> records) throws SQLException {
        try (PreparedStatement rec = db.prepareStatement("INSERT INTO meta_record (conference, key, bytes) VALUES (?,?,?)"
                + " ON CONFLICT(conference, key) DO UPDATE SET bytes=excluded.bytes")) {
            long bytes = 0;
            for (var c : records.entrySet()) {
                for (var e : c.getValue().entrySet()) {
                    rec.setString(1, c.getKey().value());
                    rec.setString(2, e.getKey());
                    rec.setBytes(3, e.getValue());
                    rec.addBatch();
                    bytes += e.getValue().length;
                }
            }
            rec.executeBatch();
            metaBytes += bytes;
        }
    }

    @Override
    public synchronized Map<String, byte[]> records(ConferenceId conference) {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        try (PreparedStatement q = db.prepareStatement("SELECT key, bytes FROM meta_record WHERE conference=? ORDER BY key")) {
            q.setString(1, conference.value());
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) out.put(r.getString(1), r.getBytes(2));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    @Override
    public synchronized long metaBytesWritten() {
        return metaBytes;
    }

    private static final dev.convene.overlay.wire.WireCodec<dev.convene.overlay.PeerAdvertisement> AD =
            dev.convene.overlay.internal.OverlayMessages.ADVERTISEMENT.codec();

    @Override
    public synchronized void saveBan(dev.convene.overlay.PeerId peer, boolean banned) {
        observe("saveBan");
        try (PreparedStatement q = db.prepareStatement(banned ? "INSERT OR IGNORE INTO ban (id) VALUES (?)" : "DELETE FROM ban WHERE id=?")) {
            q.setString(1, peer.value());
            q.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized java.util.Set<dev.convene.overlay.PeerId> bans() {
        java.util.Set<dev.convene.overlay.PeerId> out = new java.util.HashSet<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM ban")) {
            while (r.next()) {
                try {
                    out.add(dev.convene.overlay.PeerId.parse(r.getString(1)));
                } catch (IllegalArgumentException e) {
                    corrupt++;
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    @Override
    public synchronized void savePeer(dev.convene.overlay.PeerAdvertisement peer) {
        observe("savePeer");
        try (PreparedStatement q = db.prepareStatement("INSERT INTO peer (id, ad, seen_at) VALUES (?,?,?)"
                + " ON CONFLICT(id) DO UPDATE SET ad=excluded.ad, seen_at=excluded.seen_at")) {
            q.setString(1, peer.id().value());
            q.setBytes(2, WireBytes.encode(AD, peer, 4096));
            q.setLong(3, System.currentTimeMillis());
            q.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized List<HostPort> addresses() {
        List<HostPort> out = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT host, port FROM known_address ORDER BY rank DESC LIMIT " + AddressCache.MAX)) {
            while (r.next()) {
                try {
                    out.add(new HostPort(r.getString(1), r.getInt(2)));
                } catch (RuntimeException e) {
                    corrupt++;
                    log.warn("skipping a corrupt known_address row: {}", e.getMessage());
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    @Override
    public synchronized void rememberAddresses(List<HostPort> seen) {
        observe("rememberAddresses");
        if (seen.isEmpty()) return;
        try {
            db.setAutoCommit(false);
            try {
                insertAddresses(seen);
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Ranks {@code seen} above every address stored, first highest, and keeps the {@link AddressCache#MAX} best. */
    private void insertAddresses(List<HostPort> seen) throws SQLException {
        if (seen.isEmpty()) return;
        long top;
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT COALESCE(MAX(rank), 0) FROM known_address")) {
            top = r.next() ? r.getLong(1) : 0;
        }
        List<HostPort> distinct = seen.stream().distinct().limit(AddressCache.MAX).toList();
        try (PreparedStatement q = db.prepareStatement("INSERT INTO known_address (host, port, rank) VALUES (?,?,?)"
                + " ON CONFLICT(host, port) DO UPDATE SET rank=excluded.rank")) {
            for (int i = 0; i < distinct.size(); i++) {
                q.setString(1, distinct.get(i).host());
                q.setInt(2, distinct.get(i).port());
                q.setLong(3, top + distinct.size() - i);
                q.addBatch();
            }
            q.executeBatch();
        }
        try (PreparedStatement q = db.prepareStatement("DELETE FROM known_address WHERE rowid NOT IN"
                + " (SELECT rowid FROM known_address ORDER BY rank DESC LIMIT ?)")) {
            q.setInt(1, AddressCache.MAX);
            q.executeUpdate();
        }
    }

    @Override
    public synchronized List<dev.convene.overlay.PeerAdvertisement> peers() {
        List<dev.convene.overlay.PeerAdvertisement> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT id, ad FROM peer ORDER BY seen_at DESC LIMIT 10000")) {
            while (r.next()) {
                try {
                    out.add(WireBytes.decode(AD, r.getBytes(2)));
                } catch (RuntimeException e) {
                    corrupt++;
                    log.warn("skipping a corrupt peer row {}: {}", r.getString(1), e.getMessage());
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    @Override
    public synchronized boolean saveChat(ChatMessage m, String authorName) {
        observe("saveChat");
        try {
            bindChat(m, authorName);
            return insertChat.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void bindChat(ChatMessage m, String authorName) throws SQLException {
        byte[] bytes = Protocol.bytes(Protocol.CHAT, m);
        insertChat.setString(1, m.conference().value());
        insertChat.setString(2, m.author().value());
        insertChat.setLong(3, m.sequence());
        insertChat.setBytes(4, bytes);
        insertChat.setLong(5, crc(bytes));
        insertChat.setString(6, authorName);
    }

    @Override
    public void saveChats(List<SavedChat> rows, Map<ConferenceId, Long> ownAcknowledged) {
        saveBatch(rows, ownAcknowledged, Map.of());
    }

    @Override
    public synchronized void saveBatch(List<SavedChat> rows, Map<ConferenceId, Long> ownAcknowledged,
                                       Map<ConferenceId, Map<String, byte[]>> records) {
        observe(records.isEmpty() ? "saveChats" : "saveChats+records");
        try {
            db.setAutoCommit(false);
            try {
                if (!records.isEmpty()) upsertRecords(records);
                for (SavedChat r : rows) {
                    bindChat(r.message(), r.authorName());
                    insertChat.executeUpdate();
                }
                for (var e : ownAcknowledged.entrySet()) {
                    ack.setString(1, e.getKey().value());
                    ack.setString(2, selfId);
                    ack.setLong(3, e.getValue());
                    ack.executeUpdate();
                }
                db.commit();
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized void eraseChat(ConferenceId conference, dev.convene.overlay.PeerId author, java.util.Collection<Long> sequences) {
        observe("eraseChat");
        if (sequences.isEmpty()) return;
        try (PreparedStatement q = db.prepareStatement("DELETE FROM chat WHERE conference=? AND author=? AND seq=?")) {
            db.setAutoCommit(false);
            try {
                for (long seq : sequences) {
                    q.setString(1, conference.value());
                    q.setString(2, author.value());
                    q.setLong(3, seq);
                    q.executeUpdate();
                }
                db.commit();
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
            // The write-ahead log still holds the pages as they were: copied back and emptied now.
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized void markAcknowledged(ConferenceId conference, long sequence) {
        observe("markAcknowledged");
        try {
            ack.setString(1, conference.value());
            ack.setString(2, selfId);
            ack.setLong(3, sequence);
            ack.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized List<SavedConference> conferences() {
        List<SavedConference> out = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT id, meta, keys, epoch, own_seq FROM conference")) {
            while (r.next()) {
                try {
                    out.add(new SavedConference(ConferenceId.parse(r.getString(1)), r.getBytes(2), decodeKeys(r.getBytes(3)),
                            r.getInt(4), r.getLong(5)));
                } catch (RuntimeException e) {
                    corrupt++;
                    bad.add(r.getString(1));
                    log.warn("setting aside a corrupt conference row: {}", e.getMessage());
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        for (String id : bad) moveToQuarantine(id, "corrupt row");
        return out;
    }

    @Override
    public synchronized void quarantine(ConferenceId conference, byte[] meta, String reason) {
        observe("quarantine");
        moveToQuarantine(conference.value(), reason);
    }

    /** Copies the row (as it is, whatever it holds) to the quarantine and deletes it, in one transaction. */
    private void moveToQuarantine(String id, String reason) {
        try {
            db.setAutoCommit(false);
            try (PreparedStatement copy = db.prepareStatement("INSERT INTO quarantine (id, meta, reason, at) SELECT id, meta, ?, ?"
                    + " FROM conference WHERE id IS ?");
                 PreparedStatement delete = db.prepareStatement("DELETE FROM conference WHERE id IS ?")) {
                copy.setString(1, reason.length() > 500 ? reason.substring(0, 500) : reason);
                copy.setLong(2, System.currentTimeMillis());
                copy.setString(3, id);
                copy.executeUpdate();
                delete.setString(1, id);
                delete.executeUpdate();
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized long quarantined() {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM quarantine")) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized List<SavedChat> chat(ConferenceId conference) {
        List<SavedChat> out = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT body, crc, author_name, acked, author, seq FROM chat WHERE conference=?"
                + " ORDER BY author, seq")) {
            q.setString(1, conference.value());
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    byte[] body = r.getBytes(1);
                    if (body == null || crc(body) != r.getLong(2)) {
                        corrupt++;
                        log.warn("skipping chat row {}:{} of {}: checksum mismatch", r.getString(5), r.getLong(6), conference.shortId());
                        continue;
                    }
                    try {
                        ChatMessage m = WireBytes.decode(Protocol.STORED_CHAT, body);
                        if (!m.conference().equals(conference) || !m.author().value().equals(r.getString(5)) || m.sequence() != r.getLong(6)) {
                            throw new WireFormatException("row key does not match its message");
                        }
                        out.add(new SavedChat(m, r.getString(3), r.getInt(4) == 1));
                    } catch (WireFormatException e) {
                        corrupt++;
                        log.warn("skipping chat row of {}: {}", conference.shortId(), e.getMessage());
                    }
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    @Override
    public synchronized long corruptRows() {
        return corrupt;
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            log.debug("closing the store: {}", e.getMessage());
        }
    }

    private static long crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return c.getValue();
    }

    private static byte[] encodeKeys(Map<Integer, byte[]> keys) {
        ByteBuffer b = ByteBuffer.allocate(4 + keys.size() * (4 + ContentCrypto.KEY_LENGTH));
        b.putInt(keys.size());
        keys.forEach((epoch, key) -> b.putInt(epoch).put(key));
        return b.array();
    }

    private static Map<Integer, byte[]> decodeKeys(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int n = b.getInt();
        if (n < 0 || n > 10_000 || bytes.length != 4 + n * (4 + ContentCrypto.KEY_LENGTH)) throw new IllegalArgumentException("bad key blob");
        Map<Integer, byte[]> keys = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int epoch = b.getInt();
            byte[] k = new byte[ContentCrypto.KEY_LENGTH];
            b.get(k);
            keys.put(epoch, k);
        }
        return keys;
    }

    private StoreException failure(SQLException e) {
        return new StoreException(file, e);
    }
}
