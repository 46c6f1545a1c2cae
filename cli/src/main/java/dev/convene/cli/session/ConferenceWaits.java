package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.ConferenceEvents;
import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.Event;
import dev.convene.cli.output.Times;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.PeerAdvertisement;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/**
 * The conference kinds of {@code wait}: {@code invitation TITLE}, {@code reply CONF PEER},
 * {@code started CONF}, {@code ended CONF} and {@code message CONF TEXT}. Each condition reads the conference
 * peer's stored state (its conferences, answers and history), never a stream of events, so what happened
 * before the wait counts as well as what comes. A {@code CONF} or {@code PEER} that matches nothing yet is
 * waited for; one that matches several fails at once, listing them.
 */
final class ConferenceWaits {
    private ConferenceWaits() {
    }

    static List<WaitCmd.Target> all() {
        return List.of(new InvitationTarget(), new ReplyTarget(), started(), ended(), new MessageTarget(), new DeliveredTarget());
    }

    /**
     * The data of the conference waits' results.
     *
     * @param waited the kind
     * @param conference the conference as it is when the wait was satisfied
     * @param peer {@code reply}: who answered
     * @param answer {@code reply}: its answer
     * @param reason {@code reply}: its reason, if any
     * @param message {@code message}: the first message that matched
     * @param to {@code delivered}: {@code one} (stored by at least one other participant) or {@code all} (by every
     *           other current participant)
     * @param messages {@code delivered}: how many of this peer's messages it covered
     */
    record Data(String waited, ConferenceInfo conference, ConferenceInfo.PeerRef peer, String answer, String reason, Event.ChatLine message,
                String to, Integer messages) {
        Data(String waited, ConferenceInfo conference, ConferenceInfo.PeerRef peer, String answer, String reason, Event.ChatLine message) {
            this(waited, conference, peer, answer, reason, message, null, null);
        }
    }

    /** A condition on one conference, named by {@code CONF}, that may not be known yet. */
    private abstract static class OnConference implements WaitCmd.Condition {
        final String conf;

        OnConference(String conf) {
            this.conf = conf;
        }

        abstract boolean holds(Session s, ConferenceView v);

        /** Why it does not hold yet, for a conference that is known. */
        abstract String missing(Session s, ConferenceView v);

        @Override
        public boolean satisfied(Session s) {
            return Lookup.findConference(s, conf).map(v -> holds(s, v)).orElse(false);
        }

        @Override
        public String shortfall(Session s) {
            Optional<ConferenceView> v = Lookup.findConference(s, conf);
            return v.isEmpty() ? "no conference matches '" + Safe.line(conf) + "' here yet; check the id or title ('conferences'), or raise --timeout"
                    : missing(s, v.get());
        }
    }

    /** {@code wait invitation TITLE}: this peer was invited to a conference with that title (or id). */
    static final class InvitationTarget implements WaitCmd.Target {
        @Override
        public String kind() {
            return "invitation";
        }

        @Override
        public String arity() {
            return "1..*";
        }

        @Override
        public String arguments() {
            return "TITLE";
        }

        @Override
        public String summary() {
            return "wait until this peer is invited to a conference with that title that is not over (answered or not)";
        }

        @Override
        public WaitCmd.Condition parse(Args args) {
            String title = String.join(" ", args.positionals()).strip();
            return new WaitCmd.Condition() {
                /**
                 * An invitation that is still current (the conference is not over): an older conference with
                 * the same title, ended or cancelled, is not this invitation. Several current ones are an error.
                 */
                private Optional<ConferenceView> find(Session s) {
                    List<ConferenceView> current = s.conferences().conferences().stream()
                            .filter(v -> v.myRole() != ConferenceView.Role.ORGANISER)
                            .filter(v -> v.state() == ConferenceState.SCHEDULED || v.state() == ConferenceState.LIVE)
                            .filter(v -> v.title().equalsIgnoreCase(title) || v.id().value().equalsIgnoreCase(title))
                            .sorted(Comparator.comparing((ConferenceView v) -> v.context().createdAt()))
                            .toList();
                    if (current.size() > 1) {
                        throw CliException.failed("'" + Safe.line(title) + "' matches " + current.size() + " current invitations: "
                                + current.stream().map(ConferenceInfo::label).collect(java.util.stream.Collectors.joining(", "))
                                + "; wait by id");
                    }
                    return current.stream().findFirst();
                }

                @Override
                public boolean satisfied(Session s) {
                    return find(s).isPresent();
                }

                @Override
                public void report(Session s) {
                    ConferenceView v = find(s).orElseThrow();
                    ConferenceInfo info = ConferenceInfo.of(s.conferences(), v);
                    s.result("wait", new Data("invitation", info, null, null, null, null), "invited to " + ConferenceInfo.label(v)
                            + " by " + info.organiser().label() + "; 'accept " + v.id().shortId() + "' or 'decline " + v.id().shortId() + "'");
                }

                @Override
                public String shortfall(Session s) {
                    return "no invitation to '" + Safe.line(title) + "' has reached this peer (" + s.overlay().self().shortId()
                            + "); check that the organiser invited it and is online, or raise --timeout";
                }
            };
        }
    }

