/**
 * The rehearsal's report: what the client saw during the cutover (downtime, error window, writes acknowledged by
 * the source after the fence, duplicate keys) and whether every acknowledged write is on the server that now holds
 * the data, checked row by row.
 *
 * <p>{@link dev.cutover.sandbox.report.Report#create} takes the {@link dev.cutover.sandbox.report.ReportInputs}
 * (the client's record and the cutover's times and outcome) and connections to both servers; everything but the row
 * check is computed from the record alone. The report prints for people and ends with one JSON line for scripts.
 */
package dev.cutover.sandbox.report;
