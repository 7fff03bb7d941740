package dev.cutover.cutover.runner;

import java.util.Optional;

import dev.cutover.cutover.saga.DatabaseName;

/** Where the migration saga's log says a migration of a database is still running, for a cutover's start to refuse. */
@FunctionalInterface
public interface MigrationsInFlight {

    /** No migration ever runs here (a deployment or a test without the migration saga). */
    MigrationsInFlight NONE = database -> Optional.empty();

    /** "migration shop-migration-... is at FULL_LOAD" while one of {@code database} runs; empty otherwise. */
    Optional<String> of(DatabaseName database);
}
