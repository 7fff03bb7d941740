package dev.cutover.sandbox.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.cutover.sandbox.report.CutoverResult;
import dev.cutover.sandbox.report.Report;
import dev.cutover.sandbox.client.Server;

/**
 * A whole rehearsal with {@code fallback.prepare}: migration, cutover with the client writing through the DNS name,
 * and afterwards the 11 source holding exactly what the 17 target holds, the writes made on the target included.
 */
class FallbackEndToEndTest {

    private static final RehearsalOptions OPTIONS = new RehearsalOptions(5, 300, 4, Duration.ofSeconds(1), 300, 300,
            Duration.ofMinutes(5));

    @Test
    void theSourceFollowsTheTargetAfterTheCutoverWithEveryWriteMadeThereAndNothingTwice() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Rehearsal rehearsal;
        Report report;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rehearsal = new Rehearsal(OPTIONS, new RehearsalEndToEndTest.TeeStream(out, System.out)).withFallback();
            report = rehearsal.run();
        }

        assertThat(report.result()).isEqualTo(CutoverResult.COMPLETED);
        assertThat(report.lostWrites()).isZero();
        assertThat(report.writesAfterFence()).isZero();
        assertThat(report.acksBy(Server.TARGET)).as("writes made on the target").isPositive();
        ReverseReplicationCheck.Aftermath after = rehearsal.reverseAftermath();
        assertThat(after.started().getSubscription()).isEqualTo(ReverseReplicationCheck.SUBSCRIPTION);
        assertThat(after.started().getAlreadyRunning()).isFalse();
        assertThat(after.sourceRows()).as("the client's table on the source").isEqualTo(after.targetRows());
        assertThat(after.appRoleCanLogin()).as("the application stays locked out of the source").isFalse();
        assertThat(after.subscriptions()).containsExactly(ReverseReplicationCheck.SUBSCRIPTION);
        assertThat(output.toString(StandardCharsets.UTF_8)).as("the target's rows arriving are no stale writer's")
                .doesNotContain("StaleWriterDetected");
    }

    @Test
    void aFallbackPutsTheClientBackOnTheSourceWithEveryWriteMadeOnTheTargetAndNothingLostEitherWay() throws Exception {
        Rehearsal rehearsal = new Rehearsal(OPTIONS, System.out).thenFallback(FallbackRehearsal.plain());
        Report report = rehearsal.run();

        FallbackRehearsal.Outcome fallback = rehearsal.fallbackOutcome();
        assertThat(report.result()).isEqualTo(CutoverResult.COMPLETED);
        assertThat(fallback.result()).isEqualTo("completed");
        assertThat(fallback.stalledResult()).isNull();
        assertFellBackWithNothingLost(report, fallback);
    }

    @Test
    void aFallbackWhoseReverseReplicationIsStalledRollsBackWithTheTargetServingAndALaterOneGoesThrough()
            throws Exception {
        Rehearsal rehearsal = new Rehearsal(OPTIONS, System.out).thenFallback(FallbackRehearsal.stallingFirst());
        Report report = rehearsal.run();

        FallbackRehearsal.Outcome fallback = rehearsal.fallbackOutcome();
        assertThat(report.result()).isEqualTo(CutoverResult.COMPLETED);
        assertThat(fallback.stalledResult()).as("the fallback with the reverse subscription disabled")
                .isEqualTo("rolled_back");
        assertThat(fallback.result()).as("the fallback once it runs again").isEqualTo("completed");
        assertFellBackWithNothingLost(report, fallback);
    }

    /**
     * Every write the client was told it made (on the source, then the target, then the source again) is on the source
     * row by row, as are the target's own inserts, updates and deletes, and its sequences are past every value the
     * target handed out.
     */
    private static void assertFellBackWithNothingLost(Report report, FallbackRehearsal.Outcome fallback) {
        assertThat(report.rowCheck().checkedOn()).isEqualTo(Server.SOURCE);
        assertThat(report.rowCheck().rows()).isPositive();
        assertThat(report.lostWrites()).as(report.rowCheck().examples().toString()).isZero();
        assertThat(report.acksBy(Server.TARGET)).as("writes made on the target").isPositive();
        assertThat(report.duplicateKeyErrors()).as("inserts on the source after the fallback reuse no id").isZero();
        assertThat(fallback.servicesOnTarget()).as("the target's own writes").hasSize(20);
        assertThat(fallback.servicesOnSource()).containsExactlyElementsOf(fallback.servicesOnTarget());
        for (int i = 0; i < fallback.sequenceOnTarget().size(); i++) {
            assertThat(fallback.sequenceOnSource().get(i)).as("sequence " + i + " on the source")
                    .isGreaterThanOrEqualTo(fallback.sequenceOnTarget().get(i));
        }
        assertThat(report.json()).contains("\"fallbackResult\":\"completed\"", "\"fallbackLostWrites\":0");
    }
}
