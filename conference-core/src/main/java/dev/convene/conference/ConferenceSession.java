package dev.convene.conference;

import dev.convene.overlay.PeerId;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One conference as an object, like Smack's {@code MultiUserChat}: its view, chat, history, participants and a
 * listener that hears only its events. Obtained from {@link ConferencePeer#session(ConferenceId)}; a thin handle
 * over the peer, so it follows the peer's lifecycle and threading rules (after the peer closes, every call fails
 * with {@link PeerClosedException}). Thread-safe.
 *
 * <pre>{@code
 * ConferenceSession review = alice.session(alice.create(NewConference.titled("Review").invite(bob)).join().id());
 * review.addListener(new ConferenceListener() {
 *     public void message(ChatEntry m) { show(m); }
 * });
 * review.say("hello").join();
 * List<ChatEntry> last20 = review.historyBefore(null, 20);
 * }</pre>
 */
public final class ConferenceSession {
    private final ConferencePeer peer;
    private final ConferenceId id;
    private final List<Filtered> listeners = new CopyOnWriteArrayList<>();

    ConferenceSession(ConferencePeer peer, ConferenceId id) {
        this.peer = peer;
        this.id = id;
    }

    /**
     * The conference's id.
     *
     * @return the id
     */
    public ConferenceId id() {
        return id;
    }

    /**
     * The conference as this peer knows it now.
     *
     * @return a snapshot
     * @throws ConferenceNotFoundException if this peer no longer knows it
     * @throws PeerClosedException after the peer closed
     */
    public ConferenceView view() {
        return peer.conference(id).orElseThrow(() -> new ConferenceNotFoundException(id));
    }

    /**
     * Its state by this peer's clock.
     *
     * @return the state
     */
    public ConferenceState state() {
        return view().state();
    }

    /**
     * Who takes part now (accepted and not left or removed), the organiser included.
     *
     * @return the participants
     */
    public Set<PeerId> participants() {
        return view().participants();
    }

    /**
     * Posts a chat message; see {@link ConferencePeer#say}.
     *
     * @param text the message
     * @return a future of the post
     */
    public CompletableFuture<Post> say(String text) {
        return peer.say(id, text);
    }

    /**
     * Posts a message here that mentions participants (see {@link ConferencePeer#say(ConferenceId, String, java.util.Collection)}).
     *
     * @param text the message
     * @param mentions the peers mentioned, at most 16
     * @return a future of the post
     */
    public CompletableFuture<Post> say(String text, java.util.Collection<PeerId> mentions) {
        return peer.say(id, text, mentions);
    }

    /**
     * Edits an own message here (see {@link ConferencePeer#edit}).
     *
     * @param message an own chat message shown here
     * @param text the new text
     * @return a future of the post, its entry the message as edited
     */
    public CompletableFuture<Post> edit(MessageId message, String text) {
        return peer.edit(id, message, text);
    }

    /**
     * Deletes an own message here (see {@link ConferencePeer#delete}).
     *
     * @param message an own chat message shown here
     * @return a future of the post, its entry the message's tombstone
     */
    public CompletableFuture<Post> delete(MessageId message) {
        return peer.delete(id, message);
    }

    /**
     * Publishes a typed event here (see {@link ConferencePeer#publish}).
     *
     * @param type a type registered on the peer's builder
     * @param value the value
     * @param <T> the value type
     * @return a future of the published event
     */
    public <T> CompletableFuture<PublishedEvent<T>> publish(EventType<T> type, T value) {
        return peer.publish(id, type, value);
    }

    /**
     * The durable events of one type delivered here, in canonical order (see {@link ConferencePeer#events}).
     *
     * @param type a registered durable type
     * @param <T> the value type
     * @return the events
     */
    public <T> List<ConferenceEvent<T>> events(EventType<T> type) {
        return peer.events(id, type);
    }

    /**
     * The whole delivered history in canonical order; see {@link ConferencePeer#history(ConferenceId)}.
     *
     * @return the entries
     */
    public List<ChatEntry> history() {
        return peer.history(id);
    }

    /**
     * A page of history going back; see {@link ConferencePeer#historyBefore}.
     *
     * @param before the message the page ends before, or null for the newest page
     * @param limit the most entries, 1 or more
     * @return up to {@code limit} entries, oldest first
     */
    public List<ChatEntry> historyBefore(MessageId before, int limit) {
        return peer.historyBefore(id, before, limit);
    }

    /**
     * A page of history going forward; see {@link ConferencePeer#historyAfter}.
     *
     * @param after the message the page starts after, or null for the oldest page
     * @param limit the most entries, 1 or more
     * @return up to {@code limit} entries, oldest first
     */
    public List<ChatEntry> historyAfter(MessageId after, int limit) {
        return peer.historyAfter(id, after, limit);
    }

