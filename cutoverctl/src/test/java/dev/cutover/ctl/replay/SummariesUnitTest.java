package dev.cutover.ctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.cutover.events.FindingSeverity;
import dev.cutover.events.Metadata;
import dev.cutover.events.PreflightFinding;
import dev.cutover.events.PreflightReported;

class SummariesUnitTest {

    @Test
    void aCutoversPreflightAnswerReadsAsItsFindingsEachWithItsRemedyNotAsItsFields() {
        PreflightFinding warning = PreflightFinding.newBuilder().setSeverity(FindingSeverity.WARNING)
                .setCheck("app_role_password").setObject("billing_rw").setMessage("its password could not be read")
                .setRemedy("set it on the target yourself").build();

        assertThat(Summaries.of(report(List.of(warning)))).isEqualTo("CUTOVER: WARNING app_role_password on billing_rw:"
                + " its password could not be read (remedy: set it on the target yourself)");
        assertThat(Summaries.of(report(List.of()))).isEqualTo("CUTOVER: no findings");
    }

    private static PreflightReported report(List<PreflightFinding> findings) {
        Metadata metadata = Metadata.newBuilder().setMessageId(UUID.randomUUID()).setCutoverId("billing-1")
                .setDatabase("billing").setOccurredAt(Instant.parse("2026-12-08T02:00:00Z")).setProducer("schema-service")
                .build();
        return PreflightReported.newBuilder().setMetadata(metadata).setScope("CUTOVER").setFindings(findings)
                .setBlockers(0).build();
    }
}
