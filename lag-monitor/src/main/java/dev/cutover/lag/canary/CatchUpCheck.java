package dev.cutover.lag.canary;

import java.time.Instant;
import java.util.Optional;

import dev.cutover.lag.engine.Lsn;

/**
 * One look at the target for a canary. Caught up needs both: the row alone could be visible while the
 * engine applies out of commit order (DMS's batch apply), and a position alone says nothing about rows.
 *
 * <p>The position counts as passed when the subscription reported it back to the source, when the source's
 * slot has it as confirmed, or when the target received it and has flushed its WAL past the row's apply.
 * The last is the same guarantee as the slot's confirmation (the target holds the canary durably, and
 * everything before it, since apply follows commit order) without waiting for the subscriber's next
 * feedback: subscriptions commit asynchronously, so their confirmation trails the row by the target's
 * {@code wal_writer_delay} (200 ms by default).
 *
 * @param writtenAt          the canary row's written_at as seen on the target; empty while it is not there
 * @param receivedLsn        the subscription's received_lsn on the target, where the engine has one
 * @param reportedLsn        the subscription's latest_end_lsn on the target, where the engine has one
 * @param slotConfirmedLsn   the slot's confirmed_flush_lsn on the source, where it was read
 * @param flushedOnTarget    whether the target's WAL was flushed after the row was seen there
 */
public record CatchUpCheck(Optional<Instant> writtenAt, Optional<Lsn> receivedLsn, Optional<Lsn> reportedLsn,
        Optional<Lsn> slotConfirmedLsn, boolean flushedOnTarget) {

    public boolean rowVisible() {
        return writtenAt.isPresent();
    }

    /** Whether the target received the canary's position, so flushing the target's WAL would make it durable there. */
    public boolean received(Lsn canaryLsn) {
        return receivedLsn.map(lsn -> lsn.isAtOrAfter(canaryLsn)).orElse(false);
    }

    public boolean positionPassed(Lsn canaryLsn) {
        return reportedLsn.map(lsn -> lsn.isAtOrAfter(canaryLsn)).orElse(false)
                || slotConfirmedLsn.map(lsn -> lsn.isAtOrAfter(canaryLsn)).orElse(false)
                || rowVisible() && flushedOnTarget && received(canaryLsn);
    }

    public boolean caughtUp(Canary canary) {
        return rowVisible() && positionPassed(canary.lsn());
    }

    /**
     * The source position (the canary's LSN space) that replication is proven to have reached: the furthest
     * of the confirmations that count. Only meaningful once {@link #caughtUp} holds.
     */
    public Optional<Lsn> confirmedPosition() {
        Optional<Lsn> flushedReceipt = rowVisible() && flushedOnTarget ? receivedLsn : Optional.empty();
        return java.util.stream.Stream.of(reportedLsn, slotConfirmedLsn, flushedReceipt)
                .flatMap(Optional::stream)
                .max(java.util.Comparator.naturalOrder());
    }

    public CatchUpCheck withSlotConfirmed(Optional<Lsn> lsn) {
        return new CatchUpCheck(writtenAt, receivedLsn, reportedLsn, lsn, flushedOnTarget);
    }

    /** This check as if the row were not there: it does not count until the canary's position is known. */
    public CatchUpCheck withoutRow() {
        return new CatchUpCheck(Optional.empty(), receivedLsn, reportedLsn, slotConfirmedLsn, flushedOnTarget);
    }

    public CatchUpCheck flushed() {
        return new CatchUpCheck(writtenAt, receivedLsn, reportedLsn, slotConfirmedLsn, true);
    }

    /** The figures behind this check, for a person reading why a wait failed. */
    public String describe(Canary canary) {
        return describe(Optional.of(canary.lsn()));
    }

    /** {@link #describe(Canary)} for a canary whose position may not be known yet (its row not seen anywhere). */
    public String describe(Optional<Lsn> canaryLsn) {
        return "canary row " + (rowVisible() ? "visible" : "not visible") + " on the target, canary LSN "
                + canaryLsn.map(Lsn::toString).orElse("unknown (the row has not reached the target)")
                + ", subscription received_lsn " + text(receivedLsn) + ", latest_end_lsn " + text(reportedLsn)
                + ", slot confirmed_flush_lsn " + text(slotConfirmedLsn);
    }

    private static String text(Optional<Lsn> lsn) {
        return lsn.map(Lsn::toString).orElse("unknown");
    }
}
