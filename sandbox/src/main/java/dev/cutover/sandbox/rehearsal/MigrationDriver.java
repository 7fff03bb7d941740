package dev.cutover.sandbox.rehearsal;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.FullLoadCompleted;
import dev.cutover.events.MigrationReady;
import dev.cutover.events.MigrationRejected;
import dev.cutover.events.MigrationStepStarted;
import dev.cutover.events.MigrationStopped;
import dev.cutover.events.StartMigration;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;

/**
 * Prepares the target the way ops do: one {@code StartMigration}, then the migration saga drives
 * preflight, pre-data, the full load, post-data, streaming and verification. Each step is printed as
 * it starts; a stop or a refusal ends the rehearsal with the saga's reason.
 */
final class MigrationDriver {

    private final KafkaProbe bus;
    private final PrintStream out;
    private final Duration timeout;

    MigrationDriver(KafkaProbe bus, PrintStream out, Duration timeout) {
        this.bus = bus;
        this.out = out;
        this.timeout = timeout;
    }

    void prepareTarget() {
        String migrationId = SeedData.DATABASE + "-migration-" + UUID.randomUUID().toString().substring(0, 8);
        Instant start = Instant.now();
        bus.send(StartMigration.newBuilder()
                .setMetadata(KafkaProbe.metadata(SeedData.DATABASE, null, migrationId))
                .setOperator(Services.OPERATOR)
                .setParallelism(0)
                .build());
        Instant deadline = start.plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (SpecificRecord message : bus.poll(Duration.ofMillis(100))) {
                if (!migrationId.equals(MessagePublisher.metadataOf(message).getMigrationId())) {
                    continue;
                }
                long at = Duration.between(start, MessagePublisher.metadataOf(message).getOccurredAt()).toMillis();
                switch (message) {
                    case MigrationStepStarted step -> out.printf("  migration  %+8d ms  %s%n", at, step.getStep());
                    case FullLoadCompleted load -> out.printf("  migration  %+8d ms  full load: %d tables, %,d rows, %.1f MB/s%n",
                            at, load.getTables(), load.getRows(), load.getMegabytesPerSecond());
                    case MigrationReady ready -> {
                        out.printf("  migration  %+8d ms  ready: the target streams from the source%n", at);
                        return;
                    }
                    case MigrationStopped stopped -> throw new RehearsalFailed("the migration stopped at "
                            + stopped.getFailedStep() + ": " + stopped.getReason() + " (" + stopped.getOperatorAction() + ")");
                    case MigrationRejected rejected -> throw new RehearsalFailed("the migration was refused: "
                            + rejected.getReason());
                    default -> {
                    }
                }
            }
        }
        throw new RehearsalFailed("the migration was not ready within " + timeout);
    }
}
