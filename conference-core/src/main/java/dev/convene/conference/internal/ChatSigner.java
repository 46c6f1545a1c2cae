package dev.convene.conference.internal;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.PeerId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's own posts, signed together (group commit): a post is encrypted and shown at once but waits, unsigned,
 * until the posts queued on the engine thread before the flush this post scheduled have run; then all posts of a
 * conference waiting are signed with one signature ({@link BatchSignature}; a single post is signed alone, exactly
 * as before batches), stored in one transaction and sent in one frame ({@link ChatPosts}, or a plain chat frame for
 * one). An idle peer adds no delay: its flush runs right after the post. Bounded: at most
 * {@link BatchSignature#MAX_MESSAGES} posts and {@link BatchSignature#MAX_BYTES} bytes in a batch; a post that
 * would go beyond flushes what waits first.
 *
 * <p>An unsigned post is never sent: whatever sends this peer's held messages ({@link HistorySync}, a leave) calls
 * {@link #flush()} first. Engine thread. Without an engine thread (parts driven directly in tests) every post is
 * signed, stored and sent at once.
 */
final class ChatSigner {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);

    /** A post waiting for its batch's signature. */
    private record Pending(Conference c, ChatMessage unsigned, CompletableFuture<Void> sent) {
    }

    private final EngineState s;
    private final Map<ConferenceId, List<Pending>> pending = new LinkedHashMap<>();
    private final Map<ConferenceId, Integer> pendingBytes = new LinkedHashMap<>();
    private boolean flushQueued;
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
    private long batches;
    private long signed;

    ChatSigner(EngineState s) {
        this.s = s;
    }

    /**
     * Queues an own post (signature empty) of {@code c}, already held in {@code c.chat} and shown; returns a future
     * completed once it is signed, stored and sent (failed if storing failed). Engine thread.
     */
    CompletableFuture<Void> add(Conference c, ChatMessage unsigned) {
        int bytes = unsigned.body().length + ChatWriter.ROW_OVERHEAD + BatchSignature.MAX_STEPS * BatchSignature.STEP;
        List<Pending> list = pending.get(c.id);
        if (list != null && (list.size() >= BatchSignature.MAX_MESSAGES || pendingBytes.get(c.id) + bytes > BatchSignature.MAX_BYTES)) {
            flush(c.id);
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        pending.computeIfAbsent(c.id, k -> new ArrayList<>()).add(new Pending(c, unsigned, sent));
        pendingBytes.merge(c.id, bytes, Integer::sum);
        last = sent;
        if (s.events == null) {
            flush();
        } else if (!flushQueued) {
            flushQueued = true;
            try {
                s.events.execute(() -> {
                    flushQueued = false;
                    flush();
                });
            } catch (RejectedExecutionException e) {
                flushQueued = false;
                flush(); // the engine thread is closing: sign and store now rather than lose the post
            }
        }
        return sent;
    }

    /** The future of the post queued last ({@link #add}). Engine thread. */
    CompletableFuture<Void> lastSent() {
        return last;
    }

    /** Signs, stores and sends every post waiting. Engine thread. */
    void flush() {
        for (ConferenceId id : List.copyOf(pending.keySet())) flush(id);
    }

    private void flush(ConferenceId id) {
        List<Pending> batch = pending.remove(id);
        pendingBytes.remove(id);
        if (batch == null || batch.isEmpty()) return;
        List<ChatMessage> out = new ArrayList<>(batch.size());
        if (batch.size() == 1) {
            ChatMessage m = batch.get(0).unsigned();
            out.add(m.signed(s.identity.sign(Protocol.bytes(Protocol.CHAT_BODY, m)), null));
        } else {
            List<ChatMessage> unsigned = new ArrayList<>(batch.size());
            for (Pending p : batch) unsigned.add(p.unsigned());
            BatchSignature.Signed tree = BatchSignature.build(unsigned);
            byte[] signature = s.identity.sign(BatchSignature.statement(tree.root()));
            for (int i = 0; i < unsigned.size(); i++) out.add(unsigned.get(i).signed(signature, tree.proofs().get(i)));
        }
        String name = s.overlay == null ? s.self.shortId() : s.overlay.config().name();
        List<ConferenceStore.SavedChat> rows = new ArrayList<>(out.size());
        for (ChatMessage m : out) rows.add(new ConferenceStore.SavedChat(m, name, false));
        try {
            // The own sequence needs no separate write: on restore it is the highest own message in the store.
            s.store.saveChats(rows, Map.of());
        } catch (RuntimeException e) {
            log.warn("{}: storing {} own posts failed: {}", s.label(), out.size(), e.toString());
            for (Pending p : batch) p.sent().completeExceptionally(e);
            return;
        }
        batches++;
        signed += out.size();
        Conference c = batch.get(0).c();
        for (int i = 0; i < out.size(); i++) {
            ChatMessage m = out.get(i);
            TreeMap<Long, ChatMessage> own = c.chat.get(s.self);
            // The held (shown) version becomes the signed one; anything else there (nothing should be) stays.
            if (own != null && own.get(m.sequence()) == batch.get(i).unsigned()) own.put(m.sequence(), m);
        }
        if (s.overlay != null && s.conferences.get(id) == c) {
            List<PeerId> to = s.onlineOthers(c.participants());
            if (!to.isEmpty()) {
                if (out.size() == 1) s.overlay.multicast(to, out.get(0));
                else s.overlay.multicast(to, new ChatPosts(id, out));
            }
        }
        for (Pending p : batch) p.sent().complete(null);
    }

    /** Signatures made for own posts (one per batch). */
    long batches() {
        return batches;
    }

    /** Own posts signed. */
    long signed() {
        return signed;
    }
}
