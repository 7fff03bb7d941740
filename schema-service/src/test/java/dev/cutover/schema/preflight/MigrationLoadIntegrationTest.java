package dev.cutover.schema.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.LoadTables.LoadTable;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/** What a migration's preflight says the full load would move, on the stack's PostgreSQL 11 source. */
@ExtendWith(SharedStackExtension.class)
class MigrationLoadIntegrationTest {

    @Test
    void thePlanListsEveryTableTheLoadCopiesInEverySchemaInScopeWithItsSizeAndLeavesOutExcludedSchemas(
            LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "load_plan", List.of("scratch"), false);
        TestDatabases.execute(pair.source(),
                "CREATE TABLE public.accounts (id bigint PRIMARY KEY)",
                "CREATE SCHEMA billing",
                "CREATE TABLE billing.invoices (id bigint PRIMARY KEY, note text)",
                "INSERT INTO billing.invoices SELECT i, repeat('x', 200) FROM generate_series(1, 2000) i",
                "ANALYZE billing.invoices",
                "CREATE TABLE billing.events (at date NOT NULL, entry text) PARTITION BY RANGE (at)",
                "CREATE TABLE billing.events_2026 PARTITION OF billing.events"
                        + " FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "CREATE TABLE billing.notes (id bigint PRIMARY KEY, line text)",
                "CREATE TABLE billing.urgent_notes (priority int) INHERITS (billing.notes)",
                "CREATE VIEW billing.totals AS SELECT count(*) FROM billing.invoices",
                "CREATE SCHEMA scratch",
                "CREATE TABLE scratch.dump (line text)",
                "INSERT INTO scratch.dump SELECT repeat('y', 500) FROM generate_series(1, 1000)");

        MigrationLoad load = MigrationLoad.read(pair);

        assertThat(load.schemas()).containsExactly("billing", "public");
        assertThat(load.tables()).extracting(LoadTable::qualifiedName).as("leaf partitions and each inheritance"
                + " table on its own, no partitioned parent, no view, nothing of the excluded schema").containsExactly(
                "billing.events_2026", "billing.invoices", "billing.notes", "billing.urgent_notes", "public.accounts");
        LoadTable invoices = load.tables().get(1);
        assertThat(invoices.bytes()).as("2,000 rows of 200 bytes").isGreaterThan(400_000);
        assertThat(invoices.estimatedRows()).isEqualTo(OptionalLong.of(2000));
        assertThat(load.tables().get(4).bytes()).as("an empty table").isZero();
        assertThat(load.tables().get(4).estimatedRows().orElse(0)).as("an empty table").isZero();
    }
}
