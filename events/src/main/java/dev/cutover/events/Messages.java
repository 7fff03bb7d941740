package dev.cutover.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The catalogue of every current message type: what a consumer may find on {@code cutover.commands},
 * {@code cutover.events} and {@code replication.lag}, and whether it is a command or an event.
 *
 * <p>A new {@code .avsc} under {@code src/main/avro} is not a message until it is listed here; a test keeps the two
 * in step.
 */
public final class Messages {

    /** Commands ask one service to do something; events state what has happened. */
    public enum Kind {
        COMMAND, EVENT
    }

    /** One message type: its generated class, its current schema and its kind. */
    public record MessageType(Class<? extends SpecificRecord> javaClass, Schema schema, Kind kind) {

        /** The Avro full name, e.g. {@code dev.cutover.events.FlipDns}: also the {@code cutover-type} header. */
        public String fullName() {
            return schema.getFullName();
        }

        /** The Avro name without namespace, e.g. {@code FlipDns}. */
        public String name() {
            return schema.getName();
        }

        public boolean isCommand() {
            return kind == Kind.COMMAND;
        }

        public boolean isEvent() {
            return kind == Kind.EVENT;
        }

        @Override
        public String toString() {
            return name() + " (" + kind + ")";
        }
    }

    private static final List<MessageType> ALL = List.of(
            command(StartMigration.class),
            command(StartCutover.class),
            command(AbortCutover.class),
            command(AbortMigration.class),
            command(CheckPreflight.class),
            command(ApplySchema.class),
            command(VerifySchema.class),
            command(SyncSequences.class),
            command(CopyData.class),
            command(StartStreaming.class),
            command(StopReplication.class),
            command(VerifyData.class),
            command(AwaitCatchUp.class),
            command(LowerDnsTtl.class),
            command(FlipDns.class),
            command(RevertDns.class),
            command(RestoreDnsTtl.class),
            command(StopTraffic.class),
            command(WriteCanary.class),
            command(OpenTarget.class),
            command(RestoreSource.class),
            command(LockTarget.class),
            command(CleanUpMigration.class),
            command(PrepareFallback.class),
            command(StartReverseReplication.class),
            command(RemoveFallback.class),
            command(StartFallback.class),
            command(AwaitReverseCatchUp.class),
            command(StopReverseReplication.class),
            command(CopyLoadTask.class),
            event(MigrationStarted.class),
            event(MigrationReady.class),
            event(PreflightReported.class),
            event(SchemaApplied.class),
            event(TableCopied.class),
            event(FullLoadCompleted.class),
            event(FullLoadResumed.class),
            event(ReplicationStreaming.class),
            event(ReplicationStopped.class),
            event(SchemaVerified.class),
            event(DataVerified.class),
            event(LagReported.class),
            event(ReplicationStalled.class),
            event(ReplicationRecovered.class),
            event(StaleWriterDetected.class),
            event(ReplicationSlotIdle.class),
            event(SagaSilent.class),
            event(CutoverStarted.class),
            event(CutoverRejected.class),
            event(CutoverPlanned.class),
            event(TrafficStopped.class),
            event(CanaryWritten.class),
            event(CanaryObserved.class),
            event(SequencesSynced.class),
            event(TargetOpened.class),
            event(DnsTtlChanged.class),
            event(DnsFlipped.class),
            event(DnsReverted.class),
            event(TrafficResumed.class),
            event(CutoverCompleted.class),
            event(StepFailed.class),
            event(SourceRestored.class),
            event(CutoverRolledBack.class),
            event(TargetLocked.class),
            event(PreflightPassed.class),
            event(StepStarted.class),
            event(StepFinished.class),
            event(CanaryRecorded.class),
            event(CompensationStarted.class),
            event(CompensationRetried.class),
            event(CompensationPartDone.class),
            event(StepRetried.class),
            event(StepFailureNoted.class),
            event(TidyUpTaskDone.class),
            event(AbortRefused.class),
            event(MigrationPlanned.class),
            event(MigrationRejected.class),
            event(MigrationStepStarted.class),
            event(MigrationDataMismatched.class),
            event(MigrationStepRetrying.class),
            event(MigrationStopped.class),
            event(MigrationCleanedUp.class),
            event(FullLoadSized.class),
            event(MigrationPlanReported.class),
            event(PgBouncerResumed.class),
            event(FallbackPrepared.class),
            event(ReverseReplicationStarted.class),
            event(FallbackRemoved.class),
            event(FallbackPointRecorded.class),
            event(CommandRefused.class),
            event(ReverseCaughtUp.class),
            event(FallbackStarted.class),
            event(FallbackStepStarted.class),
            event(FallbackStepFinished.class),
            event(FallbackRollingBack.class),
            event(FallbackRolledBack.class),
            event(FallbackRollbackPartDone.class),
            event(FallbackCompleted.class),
            event(FallbackRejected.class),
            event(LoadTaskDone.class));

    private static final Map<String, MessageType> BY_FULL_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(MessageType::fullName, Function.identity()));

    private Messages() {
    }

    /** Every message type, commands first, in the order of the architecture document. */
    public static List<MessageType> all() {
        return ALL;
    }

    /** The current schema of every message type. */
    public static List<Schema> schemas() {
        return ALL.stream().map(MessageType::schema).toList();
    }

    /** The message type with this Avro full name (e.g. {@code dev.cutover.events.FlipDns}), if there is one. */
    public static Optional<MessageType> find(String fullName) {
        return Optional.ofNullable(BY_FULL_NAME.get(fullName));
    }

    /** The message type of this generated class; throws if the class is not a cutover message. */
    public static MessageType of(Class<?> javaClass) {
        return ALL.stream()
                .filter(type -> type.javaClass().equals(javaClass))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        javaClass.getName() + " is not a cutover message type (see Messages.all())"));
    }

    public static boolean isCommand(SpecificRecord message) {
        return isCommand(message.getSchema().getFullName());
    }

    /** Whether the type with this full name is a command; false for names that are no message type at all. */
    public static boolean isCommand(String fullName) {
        return find(fullName).filter(MessageType::isCommand).isPresent();
    }

    public static boolean isEvent(SpecificRecord message) {
        return isEvent(message.getSchema().getFullName());
    }

    /** Whether the type with this full name is an event; false for names that are no message type at all. */
    public static boolean isEvent(String fullName) {
        return find(fullName).filter(MessageType::isEvent).isPresent();
    }

    private static MessageType command(Class<? extends SpecificRecord> javaClass) {
        return new MessageType(javaClass, SpecificData.get().getSchema(javaClass), Kind.COMMAND);
    }

    private static MessageType event(Class<? extends SpecificRecord> javaClass) {
        return new MessageType(javaClass, SpecificData.get().getSchema(javaClass), Kind.EVENT);
    }
}
