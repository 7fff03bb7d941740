package dev.cutover.sandbox.faults;

import java.util.Arrays;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.MigrationStarted;
import dev.cutover.events.MigrationStepStarted;
import dev.cutover.events.StepStarted;

/**
 * Where a fault strikes: for the migration, the saga's {@code MigrationStepStarted} for that step (for the preflight,
 * {@code MigrationStarted}); for the cutover, its {@code StepStarted} (for the tidy-up, {@code CutoverCompleted}).
 * Each is read by the case's own consumer, never a time. The fence's other steps (the canary, the sequences, the
 * catch-up) start with {@link #STOP_TRAFFIC}, so it stands for them all.
 */
public enum Moment {
    /** The migration's preflight: schema-service checks both servers. */
    PREFLIGHT(Phase.MIGRATION),
    /** The schema's pre-data is applied to the target. */
    PRE_DATA(Phase.MIGRATION),
    /** The replicator copies every table from its slot's snapshot; each copied table's indexes are built meanwhile. */
    FULL_LOAD(Phase.MIGRATION),
    /** What is left of the schema's post-data is built. */
    POST_DATA(Phase.MIGRATION),
    /** The subscription is created and starts streaming. */
    STREAMING(Phase.MIGRATION),
    /** The target's schema is compared with the source's. */
    VERIFY_SCHEMA(Phase.MIGRATION),
    /** The target's rows are compared with the source's. */
    VERIFY_DATA(Phase.MIGRATION),
    /** The DNS record's TTL is lowered to the cutover's. */
    LOWER_DNS_TTL(Phase.MIGRATION),
    /**
     * The cutover's start: the harness strikes it itself, just before it runs {@code cutoverctl start}, and waits until
     * it is in place. A fault that must be in place when the flip is sent strikes here: the flip lands milliseconds
     * after its step begins, and ~200 ms after {@code CutoverStarted}, too soon for a reader of the bus on a busy
     * machine; struck at the migration's readiness instead, a 20 s fault could be over before the client's warm-up
     * and the settling of the services' groups let the cutover start. No message triggers it.
     */
    START(Phase.SWITCH),
    /** The DNS name moves to the still locked target; nothing has been fenced yet. */
    FLIP_DNS(Phase.SWITCH),
    /** The fence, the canary, the sequences and the wait for the catch-up begin. */
    STOP_TRAFFIC(Phase.SWITCH),
    /** The point of no return: the target opens to the application. */
    OPEN_TARGET(Phase.PAST_NO_RETURN),
    /**
     * The cutover is done for the application: the saga's {@code CutoverCompleted} goes out with the tidy-up's
     * commands (stop the replication, restore the TTL), which it then follows up until each is done.
     */
    TIDY_UP(Phase.PAST_NO_RETURN);

    private enum Phase { MIGRATION, SWITCH, PAST_NO_RETURN }

    private final Phase phase;

    Moment(Phase phase) {
        this.phase = phase;
    }

    /** From here on the saga only goes forward: the application may have written on the target. */
    public boolean pastNoReturn() {
        return phase == Phase.PAST_NO_RETURN;
    }

    /** A step of the migration that comes before the cutover, rather than of the cutover itself. */
    public boolean duringMigration() {
        return phase == Phase.MIGRATION;
    }

    /** The cutover's steps, in the order they come: where each service is killed. */
    public static List<Moment> stepsOfTheCutover() {
        return Arrays.stream(values()).filter(moment -> !moment.duringMigration() && moment != START).toList();
    }

    boolean triggeredBy(SpecificRecord message) {
        return switch (this) {
            case PREFLIGHT -> message instanceof MigrationStarted;
            case START -> false;
            case TIDY_UP -> message instanceof CutoverCompleted;
            default -> duringMigration()
                    ? message instanceof MigrationStepStarted migrationStep && migrationStep.getStep().equals(name())
                    : message instanceof StepStarted cutoverStep && cutoverStep.getStep().equals(name());
        };
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
