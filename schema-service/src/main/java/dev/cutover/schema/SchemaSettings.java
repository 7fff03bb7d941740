package dev.cutover.schema;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.cutover.schema.section.BuildMemory;

/**
 * The schema service's settings, under {@code cutover.schema}.
 *
 * @param clientBin          directory holding pg_dump, pg_restore and psql; unset to find them on the PATH.
 *                           pg_dump must be at least as new as the source server
 * @param postDataWorkers    connections that build indexes and keys at once; an ApplySchema command may ask for another number
 * @param postDataTablesAtOnce copied tables whose post-data is built at the same time during a migration's load, each
 *                           with its own post-data workers
 * @param longTransaction    preflight reports transactions on the source open longer than this
 * @param sequenceMargin     added to every sequence's value on the target unless the command says otherwise
 * @param toolTimeout        how long pg_dump, pg_restore or psql may run before it is stopped
 * @param workDirectory      where dumps are written while a command runs; unset for a directory under java.io.tmpdir
 * @param rememberedCommands how many handled command ids are remembered, to answer a repeated command without redoing it
 * @param fenceWait          how long SyncSequences waits for the source to be fenced (the saga sends it while the fence
 *                           goes up) before it fails
 * @param canaryRoundTrip    how long the cutover's preflight waits for a canary row written on the source to arrive
 *                           on the target before it blocks the cutover
 * @param postDataMaintenanceWorkMem {@code maintenance_work_mem} of each post-data connection (index builds and
 *                           foreign keys' checks sort and join in it); 0 for the target server's own. Up to workers
 *                           times tables at once builds use it together
 */
@ConfigurationProperties("cutover.schema")
public record SchemaSettings(
        Path clientBin,
        @DefaultValue("2") int postDataWorkers,
        @DefaultValue("2") int postDataTablesAtOnce,
        @DefaultValue("5m") Duration longTransaction,
        @DefaultValue("0") long sequenceMargin,
        @DefaultValue("30m") Duration toolTimeout,
        Path workDirectory,
        @DefaultValue("10000") int rememberedCommands,
        @DefaultValue("10s") Duration fenceWait,
        @DefaultValue("10s") Duration canaryRoundTrip,
        @DefaultValue("1GB") DataSize postDataMaintenanceWorkMem) {

    public SchemaSettings {
        if (postDataWorkers < 1 || postDataWorkers > 64) {
            throw new IllegalArgumentException("cutover.schema.post-data-workers must be 1..64, was " + postDataWorkers
                    + " (about the target's CPU count is a good start)");
        }
        if (postDataTablesAtOnce < 1 || postDataTablesAtOnce > 64) {
            throw new IllegalArgumentException("cutover.schema.post-data-tables-at-once must be 1..64, was "
                    + postDataTablesAtOnce + " (2 keeps a small target's cores busy once the copy is over)");
        }
        if (longTransaction == null || longTransaction.isNegative()) {
            throw new IllegalArgumentException("cutover.schema.long-transaction must be a positive duration such as 5m, was "
                    + longTransaction);
        }
        if (sequenceMargin < 0) {
            throw new IllegalArgumentException("cutover.schema.sequence-margin must be 0 or more, was " + sequenceMargin);
        }
        if (toolTimeout == null || toolTimeout.isNegative() || toolTimeout.isZero()) {
            throw new IllegalArgumentException("cutover.schema.tool-timeout must be a positive duration such as 30m, was "
                    + toolTimeout);
        }
        if (rememberedCommands < 1) {
            throw new IllegalArgumentException("cutover.schema.remembered-commands must be at least 1, was "
                    + rememberedCommands);
        }
        if (fenceWait == null || fenceWait.isNegative()) {
            throw new IllegalArgumentException("cutover.schema.fence-wait must be a duration such as 10s, was " + fenceWait);
        }
        if (canaryRoundTrip == null || canaryRoundTrip.isNegative() || canaryRoundTrip.isZero()) {
            throw new IllegalArgumentException("cutover.schema.canary-round-trip must be a positive duration such as"
                    + " 10s, was " + canaryRoundTrip);
        }
        buildMemory(postDataMaintenanceWorkMem);
        workDirectory = workDirectory != null ? workDirectory
                : Path.of(System.getProperty("java.io.tmpdir"), "cutover-schema");
    }

    /** The memory each post-data connection may sort in on the target. */
    public BuildMemory buildMemory() {
        return buildMemory(postDataMaintenanceWorkMem);
    }

    private static BuildMemory buildMemory(DataSize maintenanceWorkMem) {
        if (maintenanceWorkMem == null) {
            throw new IllegalArgumentException("cutover.schema.post-data-maintenance-work-mem must be a size such as 1GB,"
                    + " or 0 to keep the target server's own setting");
        }
        return new BuildMemory(maintenanceWorkMem.toKilobytes());
    }
}
