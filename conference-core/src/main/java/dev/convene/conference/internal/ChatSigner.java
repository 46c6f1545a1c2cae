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
 * as before batches) and stored by the persistence thread ({@link ChatWriter#offerOwnToSign}: signed there, then
 * written in one transaction with what else waits) and, once committed, sent from the engine thread in one frame
 * ({@link ChatPosts}, or a plain chat frame for one). One batch per conference is under way at a time: posts made
 * meanwhile form the next. An idle peer adds no delay: its flush runs right after the post. Bounded: at most
 * {@link BatchSignature#MAX_MESSAGES} posts and {@link BatchSignature#MAX_BYTES} bytes in a batch; the oldest
 * posts waiting go first, the rest with the next batch.
 *
 * <p>An unsigned post is never sent: whatever sends this peer's held messages ({@link HistorySync}, a leave) skips
 * them ({@link #unsigned}); they go live once signed. Engine thread. Without an engine thread, pool or persistence
 * thread (parts driven directly in tests) a post is signed, stored and sent at once.
 */
final class ChatSigner {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);

    /** A post waiting for its batch's signature. */
    private record Pending(Conference c, ChatMessage unsigned, CompletableFuture<Void> sent) {
    }

    private final EngineState s;
    private final Map<ConferenceId, java.util.ArrayDeque<Pending>> pending = new LinkedHashMap<>();
    private final java.util.Set<ConferenceId> inFlight = new java.util.HashSet<>();
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
        CompletableFuture<Void> sent = new CompletableFuture<>();
        pending.computeIfAbsent(c.id, k -> new java.util.ArrayDeque<>()).add(new Pending(c, unsigned, sent));
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
        if (inFlight.contains(id)) return; // the batch under way flushes what waits once it is sent
        java.util.ArrayDeque<Pending> waiting = pending.get(id);
        if (waiting == null) return;
        // The oldest posts, as many as one batch holds.
        List<Pending> batch = new ArrayList<>();
        int bytes = 0;
        while (!waiting.isEmpty() && batch.size() < BatchSignature.MAX_MESSAGES) {
            int size = bytes(waiting.peek().unsigned());
            if (!batch.isEmpty() && bytes + size > BatchSignature.MAX_BYTES) break;
            batch.add(waiting.poll());
            bytes += size;
        }
        if (waiting.isEmpty()) pending.remove(id);
        if (batch.isEmpty()) return;
        inFlight.add(id);
        List<ChatMessage> unsigned = new ArrayList<>(batch.size());
        for (Pending p : batch) unsigned.add(p.unsigned());
        // Signed and stored by the persistence thread in one step, then sent from the engine thread: one hand-off each
        // way, where signing on the pool cost two more (engine → pool → engine) before the row could be queued. Posts
        // made meanwhile wait for the next batch (group commit). The own sequence needs no separate write: on restore
        // it is the highest own message in the store.
        String name = s.overlay == null ? s.self.shortId() : s.overlay.config().name();
        s.writer.offerOwnToSign(() -> sign(unsigned), name, out -> sent(id, batch, out), e -> failed(id, batch, e));
    }

    /** The posts of one batch signed: alone for one, over their tree's root for more. Any thread (the persistence thread's). */
    private List<ChatMessage> sign(List<ChatMessage> unsigned) {
        List<ChatMessage> out = new ArrayList<>(unsigned.size());
        if (unsigned.size() == 1) {
            ChatMessage m = unsigned.get(0);
            out.add(m.signed(s.identity.sign(Protocol.bytes(Protocol.CHAT_BODY, m)), null));
        } else {
            BatchSignature.Signed tree = BatchSignature.build(unsigned);
            byte[] signature = s.identity.sign(BatchSignature.statement(tree.root()));
            for (int i = 0; i < unsigned.size(); i++) out.add(unsigned.get(i).signed(signature, tree.proofs().get(i)));
        }
        return out;
    }

    /** A batch committed: held signed, sent, its futures completed; what waited meanwhile is flushed. Engine thread. */
    private void sent(ConferenceId id, List<Pending> batch, List<ChatMessage> out) {
        batches++;
        signed += out.size();
        Conference c = batch.get(0).c();
        TreeMap<Long, ChatMessage> own = c.chat.get(s.self);
        for (int i = 0; i < out.size(); i++) {
            ChatMessage m = out.get(i);
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
        inFlight.remove(id);
        flush(id);
    }

    private void failed(ConferenceId id, List<Pending> batch, RuntimeException e) {
        log.warn("{}: storing {} own posts failed: {}", s.label(), batch.size(), e.toString());
        for (Pending p : batch) p.sent().completeExceptionally(e);
        inFlight.remove(id);
        flush(id);
    }

    /** What a post counts against a batch's bytes: its row and the longest path. */
    private static int bytes(ChatMessage m) {
        return m.body().length + ChatWriter.ROW_OVERHEAD + BatchSignature.MAX_STEPS * BatchSignature.STEP;
    }

    /** Whether an own post is held unsigned (waiting for its batch): it must not be sent. */
    static boolean unsigned(ChatMessage m) {
        return m.signature().length == 0;
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
