package dev.cutover.cutover.migration;

import dev.cutover.cutover.migration.MigrationCommand.ApplySchema;
import dev.cutover.cutover.migration.MigrationCommand.CheckPreflight;
import dev.cutover.cutover.migration.MigrationCommand.CopyData;
import dev.cutover.cutover.migration.MigrationCommand.LowerDnsTtl;
import dev.cutover.cutover.migration.MigrationCommand.StartStreaming;
import dev.cutover.cutover.migration.MigrationCommand.VerifyData;
import dev.cutover.cutover.migration.MigrationCommand.VerifySchema;
import java.time.Duration;

/**
 * The steps of a migration, in the order they run. The default timeouts are sized for large databases: a full load of
 * a few terabytes and the index builds after it take hours, while the checks and the subscription take seconds. None
 * is shorter than 2 minutes, so that a participant killed and started again, which gets its command back only once
 * its dead consumer's session has expired (45 s), delays a migration instead of stopping it.
 */
public enum MigrationStep {
    PREFLIGHT(Duration.ofMinutes(2), CheckPreflight.class),
    PRE_DATA(Duration.ofMinutes(5), ApplySchema.class),
    FULL_LOAD(Duration.ofHours(24), CopyData.class),
    POST_DATA(Duration.ofHours(12), ApplySchema.class),
    STREAMING(Duration.ofMinutes(5), StartStreaming.class),
    VERIFY_SCHEMA(Duration.ofMinutes(10), VerifySchema.class),
    VERIFY_DATA(Duration.ofHours(2), VerifyData.class),
    LOWER_DNS_TTL(Duration.ofMinutes(2), LowerDnsTtl.class);

    private final Duration defaultTimeout;
    private final Class<? extends MigrationCommand> command;

    MigrationStep(Duration defaultTimeout, Class<? extends MigrationCommand> command) {
        this.defaultTimeout = defaultTimeout;
        this.command = command;
    }

    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    /** The kind of command the step sends; a participant's {@code StepFailed} names it, not the step. */
    public Class<? extends MigrationCommand> command() {
        return command;
    }
}
