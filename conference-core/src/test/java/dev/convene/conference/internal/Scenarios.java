package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.NewConference;
import dev.convene.overlay.PeerId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Steps the attack tests share: a live conference with honest and hostile participants, and what a peer shows. */
final class Scenarios {
    private static final AtomicInteger PROBES = new AtomicInteger();

    /** A peer's engine (not API; this package's tests reach in). */
    static ConferenceEngine engineOf(ConferencePeer p) throws ReflectiveOperationException {
        var f = ConferencePeer.class.getDeclaredField("engine");
        f.setAccessible(true);
        return (ConferenceEngine) f.get(p);
    }

    /** A peer's persistence thread's writer. */
    static ChatWriter writerOf(ConferencePeer p) throws ReflectiveOperationException {
        return engineOf(p).writerForTest();
    }

    private Scenarios() {
    }

    /**
     * Creates a live conference, has every honest invitee and every hostile peer accept, and waits until every
     * honest peer sees all of them as participants.
     */
    static ConferenceId live(String title, ConferencePeer organiser, List<ConferencePeer> invitees, List<HostilePeer> hostile) {
        List<ConferencePeer> all = new ArrayList<>(invitees);
        all.add(organiser);
        for (HostilePeer h : hostile) h.awaitSeenBy(all);
        List<PeerId> ids = Stream.concat(invitees.stream().map(ConferencePeer::self), hostile.stream().map(HostilePeer::id)).toList();
        ConferenceId id = organiser.create(NewConference.titled(title).invite(ids)).join().id();
        for (ConferencePeer p : invitees) {
            await(() -> p.invitations().stream().anyMatch(v -> v.id().equals(id)), () -> p.name() + " has no invitation to " + title);
            p.accept(id).join();
        }
        List<ConferencePeer> honest = new ArrayList<>(invitees);
        honest.add(0, organiser);
        for (HostilePeer h : hostile) h.accept(id, honest);
        Set<PeerId> everyone = new HashSet<>(ids);
        everyone.add(organiser.self());
        for (ConferencePeer p : honest) {
            await(() -> p.conference(id).map(v -> v.participants().equals(everyone)).orElse(false),
                    () -> p.name() + " sees " + p.conference(id).map(ConferenceView::participants));
        }
        return id;
    }

    /** What a peer shows: its conferences and each one's history (author/sequence and text, in order). */
    record Shown(List<ConferenceView> conferences, Map<ConferenceId, List<String>> histories) {
        static Shown by(ConferencePeer p) {
            Map<ConferenceId, List<String>> histories = new LinkedHashMap<>();
            for (ConferenceView v : p.conferences()) histories.put(v.id(), lines(p, v.id()));
            return new Shown(p.conferences(), histories);
        }
    }

    /** A history as {@code author/sequence text} lines. */
    static List<String> lines(ConferencePeer p, ConferenceId id) {
        return p.history(id).stream().map(e -> e.id() + " " + e.text()).toList();
    }

    static List<String> texts(ConferencePeer p, ConferenceId id) {
        return p.history(id).stream().map(ChatEntry::text).toList();
    }

    static void awaitText(ConferencePeer p, ConferenceId id, String text) {
        await(() -> texts(p, id).contains(text), () -> p.name() + " never showed '" + text + "': " + texts(p, id));
    }

    /** The victim still takes part: what it says is acknowledged and reaches {@code other}, and the other way round. */
    static void stillChats(ConferencePeer victim, ConferenceId id, ConferencePeer other) throws Exception {
        String out = victim.name() + " is still here " + PROBES.incrementAndGet();
        String in = other.name() + " hears you " + PROBES.incrementAndGet();
        victim.say(id, out).join().acknowledged().get(30, TimeUnit.SECONDS);
        awaitText(other, id, out);
        other.say(id, in).join();
        awaitText(victim, id, in);
    }

    /** Waits until a peer's REJECTED count reaches {@code atLeast}. */
    static void awaitRejected(ConferencePeer p, long atLeast) {
        await(() -> HostilePeer.rejected(p) >= atLeast, () -> p.name() + " rejected " + HostilePeer.rejected(p) + " (expected: >= " + atLeast + ")");
    }
}
