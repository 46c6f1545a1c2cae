package dev.convene.example;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.NewConference;
import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.PeerId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a collaboration tool writes around Convene: one object per user, meetings with colleagues, a live
 * transcript fed by the listener, automatic acceptance of invitations, and a clean shutdown.
 */
public final class TeamChat implements AutoCloseable {
    private final List<String> feed = new CopyOnWriteArrayList<>();
    private final ConferencePeer peer;

    private TeamChat(ConferencePeer.Builder builder) {
        this.peer = builder.listener(new ConferenceListener() {
            @Override
            public void invitation(ConferenceView conference, PeerId inviter) {
                feed.add("invited to " + conference.title());
                // Calling the peer from a conference callback, and waiting on the result, is allowed.
                peer.accept(conference.id()).join();
            }

            @Override
            public void message(ChatEntry message) {
                feed.add(message.authorName() + ": " + message.text());
            }
        }).start();
    }

    /**
     * Opens the user's workspace: keys and history live in {@code home}; peers meet on the in-memory network
     * {@code cluster} (a real tool would use {@code NetworkMode.LOCAL} or seeds).
     *
     * @throws dev.convene.conference.HomeLockedException if the workspace is open already
     */
    public static TeamChat open(String user, Path home, String cluster) {
        OverlayConfig config = OverlayConfig.builder(user).mode(NetworkMode.MEMORY).cluster(cluster).home(home).build();
        return new TeamChat(ConferencePeer.builder(config, Identity.loadOrCreate(home)));
    }

    /** The peer underneath, for what this wrapper does not cover. */
    public ConferencePeer peer() {
        return peer;
    }

    /** This user's id, to be invited by others. */
    public PeerId id() {
        return peer.self();
    }

    /** Waits (without polling) until the colleagues are online, then starts a meeting with them. */
    public CompletableFuture<ConferenceView> meet(String title, Duration length, Duration timeout, PeerId... colleagues) {
        CompletableFuture<?>[] online = new CompletableFuture<?>[colleagues.length];
        for (int i = 0; i < colleagues.length; i++) online[i] = peer.awaitOnline(colleagues[i], timeout);
        return CompletableFuture.allOf(online)
                .thenCompose(x -> peer.create(NewConference.titled(title).lasting(length).invite(colleagues)));
    }

    /** Posts a line; completes when another participant stored it. */
    public CompletableFuture<ChatEntry> say(ConferenceId meeting, String text) {
        return peer.say(meeting, text).thenCompose(post -> post.acknowledged());
    }

    /** The meeting's transcript, in the order every participant sees. */
    public List<String> transcript(ConferenceId meeting) {
        return peer.history(meeting).stream().map(e -> e.authorName() + ": " + e.text()).toList();
    }

    /** What the listener saw, in order. */
    public List<String> feed() {
        return List.copyOf(feed);
    }

    @Override
    public void close() {
        peer.close();
    }
}
