package dev.convene.cli.session;

import dev.convene.cli.output.ConferenceInfo;
import dev.convene.cli.output.FileInfo;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.FileOffer;
import java.util.List;
import java.util.Optional;

/**
 * {@code wait file CONF NAME}: a file named NAME (or the offer {@code bob#3}) is offered in CONF, as {@code fetch}
 * finds it. Reads the offers the peer holds, so an offer made before the wait counts as well as one that comes; a
 * conference that matches nothing yet is waited for. When several offers have the name, the wait is over and reports
 * the first: {@code fetch} then needs its reference, which the result carries.
 */
final class FileWait implements WaitCmd.Target {
    /**
     * The data of the {@code wait file} result.
     *
     * @param waited {@code file}
     * @param file the offer, as {@code files} lists it
     * @param offers how many offers have that name (more than 1: {@code fetch} needs the reference)
     */
    record Data(String waited, ConferenceInfo conference, FileInfo file, int offers) {
    }

    @Override
    public String kind() {
        return "file";
    }

    @Override
    public String arity() {
        return "2";
    }

    @Override
    public String arguments() {
        return "CONF NAME";
    }

    @Override
    public String summary() {
        return "wait until a file called NAME (or the offer bob#3) is offered in CONF";
    }

    @Override
    public Completion completion(List<String> typed) {
        return Completion.conferenceThenFile(typed);
    }

    @Override
    public WaitCmd.Condition parse(Args args) {
        String conf = args.positional(0);
        String name = args.positional(1);
        return new WaitCmd.Condition() {
            /** The offers named so, or the one referenced; empty while none (or no such conference). */
            private List<FileOffer> find(Session s) {
                Optional<ConferenceView> v = Lookup.findConference(s, conf);
                if (v.isEmpty() || !readable(s, v.get())) return List.of();
                List<FileOffer> named = s.conferences().files(v.get().id()).stream().filter(o -> o.name().equals(name)).toList();
                if (!named.isEmpty()) return named;
                return FileLookup.find(s, v.get(), name).map(List::of).orElse(List.of());
            }

            @Override
            public boolean satisfied(Session s) {
                return !find(s).isEmpty();
            }

            @Override
            public void report(Session s) {
                ConferenceView v = Lookup.conference(s, conf);
                List<FileOffer> found = find(s);
                FileInfo file = FileInfo.of(s.conferences(), found.get(0));
                String also = found.size() == 1 ? "" : "; " + found.size() + " offers have that name: fetch it as " + Safe.line(file.ref());
                s.result("wait", new Data("file", ConferenceInfo.of(s.conferences(), v), file, found.size()),
                        file.label() + " is offered in " + ConferenceInfo.label(v) + also);
            }

            @Override
            public String shortfall(Session s) {
                Optional<ConferenceView> v = Lookup.findConference(s, conf);
                if (v.isEmpty()) {
                    return "no conference matches '" + Safe.line(conf) + "' here yet; check the id or title ('conferences'), or raise --timeout";
                }
                if (!readable(s, v.get())) {
                    return "this peer is " + ConferenceInfo.lower(v.get().myRole()) + " in " + ConferenceInfo.label(v.get())
                            + ", not a participant, and sees no offers: accept first";
                }
                int n = s.conferences().files(v.get().id()).size();
                return "none of the " + n + (n == 1 ? " file" : " files") + " offered in " + ConferenceInfo.label(v.get()) + " here is '"
                        + Safe.line(name) + "' ('files " + Safe.line(FileInfo.word(v.get().title())) + "' lists them); raise --timeout";
            }
        };
    }

    /** Whether this peer can read the conference's offers (it is, or was, a participant). */
    private static boolean readable(Session s, ConferenceView v) {
        try {
            s.conferences().files(v.id());
            return true;
        } catch (dev.convene.conference.ConferenceException e) {
            return false;
        }
    }
}