    /** {@code wait reply CONF PEER}: that peer answered (accept, decline or leave). */
    static final class ReplyTarget implements WaitCmd.Target {
        @Override
        public String kind() {
            return "reply";
        }

        @Override
        public String arity() {
            return "2";
        }

        @Override
        public String arguments() {
            return "CONF PEER";
        }

        @Override
        public String summary() {
            return "wait until PEER has answered its invitation to CONF";
        }

        @Override
        public Completion completion(List<String> typed) {
            return Completion.conferenceThenPeer(typed);
        }

        @Override
        public WaitCmd.Condition parse(Args args) {
            String who = args.positional(1);
            return new OnConference(args.positional(0)) {
                @Override
                boolean holds(Session s, ConferenceView v) {
                    return Lookup.findPeer(s, who).map(p -> v.answerOf(p.id()).isPresent()).orElse(false);
                }

                @Override
                String missing(Session s, ConferenceView v) {
                    Optional<PeerAdvertisement> p = Lookup.findPeer(s, who);
                    if (p.isEmpty()) return "no known peer matches '" + Safe.line(who) + "'; run 'peers', or raise --timeout";
                    if (!v.invitees().contains(p.get().id())) {
                        return Safe.line(p.get().label()) + " is not invited to " + ConferenceInfo.label(v) + "; invite it first";
                    }
                    return Safe.line(p.get().label()) + " has not answered its invitation to " + ConferenceInfo.label(v)
                            + (s.overlay().directory().isOnline(p.get().id()) ? "" : " (it is offline)") + "; raise --timeout";
                }

                @Override
                public void report(Session s) {
                    ConferencePeer peer = s.conferences();
                    ConferenceView v = Lookup.conference(s, conf);
                    PeerAdvertisement p = Lookup.peer(s, who);
                    ConferenceView.Reply r = v.answerOf(p.id()).orElseThrow();
                    String reason = r.reason().isEmpty() ? null : r.reason();
                    s.result("wait", new Data("reply", ConferenceInfo.of(peer, v), ConferenceInfo.PeerRef.of(peer, p.id()), r.answer().label(),
                            reason, null), Safe.line(p.label()) + " answered " + r.answer().label() + " to " + ConferenceInfo.label(v)
                            + (reason == null ? "" : ": " + Safe.line(reason)));
                }
            };
        }
    }

    /** {@code wait started CONF}: the conference is live (or was, and has ended since). */
    static WaitCmd.Target started() {
        return new StateTarget("started", "wait until CONF is live (satisfied too if it has been live and ended)", v -> {
            if (v.state() == ConferenceState.CANCELLED) {
                throw CliException.failed(ConferenceInfo.label(v) + " was cancelled; it will not start");
            }
            return v.state() == ConferenceState.LIVE || v.state() == ConferenceState.ENDED;
        }, (s, v) -> "; it starts " + Times.local(v.context().start(), s.zone()));
    }

    /** {@code wait ended CONF}: the conference ended or was cancelled. */
    static WaitCmd.Target ended() {
        return new StateTarget("ended", "wait until CONF has ended or was cancelled", v -> v.state().isOver(),
                (s, v) -> " " + Times.until(v.context(), s.zone()) + (v.context().standing() ? "" : " unless its organiser ends it"));
    }

    /**
     * {@code wait KIND CONF}: the state of a conference. Its result says the state it is in; its timeout says
     * the state, {@code until} (when it changes) and "raise --timeout".
     *
     * @param holds whether the conference is where the wait wants it (may fail if it never will be)
     * @param until when it will be, after the state, e.g. {@code ; it starts 14:30}
     */
    private record StateTarget(String kind, String summary, java.util.function.Predicate<ConferenceView> holds,
            java.util.function.BiFunction<Session, ConferenceView, String> until) implements WaitCmd.Target {
        @Override
        public String arity() {
            return "1";
        }

        @Override
        public String arguments() {
            return "CONF";
        }

        @Override
        public Completion completion(List<String> typed) {
            return Completion.conferenceFirst(typed);
        }

        @Override
        public WaitCmd.Condition parse(Args args) {
            return new OnConference(args.positional(0)) {
                @Override
                boolean holds(Session s, ConferenceView v) {
                    return holds.test(v);
                }

                @Override
                String missing(Session s, ConferenceView v) {
                    return ConferenceInfo.label(v) + " is " + ConferenceInfo.lower(v.state()) + until.apply(s, v) + "; raise --timeout";
                }

                @Override
                public void report(Session s) {
                    ConferenceView v = Lookup.conference(s, conf);
                    s.result("wait", new Data(kind, ConferenceInfo.of(s.conferences(), v), null, null, null, null),
                            ConferenceInfo.label(v) + " is " + ConferenceInfo.lower(v.state()));
                }
            };
        }
    }

    /** {@code wait message CONF TEXT}: a message containing TEXT is in the conference's history (own ones too). */
    static final class MessageTarget implements WaitCmd.Target {
        @Override
        public String kind() {
            return "message";
        }

