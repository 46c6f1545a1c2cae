package dev.convene.cli.demo;

import dev.convene.cli.output.Durations;
import dev.convene.cli.session.PeersCmd;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The steps of {@code convene demo}: peers start and discover each other, then hold a {@link ConferenceDemo}. */
public final class DemoSteps {
    private DemoSteps() {
    }

    public static List<Demo.Step> standard() {
        List<Demo.Step> steps = new ArrayList<>(List.of(new StartPeers(), new Discovery()));
        steps.addAll(new ConferenceDemo().steps());
        return List.copyOf(steps);
    }

    /** Starts every peer of the cast. */
    static final class StartPeers implements Demo.Step {
        @Override
        public String title(Demo.Cast cast) {
            return "start " + String.join(", ", cast.names) + " (each with its own Ed25519 key)";
        }

        @Override
        public List<String> run(Demo.Cast cast) {
            List<String> lines = new ArrayList<>();
            for (String name : cast.names) {
                Demo.Member m = cast.start(name);
                lines.add(name + " (" + m.id().shortId() + ") is up, key fingerprint " + m.peer().overlay().identity().fingerprint());
            }
            return lines;
        }
    }

    /**
     * Every peer discovers every other: its directory lists exactly the others, each advertisement carries
     * the key the other really holds, and it received a peer-joined event for each.
     */
    static final class Discovery implements Demo.Step {
        @Override
        public String title(Demo.Cast cast) {
            return "every peer discovers every other, with verified keys";
        }

        @Override
        public List<String> run(Demo.Cast cast) throws Demo.StepFailed, InterruptedException {
            boolean complete = cast.await(() -> cast.members.stream().allMatch(m -> problem(m, cast.members) == null));
            List<String> lines = new ArrayList<>();
            for (Demo.Member m : cast.members) {
                String problem = problem(m, cast.members);
                lines.add(m.name() + " sees " + PeersCmd.labels(m.peer().overlay().directory().online())
                        + (problem == null ? "" : "  <- " + problem));
            }
            if (!complete) throw new Demo.StepFailed("not every directory was complete within " + Durations.format(cast.timeout), lines);
            return lines;
        }

        /** What is wrong with {@code m}'s view of the others, or null if nothing. */
        static String problem(Demo.Member m, List<Demo.Member> all) {
            List<PeerAdvertisement> online = m.peer().overlay().directory().online();
            Set<PeerId> seen = online.stream().map(PeerAdvertisement::id).collect(Collectors.toSet());
            Set<PeerId> joinEvents = m.joined().stream().map(PeerAdvertisement::id).collect(Collectors.toSet());
            for (Demo.Member other : all) {
                if (other == m) continue;
                if (!seen.contains(other.id())) return "missing " + other.name();
                PeerAdvertisement ad = m.peer().overlay().directory().get(other.id()).orElseThrow();
                if (!ad.fingerprint().equals(other.peer().overlay().identity().fingerprint()) || !ad.name().equals(other.name())) {
                    return "wrong key or name for " + other.name();
                }
                if (!joinEvents.contains(other.id())) return "no peer-joined event for " + other.name();
            }
            return seen.size() == all.size() - 1 ? null : "unexpected peers online";
        }
    }
}
