package dev.convene.cli.session;

import dev.convene.overlay.DropReason;
import dev.convene.overlay.OverlayStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code stats}: this peer's overlay counters, with every drop reason. */
final class StatsCmd implements SessionCommand {
    /**
     * The data of the {@code stats} result.
     *
     * @param drops every {@link DropReason} by name, in declaration order, zero or not
     */
    record Data(long framesSent, long framesReceived, long framesDelivered, long totalDrops, int members,
                Map<String, Long> drops) {
        static Data of(OverlayStats s) {
            Map<String, Long> drops = new LinkedHashMap<>();
            for (DropReason r : DropReason.values()) drops.put(r.name(), s.drops(r));
            return new Data(s.framesSent(), s.framesReceived(), s.framesDelivered(), s.totalDrops(), s.members(), drops);
        }
    }

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String synopsis() {
        return "stats";
    }

    @Override
    public String summary() {
        return "show frames sent, received, delivered and dropped (by reason), and the group size";
    }

    @Override
    public Action parse(List<String> args) {
        Args.parse(args, synopsis(), Set.of(), Set.of()).expect(0, 0);
        return session -> {
            Data d = Data.of(session.overlay().stats());
            session.result(name(), d, human(d));
        };
    }

    private static String human(Data d) {
        String drops = d.totalDrops() == 0 ? "none" : d.drops().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return "members " + d.members() + "; frames sent " + d.framesSent() + ", received " + d.framesReceived()
                + ", delivered " + d.framesDelivered() + "; dropped " + d.totalDrops() + " (" + drops + ")";
    }
}
