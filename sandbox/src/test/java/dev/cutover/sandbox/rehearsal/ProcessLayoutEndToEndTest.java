package dev.cutover.sandbox.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.cutover.sandbox.report.CutoverResult;
import dev.cutover.sandbox.report.Report;

/**
 * The production layout: every service started as {@code java -jar} of its exec jar, the broker in a JVM of its own,
 * the migration and the cutover driven by the cutoverctl script alone, and a client that resolves the name on every
 * connect and holds no pool. The cutover starts as soon as {@code cutoverctl migrate start --watch} has seen the
 * migration ready (no warm-up writes): lag-monitor may not have reported the streaming yet, which must not refuse it.
 */
class ProcessLayoutEndToEndTest {

    @Test
    void aCutoverStartedRightAfterTheMigrationIsReadyWithEveryServiceItsOwnProcessCompletesWithNothingLost() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        RehearsalOptions options = new RehearsalOptions(5, 300, 4, Duration.ofSeconds(1), 0, 300,
                Duration.ofMinutes(5)).withLayout(Layout.PROCESSES, ClientDns.NONE);

        Report report;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            report = new Rehearsal(options, new RehearsalEndToEndTest.TeeStream(out, System.out)).run();
        }

        assertThat(report.result()).isEqualTo(CutoverResult.COMPLETED);
        assertThat(report.lostWrites()).isZero();
        assertThat(report.writesAfterFence()).isZero();
        assertThat(report.duplicateKeyErrors()).isZero();
        assertThat(report.fenceMs()).isPresent();
        assertThat(report.lastWorkerBackMs().orElseThrow()).as("every worker wrote on the target")
                .isGreaterThanOrEqualTo(report.fenceMs().getAsLong());
        assertThat(report.cutoverctlStartMs()).isPresent();
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("Kafka in its own JVM")
                .contains("each its own process")
                .contains("no pool, no DNS cache")
                .contains("CutoverCompleted");
    }
}
