package dev.cutover.cutover.migration.runner;

import java.util.Optional;

import dev.cutover.cutover.migration.Migration;
import dev.cutover.cutover.migration.MigrationId;

/**
 * Read access to every migration, for the ops API, on any instance: as folded from {@code cutover.events} by this
 * instance's projection, whichever instance runs it, a poll behind the log.
 */
@FunctionalInterface
public interface MigrationQueries {

    /** Where the migration stands as far as the log has been read; empty if it never started (or not yet). */
    Optional<Migration> state(MigrationId id);
}