    /**
     * Accepts the invitation; see {@link ConferencePeer#accept}.
     *
     * @return a future of the new view
     */
    public CompletableFuture<ConferenceView> accept() {
        return peer.accept(id);
    }

    /**
     * Declines the invitation; see {@link ConferencePeer#decline}.
     *
     * @param reason why, may be empty
     * @return a future of the new view
     */
    public CompletableFuture<ConferenceView> decline(String reason) {
        return peer.decline(id, reason);
    }

    /**
     * Leaves; see {@link ConferencePeer#leave}.
     *
     * @return a future of the new view
     */
    public CompletableFuture<ConferenceView> leave() {
        return peer.leave(id);
    }

    /**
     * Invites more peers; see {@link ConferencePeer#invite}.
     *
     * @param peers who to invite
     * @return a future of the new view
     */
    public CompletableFuture<ConferenceView> invite(Collection<PeerId> peers) {
        return peer.invite(id, peers);
    }

    /**
     * Removes a member (organiser only); see {@link ConferencePeer#remove}.
     *
     * @param member who to remove
     * @return a future of the new view
     */
    public CompletableFuture<ConferenceView> remove(PeerId member) {
        return peer.remove(id, member);
    }

    /**
     * Changes the schedule (organiser or co-organiser); see {@link ConferencePeer#reschedule}.
     *
     * @param start the new start, or null to keep the one in effect
     * @param duration the new duration, or null to keep the one in effect
     * @return a future of the new view
     */
    public CompletableFuture<ConferenceView> reschedule(java.time.Instant start, java.time.Duration duration) {
        return peer.reschedule(id, start, duration);
    }

    /**
     * Ends the conference (organiser only); see {@link ConferencePeer#end}.
     *
     * @return a future of the new view
     */
    public CompletableFuture<ConferenceView> end() {
        return peer.end(id);
    }

    /**
     * Adds a listener that hears only this conference's events, on the peer's callback thread (see
     * {@link ConferenceListener} for the threading rules).
     *
     * @param listener the listener
     */
    public void addListener(ConferenceListener listener) {
        Filtered f = new Filtered(id, listener);
        listeners.add(f);
        peer.addListener(f);
    }

    /**
     * Removes a listener added here.
     *
     * @param listener the listener
     */
    public void removeListener(ConferenceListener listener) {
        for (Filtered f : listeners) {
            if (f.target == listener) {
                listeners.remove(f);
                peer.removeListener(f);
            }
        }
    }

    @Override
    public String toString() {
        return "ConferenceSession[" + id.shortId() + "]";
    }

    /** Passes on the events of one conference only. */
    private record Filtered(ConferenceId id, ConferenceListener target) implements ConferenceListener {
        @Override
        public void invitation(ConferenceView conference, PeerId inviter) {
            if (conference.id().equals(id)) target.invitation(conference, inviter);
        }

        @Override
        public void reply(ConferenceView conference, PeerId from, Answer answer, String reason) {
            if (conference.id().equals(id)) target.reply(conference, from, answer, reason);
        }

        @Override
        public void started(ConferenceView conference) {
            if (conference.id().equals(id)) target.started(conference);
        }

        @Override
        public void rescheduled(ConferenceView before, ConferenceView after) {
            if (after.id().equals(id)) target.rescheduled(before, after);
        }

        @Override
        public void ended(ConferenceView conference) {
            if (conference.id().equals(id)) target.ended(conference);
        }

        @Override
        public void message(ChatEntry message) {
            if (message.conference().equals(id)) target.message(message);
        }

        @Override
        public void delivered(ChatEntry message) {
            if (message.conference().equals(id)) target.delivered(message);
        }

        @Override
        public void deliveredToAll(ChatEntry message) {
            if (message.conference().equals(id)) target.deliveredToAll(message);
        }

        @Override
        public void retracted(ChatEntry message, String reason) {
            if (message.conference().equals(id)) target.retracted(message, reason);
        }

        @Override
        public void eventRetracted(ConferenceEvent<?> event, String reason) {
            if (event.conference().equals(id)) target.eventRetracted(event, reason);
        }

        @Override
        public void mentioned(ChatEntry message) {
            if (message.conference().equals(id)) target.mentioned(message);
        }

        @Override
        public void edited(ChatEntry latest) {
            if (latest.conference().equals(id)) target.edited(latest);
        }

        @Override
        public void deleted(ChatEntry tombstone) {
            if (tombstone.conference().equals(id)) target.deleted(tombstone);
        }

        @Override
        public void participantJoined(ConferenceView conference, PeerId peer, String reason) {
            if (conference.id().equals(id)) target.participantJoined(conference, peer, reason);
        }

        @Override
        public void participantLeft(ConferenceView conference, PeerId peer, String reason) {
            if (conference.id().equals(id)) target.participantLeft(conference, peer, reason);
        }
    }
}
