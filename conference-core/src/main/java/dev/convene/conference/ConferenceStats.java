package dev.convene.conference;

/**
 * What the conference layer of one peer refused, set aside or rationed since it started: the budgets that
 * keep a hostile peer from bricking, starving or flooding it (docs/SECURITY.md). A snapshot; counters only
 * grow.
 *
 * @param quarantined stored conferences that could not be loaded at start and were set aside (kept in the
 *                    store's quarantine table, not loaded again)
 * @param conferenceFailures times one conference's tick, anti-entropy or restore step threw; the others went on
 * @param signatureChecks signature verifications of conference records (contexts, invitations, replies, ...)
 * @param signatureCacheHits verifications answered from the cache of recent results instead
 * @param signatureBudgetExceeded records (and chat messages) dropped unchecked because their sender had spent its
 *                                signature budget
 * @param entriesOverCap metadata entries ignored unchecked: beyond what one frame may cost, or after too many bad signatures in their frame
 * @param historyBytesSent bytes of chat history sent in answer to digests
 * @param historyAnswersRefused digests not answered because a budget (per asker, in total, one batch in
 *                              flight) was spent
 * @param conferencesRefused conferences created by others that were refused by a count limit
 * @param chatSignatureFailures chat messages whose author signature did not verify (each charged to the sender
 *                              that delivered it)
 * @param corruptRows stored rows (chat, peers, bans, conferences) that failed their checksum or did not decode
 *                    at start, skipped and never shown
 * @param tickFailures times the timer could not hand a tick to the event thread (the next one was tried on time)
 * @param backdated chat messages settled unshown because they were dated before what their author had seen (its
 *                  own previous message, or the frontier it signed)
 * @param frontierUnderReports chat messages whose author, posting directly to this peer, named an older frontier
 *                             than an own message of this peer's it had already acknowledged (counted, not refused)
 * @param reschedulesRefused schedule changes refused: signed by a peer that was not an organiser at the change's
 *                           instant, dated at or after the conference's end notice, beyond the bound, or whose signature
 *                           does not verify
 * @param receiptsSigned signed receipts this peer issued ("after my own sequence k I had delivered X", sent with
 *                       its acknowledgements)
 * @param receiptsRefused receipts or proofs from others refused: a signature that does not verify, an author that is
 *                        not another participant, a message that does not contradict the receipt it comes with
 * @param underReportProofs messages found (here or by a peer that passed the proof on) to contradict a receipt of
 *                          their own author: settled unshown
 * @param acksUncovered acknowledgements of own chat messages that did not count towards delivered-to-all because
 *                      no receipt of their sender's covered them yet (a receipt still to come: honest peers sign at
 *                      most one per interval per conference, 100 ms up to 10 participants and 100 ms more per 10 more,
 *                      and send it after; or a sender that withholds receipts:
 *                      docs/SECURITY.md 2.7)
 * @param unaskedBatchesRefused history batches refused whole because they answered no digest of this peer's and
 *                              their sender had spent its budget of unasked batch messages (docs/PROTOCOL.md,
 *                              "Unasked batches")
 */
public record ConferenceStats(long quarantined, long conferenceFailures, long signatureChecks, long signatureCacheHits,
                              long signatureBudgetExceeded, long entriesOverCap, long historyBytesSent,
                              long historyAnswersRefused, long conferencesRefused, long chatSignatureFailures,
                              long corruptRows, long tickFailures, long backdated,
                              long frontierUnderReports, long reschedulesRefused, long receiptsSigned,
                              long receiptsRefused, long underReportProofs, long acksUncovered,
                              long unaskedBatchesRefused) {
}
