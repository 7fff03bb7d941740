package dev.cutover.cutover.migration.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.cutover.migration.MigrationEvent;
import dev.cutover.cutover.migration.MigrationMessage;
import dev.cutover.cutover.migration.MigrationStep;
import dev.cutover.events.FullLoadResumed;
import dev.cutover.events.Metadata;
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
}
