package dev.convene.conference.internal;

import dev.convene.conference.ConferenceId;
import java.util.List;
import java.util.Map;

/**
 * Where a peer keeps what it must not lose: each conference's metadata (signed context, invitations,
 * replies, end) with its content keys and this peer's own sequence, and every chat message it stored.
 * Each instance is used from one thread: the engine thread's, and a second one opened on the same file by the
 * persistence thread ({@link ChatWriter}). A write returns once it is durable against a crash of the process.
 */
interface ConferenceStore extends AutoCloseable {
    /** A conference as saved. */
    record SavedConference(ConferenceId id, byte[] meta, Map<Integer, byte[]> keys, int currentEpoch, long ownSequence) {
    }

    /** A chat message as saved, with the author name seen on receipt and whether an own message was acknowledged. */
    record SavedChat(ChatMessage message, String authorName, boolean acknowledged) {
    }

    /**
     * Saves a conference's head (context and end, keys, epoch, own sequence) if given (it changed) and the
     * metadata rows that changed ({@link MetaRecords}), in one transaction.
     */
    void saveConference(ConferenceId id, SavedConference headOrNull, Map<String, byte[]> changedRecords);

    /** A conference's metadata rows by key. */
    Map<String, byte[]> records(ConferenceId conference);

    /** Bytes of metadata (heads and rows) written since open: what write amplification is measured by. */
    long metaBytesWritten();

    /** Adds or removes a ban. */
    void saveBan(dev.convene.overlay.PeerId peer, boolean banned);

    /** The banned peers. */
    java.util.Set<dev.convene.overlay.PeerId> bans();

    /** Remembers a verified peer advertisement (the directory cache). */
    void savePeer(dev.convene.overlay.PeerAdvertisement peer);

    /** Every remembered advertisement. */
    List<dev.convene.overlay.PeerAdvertisement> peers();

    /** The discovery cache: addresses of peers seen, most recent first, at most {@code AddressCache.MAX}. */
    List<dev.convene.overlay.HostPort> addresses();

    /** Puts {@code seen} first in the discovery cache and keeps at most {@code AddressCache.MAX}. */
    void rememberAddresses(List<dev.convene.overlay.HostPort> seen);

    /** Stores a message unless already there; true if it was new. */
    boolean saveChat(ChatMessage message, String authorName);

    /** Marks this peer's own messages up to {@code sequence} as acknowledged. */
    void markAcknowledged(ConferenceId conference, long sequence);

    /**
     * Stores messages (each unless already there) and marks own messages acknowledged up to a sequence per
     * conference, all in one transaction: after it returns, all of it is durable; after it throws, none of it.
     */
    void saveChats(List<SavedChat> rows, Map<ConferenceId, Long> ownAcknowledged);

    /**
     * As {@link #saveChats}, and metadata rows of conferences (each replacing the stored row of its key, as
     * {@link #saveConference} with no head) in the same transaction. This default writes them one after the other.
     */
    default void saveBatch(List<SavedChat> rows, Map<ConferenceId, Long> ownAcknowledged, Map<ConferenceId, Map<String, byte[]>> records) {
        saveChats(rows, ownAcknowledged);
        records.forEach((id, r) -> saveConference(id, null, r));
    }

    List<SavedConference> conferences();

    /**
     * Erases messages for good (their author deleted them, docs/EVENTS.md "Edits and deletes"): their rows are
     * deleted and their bytes overwritten in the file. Nothing happens for rows not there.
     *
     * @param conference the conference
     * @param author the messages' author
     * @param sequences their sequences
     */
    default void eraseChat(ConferenceId conference, dev.convene.overlay.PeerId author, java.util.Collection<Long> sequences) {
    }

    /** A conference's messages; rows that fail their checksum are skipped and counted, never returned. */
    List<SavedChat> chat(ConferenceId conference);

    /** Rows found corrupt while loading. */
    long corruptRows();

    /**
     * Sets a stored conference aside: its row moves to the quarantine (kept for inspection, never loaded
     * again) and its chat rows stay where they are, unread. Used when a conference cannot be loaded.
     */
    void quarantine(ConferenceId conference, byte[] meta, String reason);

    /** How many conferences the quarantine holds. */
    long quarantined();

    @Override
    void close();

    /** A store that keeps nothing: for peers without a home directory. */
    static ConferenceStore none() {
        return new ConferenceStore() {
            public void saveConference(ConferenceId id, SavedConference c, Map<String, byte[]> records) {
            }

            public Map<String, byte[]> records(ConferenceId c) {
                return Map.of();
            }

            public long metaBytesWritten() {
                return 0;
            }

            public void savePeer(dev.convene.overlay.PeerAdvertisement p) {
            }

            public void saveBan(dev.convene.overlay.PeerId p, boolean b) {
            }

            public java.util.Set<dev.convene.overlay.PeerId> bans() {
                return java.util.Set.of();
            }

            public List<dev.convene.overlay.PeerAdvertisement> peers() {
                return List.of();
            }

            public List<dev.convene.overlay.HostPort> addresses() {
                return List.of();
            }

            public void rememberAddresses(List<dev.convene.overlay.HostPort> seen) {
            }

            public boolean saveChat(ChatMessage m, String name) {
                return true;
            }

            public void markAcknowledged(ConferenceId c, long s) {
            }

            public void saveChats(List<SavedChat> rows, Map<ConferenceId, Long> acked) {
            }

            public List<SavedConference> conferences() {
                return List.of();
            }

            public List<SavedChat> chat(ConferenceId c) {
                return List.of();
            }

            public long corruptRows() {
                return 0;
            }

            public void quarantine(ConferenceId c, byte[] meta, String reason) {
            }

            public long quarantined() {
                return 0;
            }

            public void close() {
            }
        };
    }
}
