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
 * A short rehearsal, the whole way: real Kafka, PostgreSQL 11 and 17, BIND, every service, the migration
 * saga, the client writing through the DNS name, the cutover started with cutoverctl, every acknowledged
 * write checked row by row on the target.
 */
class RehearsalEndToEndTest {

    @Test
    void aShortRehearsalCompletesWithNothingLostAndNothingWrittenAfterTheFence() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        RehearsalOptions options = new RehearsalOptions(5, 300, 4, Duration.ofSeconds(1), 300, 300,
                Duration.ofMinutes(5));

        Report report;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            report = new Rehearsal(options, new TeeStream(out, System.out)).run();
        }

        assertThat(report.result()).isEqualTo(CutoverResult.COMPLETED);
        assertThat(report.ackedWrites()).isGreaterThanOrEqualTo(600);
        assertThat(report.lostWrites()).isZero();
        assertThat(report.writesAfterFence()).isZero();
        assertThat(report.duplicateKeyErrors()).isZero();
        assertThat(report.exitCode()).isZero();
        // The target opens only after the fence: the switch's own time is positive.
        assertThat(report.fencedToOpenMs().orElseThrow()).isPositive();
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("ready: the target streams from the source")
                .contains("CutoverCompleted");
    }

    /** Keeps the rehearsal's output for the assertions and shows it in the build log. */
    static final class TeeStream extends PrintStream {

        private final PrintStream second;

        TeeStream(PrintStream first, PrintStream second) {
            super(first, true, StandardCharsets.UTF_8);
            this.second = second;
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
            super.write(buffer, offset, length);
            second.write(buffer, offset, length);
        }

        @Override
        public void write(int b) {
            super.write(b);
            second.write(b);
        }
    }
}
