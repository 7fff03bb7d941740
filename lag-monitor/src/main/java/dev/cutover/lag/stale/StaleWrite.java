package dev.cutover.lag.stale;

import java.util.List;
import java.util.Optional;

/**
 * Writes seen on the source after its fence.
 *
 * @param role         the role most likely behind them: the one with sessions, when exactly one has
 * @param transactions commits by sessions other than this watch since the last report; an upper bound,
 *                     since another cutover service's reads count too
 * @param rows         rows written outside the {@code cutover} schema since the last report
 * @param detail       what was seen, for the operator
 */
record StaleWrite(Optional<String> role, long transactions, long rows, String detail) {

    /**
     * Compares two readings. Only rows written count as a stale write: commits alone also come from reads
     * and from cutover's own statements, rows in application tables do not.
     *
     * @param ownTransactions transactions this watch itself committed between the readings
     */
    static Optional<StaleWrite> between(WriteCounters before, WriteCounters after, long ownTransactions,
            List<Session> sessions) {
        long rows = after.rowsWritten() - before.rowsWritten();
        if (rows <= 0) {
            return Optional.empty();
        }
        long transactions = Math.max(1, after.commits() - before.commits() - ownTransactions);
        List<String> roles = sessions.stream().map(Session::role).distinct().toList();
        Optional<String> role = roles.size() == 1 ? Optional.of(roles.getFirst()) : Optional.empty();
        String who = sessions.isEmpty()
                ? "no such session remains (it wrote and left)"
                : String.join("; ", sessions.stream().map(Session::describe).toList());
        String detail = rows + " row(s) written in application tables on the source after the fence; sessions: " + who
                + ". Check that every application role is in app-roles and that clients re-resolved the DNS name.";
        return Optional.of(new StaleWrite(role, transactions, rows, detail));
    }
}
