package dev.convene.conference.internal;

import dev.convene.conference.ConferenceStats;
import java.util.concurrent.atomic.LongAdder;

/** The conference layer's counters: written on the engine thread (and at start), read from any thread. */
final class Counters {
    final LongAdder quarantined = new LongAdder();
    final LongAdder conferenceFailures = new LongAdder();
    final LongAdder signatureChecks = new LongAdder();
    final LongAdder signatureCacheHits = new LongAdder();
    final LongAdder signatureBudgetExceeded = new LongAdder();
    final LongAdder entriesOverCap = new LongAdder();
    final LongAdder historyBytesSent = new LongAdder();
    final LongAdder historyAnswersRefused = new LongAdder();
    final LongAdder conferencesRefused = new LongAdder();
    final LongAdder chatSignatureFailures = new LongAdder();
    final LongAdder corruptRows = new LongAdder();
    final LongAdder tickFailures = new LongAdder();
    final LongAdder backdated = new LongAdder();
    final LongAdder frontierUnderReports = new LongAdder();
    /** Receipts this peer signed ({@link Receipts}). */
    final LongAdder receiptsSigned = new LongAdder();
    /** Receipts or proofs refused: bad signature, not by another participant, not a contradiction. */
    final LongAdder receiptsRefused = new LongAdder();
    /** Messages found (or learnt) to contradict their author's receipt. */
    final LongAdder underReportProofs = new LongAdder();
    final LongAdder reschedulesRefused = new LongAdder();
    /** Acknowledgements that moved nothing towards delivered-to-all for want of a receipt covering them ({@link Acks#credit}). */
    final LongAdder acksUncovered = new LongAdder();
    /** Acknowledgements after which delivered-to-all skipped its scan of the participants' marks: the minimum could not have risen ({@link Acks}). */
    final LongAdder storedByAllScansSkipped = new LongAdder();
    /** History batches refused whole: they answered no digest of this peer's and their sender's unasked budget was spent ({@link HistorySync#onBatch}). */
    final LongAdder unaskedBatchesRefused = new LongAdder();
    /** Messages shown before their author signature was checked and taken out again: the check failed, or they were refused or settled unshown ({@link ChatLog}). */
    final LongAdder uncheckedRetracted = new LongAdder();

    ConferenceStats snapshot() {
        return new ConferenceStats(quarantined.sum(), conferenceFailures.sum(), signatureChecks.sum(), signatureCacheHits.sum(),
                signatureBudgetExceeded.sum(), entriesOverCap.sum(), historyBytesSent.sum(), historyAnswersRefused.sum(),
                conferencesRefused.sum(), chatSignatureFailures.sum(),
                corruptRows.sum(), tickFailures.sum(), backdated.sum(), frontierUnderReports.sum(),
                reschedulesRefused.sum(), receiptsSigned.sum(), receiptsRefused.sum(), underReportProofs.sum(),
                acksUncovered.sum(), unaskedBatchesRefused.sum());
    }
}
