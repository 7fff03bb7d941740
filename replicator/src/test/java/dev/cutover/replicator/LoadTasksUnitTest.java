package dev.cutover.replicator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.cutover.events.Metadata;
import dev.cutover.replicator.copy.CopyRange;
import dev.cutover.replicator.copy.SharedTask;
import dev.cutover.replicator.copy.TaskOutcome;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.TableName;

class LoadTasksUnitTest {

    private static final Metadata METADATA = Metadata.newBuilder().setMessageId(UUID.randomUUID())
            .setMigrationId("migration-1").setDatabase("shop").setOccurredAt(Instant.EPOCH).setProducer("replicator")
            .build();

    @Test
    void aTaskTravelsWithItsRangeWhateverItsKind() {
        List<CopyRange> ranges = List.of(new CopyRange.All(), new CopyRange.Blocks(0, Optional.of(1200L)),
                new CopyRange.Blocks(1200, Optional.empty()),
                new CopyRange.Keys("id", "uuid", Optional.empty(), Optional.of("8000")),
                new CopyRange.Keys("id", "uuid", Optional.of("8000"), Optional.empty()));

        for (CopyRange range : ranges) {
            SharedTask task = new SharedTask("load-1", 3, "cutover_slot_shop", Lsn.parse("0/16B3748"),
                    "00000003-00000002-1", new TableName("Sales", "order lines"), List.of("id", "Note"), true, range, 2,
                    1_000_000);

            assertThat(LoadTasks.task(LoadTasks.message(task, METADATA))).isEqualTo(task);
        }
    }

    @Test
    void anAnswerSaysWhoCopiedWhatOrWhyNot() {
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TaskOutcome copied = new TaskOutcome.Copied("load-1", 2, "shop.items", 1000, 65_536, started,
                started.plusMillis(40), "replicator-2", true);
        TaskOutcome failed = new TaskOutcome.Failed("load-1", 3, "shop.notes", "a trigger skipped rows", false, false,
                started, started.plusMillis(5), "replicator-1");

        assertThat(LoadTasks.outcome(LoadTasks.answer(copied, METADATA))).isEqualTo(copied);
        assertThat(LoadTasks.outcome(LoadTasks.answer(failed, METADATA))).isEqualTo(failed);
    }
}
