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
 * A whole rehearsal on a broker with SASL/SCRAM and ACLs: every service logs in as its own user with no more than
 * platform's KafkaAccess grants it, and cutoverctl as the operator. A missing ACL would stop a service at start-up or
 * fail a step; the cutover completes with nothing lost.
 */
class KafkaSaslEndToEndTest {

    @Test
    void aCutoverWithEveryServiceLoggedInAsItsOwnKafkaUserCompletesWithNothingLost() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        RehearsalOptions options = new RehearsalOptions(5, 300, 4, Duration.ofSeconds(1), 300, 300,
                Duration.ofMinutes(5));

        Report report;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            report = new Rehearsal(options, new RehearsalEndToEndTest.TeeStream(out, System.out)).withKafkaSasl(true).run();
        }

        assertThat(report.result()).isEqualTo(CutoverResult.COMPLETED);
        assertThat(report.lostWrites()).isZero();
        assertThat(report.writesAfterFence()).isZero();
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("with SASL/SCRAM and ACLs")
                .contains("SASL/SCRAM users [schema-service, replicator, lag-monitor, dns-switcher, cutover-service, rehearsal]")
                .contains("operator rehearsal")
                .contains("CutoverCompleted");
    }
}