        @Override
        public String arity() {
            return "2..*";
        }

        @Override
        public String arguments() {
            return "CONF TEXT";
        }

        @Override
        public String summary() {
            return "wait until a message containing TEXT (the rest of the line) is in CONF's history";
        }

        @Override
        public Completion completion(List<String> typed) {
            return Completion.conferenceFirst(typed);
        }

        @Override
        public WaitCmd.Condition parse(Args args) {
            String text = String.join(" ", args.positionals().subList(1, args.positionals().size()));
            return new OnConference(args.positional(0)) {
                private Optional<ChatEntry> find(Session s, ConferenceView v) {
                    return s.conferences().history(v.id()).stream().filter(e -> e.text().contains(text)).findFirst();
                }

                @Override
                boolean holds(Session s, ConferenceView v) {
                    return find(s, v).isPresent();
                }

                @Override
                String missing(Session s, ConferenceView v) {
                    int n = s.conferences().history(v.id()).size();
                    String role = ConferenceInfo.lower(v.myRole());
                    return "none of the " + n + " messages of " + ConferenceInfo.label(v) + " here contains '" + Safe.line(text) + "'"
                            + (v.participants().contains(s.overlay().self()) ? "" : " (this peer is " + role + ", not a participant: accept first)")
                            + "; raise --timeout";
                }

                @Override
                public void report(Session s) {
                    ConferenceView v = Lookup.conference(s, conf);
                    Event.ChatLine line = ConferenceEvents.line(find(s, v).orElseThrow(), s.conferences());
                    s.result("wait", new Data("message", ConferenceInfo.of(s.conferences(), v), null, null, null, line),
                            "in " + ConferenceInfo.label(v) + ": " + line.human());
                }
            };
        }
    }

    /**
     * {@code wait delivered CONF [--to one|all]}: this peer's messages in CONF are delivered. {@code one} (the
     * default): none of its messages in the history is pending (each was stored by at least one other
     * participant). {@code all}: besides, every message posted by {@code say} in this session was stored by every
     * other current participant (that confirmation is kept in memory only, so it covers this session's posts).
     */
    static final class DeliveredTarget implements WaitCmd.Target {
        @Override
        public String kind() {
            return "delivered";
        }

        @Override
        public Set<String> options() {
            return Set.of("--to");
        }

        @Override
        public String arity() {
            return "1";
        }

        @Override
        public String arguments() {
            return "CONF [--to one|all]";
        }

        @Override
        public String summary() {
            return "wait until this peer's messages in CONF were stored by another participant (--to all: by every one)";
        }

        @Override
        public Completion completion(List<String> typed) {
            return Completion.conferenceFirst(typed);
        }

        @Override
        public WaitCmd.Condition parse(Args args) {
            String to = args.option("--to").orElse("one");
            if (!to.equals("one") && !to.equals("all")) {
                throw CliException.usage("--to: '" + Safe.line(to) + "' (expected: one or all); usage: wait delivered CONF [--to one|all] [--timeout D]");
            }
            boolean all = to.equals("all");
            return new OnConference(args.positional(0)) {
                private long pending(Session s, ConferenceView v) {
                    dev.convene.overlay.PeerId self = s.overlay().self();
                    return s.conferences().history(v.id()).stream().filter(e -> e.author().equals(self) && e.pending()).count();
                }

                private long notByAll(Session s, ConferenceView v) {
                    return s.posts(v.id()).stream().filter(p -> !p.storedByAll().isDone() || p.storedByAll().isCompletedExceptionally()).count();
                }

                @Override
                boolean holds(Session s, ConferenceView v) {
                    return pending(s, v) == 0 && (!all || notByAll(s, v) == 0);
                }

                @Override
                String missing(Session s, ConferenceView v) {
                    long pending = pending(s, v);
                    long refused = s.posts(v.id()).stream().filter(p -> p.storedByAll().isCompletedExceptionally()).count();
                    if (refused > 0) return refused + " of this session's messages to " + ConferenceInfo.label(v) + " were refused; see 'history " + Safe.line(conf) + "'";
                    if (pending > 0) return pending + " of this peer's messages in " + ConferenceInfo.label(v) + " are still pending (no other participant confirmed them); raise --timeout or wait until one is online";
                    return notByAll(s, v) + " of this session's messages to " + ConferenceInfo.label(v) + " are not yet stored by every participant (one may be offline: 'who " + Safe.line(conf) + "'); raise --timeout";
                }

                @Override
                public void report(Session s) {
                    ConferenceView v = Lookup.conference(s, conf);
                    dev.convene.overlay.PeerId self = s.overlay().self();
                    int n = all ? s.posts(v.id()).size()
                            : (int) s.conferences().history(v.id()).stream().filter(e -> e.author().equals(self)).count();
                    s.result("wait", new Data("delivered", ConferenceInfo.of(s.conferences(), v), null, null, null, null, to, n),
                            n + (n == 1 ? " message" : " messages") + " in " + ConferenceInfo.label(v) + " stored by "
                                    + (all ? "every other participant" : "another participant"));
                }
            };
        }
    }
}
