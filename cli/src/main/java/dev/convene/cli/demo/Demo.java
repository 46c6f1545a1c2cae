package dev.convene.cli.demo;

import dev.convene.cli.ExitCodes;
import dev.convene.cli.output.Event;
import dev.convene.cli.output.EventWriter;
import dev.convene.cli.session.PeerRuntime;
import dev.convene.conference.Answer;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.OverlayListener;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * {@code convene demo}: real peers in this JVM, on the {@code memory} network in a group of their own, go
 * through a list of {@link Step}s; each step checks what every peer actually saw and the demo passes only
 * if every step did. Nothing is simulated: the peers are full conference peers with their own keys, and
 * the checks read what each one stored and the events it received.
 *
 * <p>To extend the demo (conferences, invitations, chat), add steps to {@link DemoSteps#standard()}; a
 * step gets the {@link Cast} and returns the lines to show, or throws {@link StepFailed}.
 */
public final class Demo {
    public static final List<String> NAMES = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi");

    /** One act of the demo. */
    interface Step {
        String title(Cast cast);

        /**
         * Acts and checks.
         *
         * @return what each peer saw, one line each
         * @throws StepFailed if something did not happen as it must, with what was seen
         */
        List<String> run(Cast cast) throws StepFailed, InterruptedException;
    }

    /** A step's check failed: {@code details} say what each peer saw. */
    static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient List<String> details;

        StepFailed(String message, List<String> details) {
            super(message);
            this.details = List.copyOf(details);
        }

        List<String> details() {
            return details;
        }
    }

    /** The data of the final {@code demo} result. */
    record Outcome(boolean verified, int peers, int steps, long millis) {
    }

    /** A peer of the demo, the presence events and the conference events it received. */
    record Member(String name, PeerRuntime peer, List<PeerAdvertisement> joined, Seen seen) {
        PeerId id() {
            return peer.overlay().self();
        }

        ConferencePeer conferences() {
            return peer.conferences();
        }
    }

    /** The conference events one demo peer received, as they came (callbacks append; steps read). */
    static final class Seen implements ConferenceListener {
        final List<ConferenceView> invitations = new CopyOnWriteArrayList<>();
        final List<String> replies = new CopyOnWriteArrayList<>();
        final List<ChatEntry> messages = new CopyOnWriteArrayList<>();
        final List<String> left = new CopyOnWriteArrayList<>();

        @Override
        public void invitation(ConferenceView conference, PeerId inviter) {
            invitations.add(conference);
        }

        @Override
        public void reply(ConferenceView conference, PeerId from, Answer answer, String reason) {
            replies.add(from.value() + " " + answer.label());
        }

        @Override
        public void message(ChatEntry message) {
            messages.add(message);
        }

        @Override
        public void participantLeft(ConferenceView conference, PeerId peer, String reason) {
            left.add(peer.value() + " " + reason);
        }
    }

    /** The peers of one demo run; closes them all at the end. */
    static final class Cast implements AutoCloseable {
        final String cluster = "demo-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        final List<String> names;
        final Duration timeout;
        final List<Member> members = new ArrayList<>();

        Cast(List<String> names, Duration timeout) {
            this.names = List.copyOf(names);
            this.timeout = timeout;
        }

        /** The member called {@code name}. */
        Member member(String name) {
            return members.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
        }

        /** Starts a peer through {@link PeerRuntime}, with a fresh identity held in memory (and no store). */
        Member start(String name) {
            List<PeerAdvertisement> joined = new CopyOnWriteArrayList<>();
            Seen seen = new Seen();
            OverlayConfig config = OverlayConfig.builder(name).mode(NetworkMode.MEMORY).cluster(cluster).build();
            PeerRuntime peer = PeerRuntime.start(config, Identity.generate(), new OverlayListener() {
                @Override
                public void peerJoined(PeerAdvertisement ad) {
                    joined.add(ad);
                }
            }, seen);
            Member m = new Member(name, peer, joined, seen);
            members.add(m);
            return m;
        }

        /** Polls {@code condition} until it holds or the demo's timeout passes; false on timeout. */
        boolean await(BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) return false;
                Thread.sleep(20);
            }
            return true;
        }

        @Override
        public void close() {
            members.forEach(m -> m.peer().close());
        }
    }

    private final List<String> names;
    private final Duration timeout;
    private final EventWriter out;

    public Demo(int peers, Duration timeout, EventWriter out) {
        this.names = NAMES.subList(0, peers);
        this.timeout = timeout;
        this.out = out;
    }

    /** Runs the steps in order; the exit code is 0 only if every step passed. */
    public int run(List<Step> steps) throws InterruptedException {
        long started = System.nanoTime();
        try (Cast cast = new Cast(names, timeout)) {
            out.note("demo: " + names.size() + " peers in this JVM on the memory network, group " + cast.cluster);
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                String title = step.title(cast);
                try {
                    out.emit(new Event.DemoStep(i + 1, steps.size(), title, true, step.run(cast)));
                } catch (StepFailed f) {
                    out.emit(new Event.DemoStep(i + 1, steps.size(), title, false, f.details()));
                    out.error(new Event.ErrorReport("demo step " + (i + 1) + " failed: " + f.getMessage(), null, null));
                    return ExitCodes.FAILED;
                }
            }
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            out.emit(new Event.Result("demo", null, new Outcome(true, names.size(), steps.size(), millis),
                    String.format("verified: all %d steps checked out for %d peers (%.1f s)", steps.size(), names.size(), millis / 1000.0)));
            return ExitCodes.OK;
        }
    }
}
