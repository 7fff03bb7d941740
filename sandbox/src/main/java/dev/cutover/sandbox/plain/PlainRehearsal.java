package dev.cutover.sandbox.plain;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.cutover.sandbox.rehearsal.CutoverMethod;
import dev.cutover.sandbox.rehearsal.Rehearsal;
import dev.cutover.sandbox.rehearsal.RehearsalOptions;
import dev.cutover.sandbox.report.CutoverResult;
import dev.cutover.sandbox.report.ReportInputs;
import dev.cutover.sandbox.report.TimelineEntry;

/**
 * The rehearsal with {@link PlainCutover} in place of the saga: the same stack, data, services (idle: nobody sends
 * them StartCutover), migration, client and row-by-row check, so the two reports differ only in the cutover.
 */
public final class PlainRehearsal implements CutoverMethod {

    /** A rehearsal whose cutover is the plain sequential program. */
    public static Rehearsal rehearsal(RehearsalOptions options, PrintStream out) {
        return new Rehearsal(options, out).withCutover(new PlainRehearsal());
    }

    @Override
    public Outcome cutover(Setting setting) {
        PrintStream out = setting.out();
        PlainCutover cutover = PlainCutover.on(setting.stack().source(), setting.stack().target(), setting.database(),
                setting.appRole(), setting.stack().dns(),
                new PlainCutover.Replication(setting.subscription(), setting.slot()), setting.dnsTtl(),
                setting.stepTimeout());
        out.println("plain cutover: one thread, JDBC and DNS calls, no Kafka");
        PlainCutover.Result result = cutover.run();
        out.println("  " + result.describe());
        CutoverResult ended = switch (result.status()) {
            case COMPLETED -> CutoverResult.COMPLETED;
            case ROLLED_BACK -> CutoverResult.ROLLED_BACK;
            case FAILED -> CutoverResult.FAILED;
        };
        UnaryOperator<ReportInputs> times = inputs -> {
            // The same moments the saga's events give: the window opens when the switch begins, writes are forbidden
            // on the source once the fence is done, and fence-to-flip counts from the fence's start.
            ReportInputs with = inputs.withCutoverStartedAt(result.switchStartedAt());
            with = with.withStartRequestedAt(result.switchStartedAt());
            with = result.fenceStartedAt() == null ? with : with.withFenceStartedAt(result.fenceStartedAt());
            with = result.fencedAt() == null ? with : with.withFenceAt(result.fencedAt());
            with = result.flippedAt() == null ? with : with.withFlippedAt(result.flippedAt());
            with = result.openedAt() == null ? with : with.withTargetOpenedAt(result.openedAt());
            with = result.restoredAt() == null ? with : with.withSourceRestoredAt(result.restoredAt());
            return result.fenceToFlip().map(with::withFenceToFlip).orElse(with);
        };
        List<TimelineEntry> timeline = new ArrayList<>();
        result.steps().forEach(step -> timeline.add(new TimelineEntry(
                "plain: " + step.step() + " (" + step.took().toMillis() + " ms)", step.startedAt())));
        if (result.resumedAt() != null) {
            timeline.add(new TimelineEntry("plain: first app session on the target (downtime "
                    + result.downtime().orElseThrow().toMillis() + " ms)", result.resumedAt()));
        }
        return new Outcome(ended, times, timeline);
    }
}
