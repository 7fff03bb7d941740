package dev.cutover.sandbox.rehearsal;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
public final class MigrationDriver {

    private final KafkaProbe bus;
    private final PrintStream out;
    private final Duration timeout;

    public MigrationDriver(KafkaProbe bus, PrintStream out, Duration timeout) {
        this.bus = bus;
        this.out = out;
        this.timeout = timeout;
    }

    void prepareTarget() {
        Outcome outcome = migrate(SeedData.DATABASE);
        if (outcome.failure() != null) {
            throw new RehearsalFailed(outcome.failure());
        }
    }

    /**
     * How a migration ended: ready ({@code failure} null) or stopped, refused or timed out (then {@code failure}
     * says why), with every message of the migration read meanwhile.
     */
    public record Outcome(String migrationId, String failure, List<SpecificRecord> messages) {

        public Outcome {
            messages = List.copyOf(messages);
        }
    }

    /** Starts a migration of {@code database} and follows it until it is ready, stopped or refused, or the timeout. */
    public Outcome migrate(String database) {
        String migrationId = database + "-migration-" + UUID.randomUUID().toString().substring(0, 8);
        Instant start = Instant.now();
        bus.send(StartMigration.newBuilder()
                .setMetadata(KafkaProbe.metadata(database, null, migrationId))
                .setOperator(Services.OPERATOR)
                .setParallelism(0)
                .build());
        List<SpecificRecord> messages = new ArrayList<>();
        Instant deadline = start.plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (SpecificRecord message : bus.poll(Duration.ofMillis(100))) {
                if (!migrationId.equals(MessagePublisher.metadataOf(message).getMigrationId())) {
                    continue;
                }
                messages.add(message);
                long at = Duration.between(start, MessagePublisher.metadataOf(message).getOccurredAt()).toMillis();
                switch (message) {
                    case MigrationStepStarted step -> out.printf("  migration  %+8d ms  %s%n", at, step.getStep());
                    case FullLoadCompleted load -> out.printf("  migration  %+8d ms  full load: %d tables, %,d rows, %.1f MB/s%n",
                            at, load.getTables(), load.getRows(), load.getMegabytesPerSecond());
                    case MigrationReady ready -> {
                        out.printf("  migration  %+8d ms  ready: the target streams from the source%n", at);
                        return new Outcome(migrationId, null, messages);
                    }
                    case MigrationStopped stopped -> {
                        return new Outcome(migrationId, "the migration stopped at " + stopped.getFailedStep() + ": "
                                + stopped.getReason() + " (" + stopped.getOperatorAction() + ")", messages);
                    }
                    case MigrationRejected rejected -> {
                        return new Outcome(migrationId, "the migration was refused: " + rejected.getReason(), messages);
                    }
                    default -> {
                    }
                }
            }
        }
        return new Outcome(migrationId, "the migration was not ready within " + timeout, messages);
    }
}
