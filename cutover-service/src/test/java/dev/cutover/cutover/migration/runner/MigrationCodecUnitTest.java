package dev.cutover.cutover.migration.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import dev.cutover.cutover.migration.DataVerification;
import dev.cutover.cutover.migration.MigrationCommand;
import dev.cutover.cutover.migration.MigrationEvent;
import dev.cutover.cutover.migration.MigrationId;
import dev.cutover.cutover.migration.MigrationMessage;
import dev.cutover.cutover.migration.MigrationPlan;
import dev.cutover.cutover.migration.MigrationStep;
import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.cutover.saga.Operator;
import dev.cutover.events.FullLoadResumed;
import dev.cutover.events.Metadata;
import dev.cutover.events.MigrationPlanned;
import dev.cutover.events.VerificationMode;
import dev.cutover.events.VerifyData;
import dev.cutover.events.ReportedTable;

/** The replicator's answers about a migration as the migration saga understands them. */
class MigrationCodecUnitTest {

    private static final Metadata METADATA = Metadata.newBuilder().setMessageId(UUID.randomUUID())
            .setMigrationId("orders-1").setDatabase("orders").setOccurredAt(Instant.parse("2026-12-06T10:00:00Z"))
            .setProducer("replicator").build();

    @Test
    void aResumedLoadIsUnderstoodAsTheFullLoadsAnswerWithItsKeptAndWithheldTables() {
        FullLoadResumed resumed = FullLoadResumed.newBuilder().setMetadata(METADATA).setSlot("cutover_slot_orders")
                .setConsistentLsn("0/16B3748")
                .setKeptTables(List.of(ReportedTable.newBuilder().setTable("sales.orders").setRows(1200).build()))
                .setWithheldTables(List.of("sales.lines"))
                .build();

        assertThat(MigrationCodec.inbound(resumed)).contains(new MigrationMessage.FullLoadResumed("cutover_slot_orders",
                List.of("sales.orders"), List.of("sales.lines")));
    }

    @Test
    void theTablesALoadLeftToTableSynchronisationSurviveTheRecordThatRebuildsTheSaga() {
        var started = new MigrationEvent.MigrationStepStarted(MigrationStep.POST_DATA, 1, METADATA.getOccurredAt(),
                List.of("sales.lines"));

        List<SpecificRecord> recorded = MigrationCodec.event(started, () -> METADATA);

        assertThat(recorded).hasSize(1);
        assertThat(MigrationCodec.sagaEvent(recorded.getFirst())).contains(started);
    }

    @Test
    void aFullLoadWaitingToBeTriedAgainSurvivesTheRecordThatRebuildsTheSaga() {
        var retrying = new MigrationEvent.MigrationStepRetrying(MigrationStep.FULL_LOAD, 1, "the source is restarting",
                METADATA.getOccurredAt().plusSeconds(30), METADATA.getOccurredAt());

        List<SpecificRecord> recorded = MigrationCodec.event(retrying, () -> METADATA);

        assertThat(recorded).hasSize(1);
        assertThat(MigrationCodec.sagaEvent(recorded.getFirst())).contains(retrying);
        assertThat(MigrationCodec.isOwn(recorded.getFirst())).isTrue();
    }

    @Test
    void aSampledVerificationAskedAtTheStartSurvivesTheRecordedPlanAndReachesVerifyData() {
        MigrationPlan plan = new MigrationPlan(2, Optional.empty(), false, Optional.of(DataVerification.SAMPLED));
        List<SpecificRecord> recorded = MigrationCodec.event(new MigrationEvent.MigrationStarted(
                new MigrationId("orders-1"), new DatabaseName("orders"), new Operator("alice"), plan,
                Instant.parse("2026-12-06T10:00:00Z")), () -> METADATA);

        assertThat(recorded).filteredOn(MigrationPlanned.class::isInstance).singleElement()
                .satisfies(planned -> assertThat(MigrationCodec.sagaEvent(planned)).hasValueSatisfying(event ->
                        assertThat(((MigrationEvent.MigrationStarted) event).plan()).isEqualTo(plan)));
        assertThat(((VerifyData) MigrationCodec.command(new MigrationCommand.VerifyData(plan.verification()), METADATA))
                .getMode()).isEqualTo(VerificationMode.SAMPLED);
        assertThat(((VerifyData) MigrationCodec.command(new MigrationCommand.VerifyData(), METADATA)).getMode())
                .as("left to the replicator").isNull();
    }
}
