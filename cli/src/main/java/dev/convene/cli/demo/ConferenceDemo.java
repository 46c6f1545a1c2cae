package dev.convene.cli.demo;

import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.Durations;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.NewConference;
import dev.convene.conference.Post;
import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The conference part of {@code convene demo}, as steps that share the conference they act on. The first
 * peer organises; the last one declines; the ones between accept. Every check reads what each peer stored
 * (conferences, answers, history) and the events it received, never what the demo sent.
 */
public final class ConferenceDemo {
    /** An organiser, two who accept (so chat goes on after the organiser leaves), one who declines. */
    public static final int MIN_PEERS = 4;
    static final String TITLE = "Design review";
    static final String AGENDA = "1. wire format  2. release date";
    static final String REASON = "busy with the release";

    private ConferenceId conference;
    /** Every message said so far, in the order said. */
    private final List<String> said = new ArrayList<>();

    List<Demo.Step> steps() {
        return List.of(new Create(), new Answers(), new Chat("the participants chat; each message is verified at every participant",
                false), new OrganiserLeaves(), new Chat("the others chat on without the organiser", true));
    }

    private static Demo.Member organiser(Demo.Cast cast) {
        return cast.members.get(0);
    }

    private static Demo.Member decliner(Demo.Cast cast) {
        return cast.members.get(cast.members.size() - 1);
    }

    private static List<Demo.Member> acceptors(Demo.Cast cast) {
        return cast.members.subList(1, cast.members.size() - 1);
    }

    private static String names(List<Demo.Member> members) {
        return members.stream().map(Demo.Member::name).collect(Collectors.joining(", "));
    }

    private ConferenceView view(Demo.Member m) {
        return m.conferences().conference(conference).orElse(null);
    }

    /** The organiser creates a conference with an agenda and invites everyone else; each receives it intact. */
    private final class Create implements Demo.Step {
        @Override
        public String title(Demo.Cast cast) {
            return organiser(cast).name() + " creates '" + TITLE + "' with an agenda and invites " + names(cast.members.subList(1, cast.members.size()));
        }

        @Override
        public List<String> run(Demo.Cast cast) throws Demo.StepFailed, InterruptedException {
            Demo.Member alice = organiser(cast);
            List<Demo.Member> invitees = cast.members.subList(1, cast.members.size());
            ConferenceView created = get(alice.conferences().create(NewConference.titled(TITLE).agenda(AGENDA).lasting(Duration.ofMinutes(30))
                    .invite(invitees.stream().map(Demo.Member::id).toList())), cast);
            conference = created.id();
            boolean arrived = cast.await(() -> invitees.stream().allMatch(m -> invitedIntact(cast, m)));
            List<String> lines = new ArrayList<>();
            lines.add(alice.name() + " created " + ConferenceInfo.label(created) + ", live now for 30m, agenda '" + AGENDA + "'");
            for (Demo.Member m : invitees) {
                lines.add(m.name() + (invitedIntact(cast, m) ? " received the signed invitation from " + alice.name() + ": '" + TITLE + "', agenda '"
                        + AGENDA + "', organiser " + alice.id().shortId() : " has no intact invitation  <- missing"));
            }
            if (!arrived) throw new Demo.StepFailed("not every invitee received the invitation within " + Durations.format(cast.timeout), lines);
            return lines;
        }

        private boolean invitedIntact(Demo.Cast cast, Demo.Member m) {
            ConferenceView v = view(m);
            return v != null && m.seen().invitations.size() == 1 && v.myRole() == ConferenceView.Role.INVITED
                    && v.title().equals(TITLE) && v.context().agenda().equals(AGENDA)
                    && v.context().organiser().equals(organiser(cast).id());
        }
    }

    /** All but the last invitee accept; the last declines with a reason; every peer sees every answer. */
    private final class Answers implements Demo.Step {
        @Override
        public String title(Demo.Cast cast) {
            return names(acceptors(cast)) + " accept; " + decliner(cast).name() + " declines ('" + REASON + "')";
        }

        @Override
        public List<String> run(Demo.Cast cast) throws Demo.StepFailed, InterruptedException {
            for (Demo.Member m : acceptors(cast)) get(m.conferences().accept(conference), cast);
            get(decliner(cast).conferences().decline(conference, REASON), cast);
            Set<PeerId> participants = new java.util.HashSet<>();
            participants.add(organiser(cast).id());
            acceptors(cast).forEach(m -> participants.add(m.id()));
            boolean agreed = cast.await(() -> cast.members.stream().allMatch(m -> answersComplete(cast, m, participants)));
            List<String> lines = new ArrayList<>();
            for (Demo.Member m : cast.members) {
                ConferenceView v = view(m);
                String answers = cast.members.subList(1, cast.members.size()).stream().map(o -> o.name() + " " + answer(v, o.id()))
                        .collect(Collectors.joining(", "));
                lines.add(m.name() + " sees " + answers + (answersComplete(cast, m, participants) ? "" : "  <- incomplete"));
            }
            if (!agreed) throw new Demo.StepFailed("not every peer saw every answer within " + Durations.format(cast.timeout), lines);
            return lines;
        }

