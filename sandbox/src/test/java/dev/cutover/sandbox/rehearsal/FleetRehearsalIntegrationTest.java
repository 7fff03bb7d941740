package dev.cutover.sandbox.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.cutover.sandbox.client.ClientKind;
import dev.cutover.sandbox.client.DnsCache;
import dev.cutover.sandbox.report.CutoverResult;
import dev.cutover.sandbox.report.Report;

/**
 * Short rehearsals whose client is two application instances, each its own pool: made by cutover-client and following
 * the cutover's events, or connected through a PgBouncer that the cutover repoints. Nothing may be lost, and the
 * report's per-instance figures must agree with the client's as a whole (how long the stalls are is a benchmark's
 * business, not a test's).
 */
class FleetRehearsalIntegrationTest {

    private static final RehearsalOptions SHORT = new RehearsalOptions(5, 300, 4, Duration.ofSeconds(1), 300, 300,
            Duration.ofMinutes(5));

    @Test
    void twoStarterInstancesFollowTheCutoverWithNothingLost() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        Report report = rehearse(new FleetOptions(2, ClientKind.STARTER, new DnsCache(Duration.ofSeconds(30), true)), output);

        assertThatNothingWasLostAndTheInstancesAddUp(report, 2);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("2 instances, starter client");
    }

    @Test
    void instancesBehindPgBouncerFollowTheCutoverWithNothingLost() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        Report report = rehearse(new FleetOptions(2, ClientKind.PGBOUNCER, null), output);

        assertThatNothingWasLostAndTheInstancesAddUp(report, 2);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("2 instances, pgbouncer client (PgBouncer on")
                .contains("PgBouncerResumed");
    }

    private static Report rehearse(FleetOptions fleet, ByteArrayOutputStream output) throws Exception {
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            Report report = new Rehearsal(SHORT, new RehearsalEndToEndTest.TeeStream(out, System.out)).withFleet(fleet).run();
            report.print(System.out);
            return report;
        }
    }

    private static void assertThatNothingWasLostAndTheInstancesAddUp(Report report, int instances) {
        assertThat(report.result()).isEqualTo(CutoverResult.COMPLETED);
        assertThat(report.lostWrites()).isZero();
        assertThat(report.writesAfterFence()).isZero();
        assertThat(report.duplicateKeyErrors()).isZero();
        assertThat(report.instances()).isEqualTo(instances);
        // Every instance was without an acknowledgement for at least as long as the whole client was.
        assertThat(report.medianInstanceDowntimeMs()).isGreaterThanOrEqualTo(report.clientDowntimeMs());
        assertThat(report.maxInstanceDowntimeMs()).isGreaterThanOrEqualTo(report.medianInstanceDowntimeMs());
        assertThat(report.maxStallMs()).isGreaterThanOrEqualTo(report.medianInstanceStallMs()).isPositive();
        assertThat(report.json())
                .contains("\"failedStatements\":" + report.failedStatements() + ",")
                .contains("\"failedAttempts\":" + report.failedStatements() + ",")
                .contains("\"maxInstanceDowntimeMs\":" + report.maxInstanceDowntimeMs() + ",")
                .contains("\"medianInstanceDowntimeMs\":" + report.medianInstanceDowntimeMs() + ",")
                .contains("\"maxStallMs\":" + report.maxStallMs() + ",");
    }
}
