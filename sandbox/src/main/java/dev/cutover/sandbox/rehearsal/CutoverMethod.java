package dev.cutover.sandbox.rehearsal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.cutover.sandbox.report.CutoverResult;
import dev.cutover.sandbox.report.ReportInputs;
import dev.cutover.sandbox.report.TimelineEntry;
import dev.cutover.stack.LocalStack;

/**
 * Another way to run the cutover step of a rehearsal than the saga, e.g. the plain sequential program the saga is
 * measured against. Everything around it stays the same (stack, data, services, migration to streaming, the client
 * through the DNS name, the row-by-row check), so two methods differ only in how they cut over. The services keep
 * running but are never sent {@code StartCutover}, so they stay idle.
 */
public interface CutoverMethod {

    /**
     * What a method needs of the rehearsal.
     *
     * @param stack        the running local stack
     * @param database     the application's database
     * @param appRole      the role the client logs in with
     * @param subscription the replication's subscription on the target
     * @param slot         its slot on the source
     * @param dnsTtl       the TTL the flip sets
     * @param stepTimeout  how long any one wait may take
     * @param out          where progress is printed
     */
    record Setting(LocalStack stack, String database, String appRole, String subscription, String slot,
            Duration dnsTtl, Duration stepTimeout, PrintStream out) {
    }

    /**
     * How the cutover ended and what the report needs of it.
     *
     * @param result   completed, rolled back or failed
     * @param times    adds the cutover's times (start, fence, flip, restore) to the report's inputs
     * @param timeline the method's own moments for the report's timeline
     */
    record Outcome(CutoverResult result, UnaryOperator<ReportInputs> times, List<TimelineEntry> timeline) {
    }

    /** Runs the cutover while the client writes, and returns once it has ended. */
    Outcome cutover(Setting setting) throws Exception;
}