        private boolean answersComplete(Demo.Cast cast, Demo.Member m, Set<PeerId> participants) {
            ConferenceView v = view(m);
            if (v == null || !v.participants().equals(participants)) return false;
            var declined = v.answerOf(decliner(cast).id());
            return declined.isPresent() && declined.get().reason().equals(REASON)
                    && acceptors(cast).stream().allMatch(a -> v.answerOf(a.id()).map(r -> r.answer().label().equals("accept")).orElse(false));
        }

        private String answer(ConferenceView v, PeerId p) {
            if (v == null) return "?";
            return v.answerOf(p).map(r -> switch (r.answer()) {
                case ACCEPT -> "accepted";
                case DECLINE -> "declined ('" + r.reason() + "')";
                case LEAVE -> "left";
            }).orElse("no answer");
        }
    }

    /**
     * Each participant says one line; every participant (the organiser only while present) stores every line
     * in the same canonical order, received each as a live message, and the decliner received nothing.
     */
    private final class Chat implements Demo.Step {
        private final String title;
        private final boolean withoutOrganiser;

        Chat(String title, boolean withoutOrganiser) {
            this.title = title;
            this.withoutOrganiser = withoutOrganiser;
        }

        @Override
        public String title(Demo.Cast cast) {
            return title;
        }

        @Override
        public List<String> run(Demo.Cast cast) throws Demo.StepFailed, InterruptedException {
            List<Demo.Member> speakers = new ArrayList<>(acceptors(cast));
            if (!withoutOrganiser) speakers.add(0, organiser(cast));
            for (Demo.Member m : speakers) {
                String text = withoutOrganiser ? m.name() + ": let's go on without " + organiser(cast).name()
                        : "hello from " + m.name();
                Post post = get(m.conferences().say(conference, text), cast);
                said.add(text);
                get(post.acknowledged(), cast);
            }
            boolean delivered = cast.await(() -> speakers.stream().allMatch(this::hasEverything) && sameHistory(speakers));
            List<String> lines = new ArrayList<>();
            for (Demo.Member m : speakers) {
                List<String> texts = m.conferences().history(conference).stream().map(ChatEntry::text).toList();
                lines.add(m.name() + " has " + texts.size() + " messages, " + m.seen().messages.size() + " as live events: "
                        + String.join(" | ", texts) + (hasEverything(m) ? "" : "  <- missing some"));
            }
            if (delivered && !sameHistory(speakers)) lines.add("histories differ  <- canonical order broken");
            Demo.Member decliner = decliner(cast);
            int leaked = decliner.seen().messages.size() + decliner.conferences().history(conference).size();
            lines.add(decliner.name() + " (declined) received " + leaked + " messages" + (leaked == 0 ? "" : "  <- leaked"));
            if (!delivered) throw new Demo.StepFailed("not every participant stored every message within " + Durations.format(cast.timeout), lines);
            if (leaked > 0) throw new Demo.StepFailed(decliner.name() + " declined but received chat", lines);
            return lines;
        }

        private boolean hasEverything(Demo.Member m) {
            List<String> texts = m.conferences().history(conference).stream().map(ChatEntry::text).toList();
            List<String> live = m.seen().messages.stream().map(ChatEntry::text).toList();
            return texts.containsAll(said) && live.containsAll(said) && texts.size() == said.size();
        }

        private boolean sameHistory(List<Demo.Member> members) {
            List<String> first = ids(members.get(0));
            return members.stream().allMatch(m -> ids(m).equals(first));
        }

        private List<String> ids(Demo.Member m) {
            return m.conferences().history(conference).stream().map(e -> e.id().toString()).toList();
        }
    }

    /** The organiser's peer closes; the others see it go, and the conference stays live for them. */
    private final class OrganiserLeaves implements Demo.Step {
        @Override
        public String title(Demo.Cast cast) {
            return organiser(cast).name() + ", the organiser, closes its peer and leaves";
        }

        @Override
        public List<String> run(Demo.Cast cast) throws Demo.StepFailed, InterruptedException {
            Demo.Member alice = organiser(cast);
            alice.peer().close();
            String gone = alice.id().value() + " offline";
            boolean seen = cast.await(() -> acceptors(cast).stream().allMatch(m -> m.seen().left.contains(gone)
                    && !m.peer().overlay().directory().isOnline(alice.id())));
            List<String> lines = new ArrayList<>();
            for (Demo.Member m : acceptors(cast)) {
                ConferenceView v = view(m);
                boolean ok = m.seen().left.contains(gone) && v != null && v.state() == dev.convene.conference.ConferenceState.LIVE;
                lines.add(m.name() + " sees " + alice.name() + " go offline; '" + TITLE + "' is " + (v == null ? "?" : ConferenceInfo.lower(v.state()))
                        + (ok ? "" : "  <- expected: live, and a participant-left event"));
            }
            if (!seen) throw new Demo.StepFailed("not every participant saw " + alice.name() + " leave within " + Durations.format(cast.timeout), lines);
            return lines;
        }
    }

    private <T> T get(CompletableFuture<T> operation, Demo.Cast cast) throws Demo.StepFailed, InterruptedException {
        try {
            return operation.get(cast.timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new Demo.StepFailed(e.getCause().getMessage(), List.of());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new Demo.StepFailed("no answer within " + Durations.format(cast.timeout), List.of());
        }
    }
}
