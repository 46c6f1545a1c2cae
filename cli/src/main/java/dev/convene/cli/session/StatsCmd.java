package dev.convene.cli.session;

import dev.convene.conference.ConferenceStats;
import dev.convene.overlay.DropReason;
import dev.convene.overlay.OverlayStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * {@code stats}: this peer's overlay counters, with every drop reason, and what the conference layer refused,
 * set aside or rationed (the budgets of docs/SECURITY.md).
 */
@Command(name = "stats", customSynopsis = "stats", description = "show frames sent, received, delivered and dropped (by reason), the group size and the conference budgets")
final class StatsCmd extends PicocliCommand {
    @Override
    StatsCmd fresh() {
        return new StatsCmd();
    }

    /**
     * The data of the {@code stats} result.
     *
     * @param drops every {@link DropReason} by name, in declaration order, zero or not
     * @param conference the conference layer's counters
     */
    record Data(long framesSent, long framesReceived, long framesDelivered, long totalDrops, int members,
                long signatureChecks, long macChecks, long outboundDropped, long queuedBytes,
                Map<String, Long> drops, ConferenceStats conference) {
        static Data of(OverlayStats s, ConferenceStats c) {
            Map<String, Long> drops = new LinkedHashMap<>();
            for (DropReason r : DropReason.values()) drops.put(r.name(), s.drops(r));
            return new Data(s.framesSent(), s.framesReceived(), s.framesDelivered(), s.totalDrops(), s.members(),
                    s.signatureChecks(), s.macChecks(), s.outboundDropped(), s.queuedBytes(), drops, c);
        }
    }

    @Override
    Action action() {
        return session -> {
            Data d = Data.of(session.overlay().stats(), session.conferences().stats());
            session.result(name(), d, human(d));
        };
    }

    private static String human(Data d) {
        String drops = d.totalDrops() == 0 ? "none" : d.drops().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        ConferenceStats c = d.conference();
        return "members " + d.members() + "; frames sent " + d.framesSent() + ", received " + d.framesReceived()
                + ", delivered " + d.framesDelivered() + "; dropped " + d.totalDrops() + " (" + drops + ")"
                + "; signature checks " + d.signatureChecks() + ", MAC checks " + d.macChecks()
                + "; conferences: signature checks " + c.signatureChecks() + " (cached " + c.signatureCacheHits()
                + ", over budget " + c.signatureBudgetExceeded() + "), history sent " + c.historyBytesSent() + " bytes (refused "
                + c.historyAnswersRefused() + "), refused conferences " + c.conferencesRefused() + ", quarantined " + c.quarantined()
                + ", failures " + c.conferenceFailures() + ", backdated " + c.backdated()
                + " (under-reported frontiers " + c.frontierUnderReports() + ")"
                + ", receipts signed " + c.receiptsSigned() + " (refused " + c.receiptsRefused() + ", under-report proofs "
                + c.underReportProofs() + "), schedule changes refused " + c.reschedulesRefused();
    }
}
