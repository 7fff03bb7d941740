package dev.cutover.cutover.migration;

import dev.cutover.cutover.saga.Text;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the migration saga asks participants to do. Migration id and database travel in the envelope; every participant
 * must do no harm when it receives the same command twice, because a restarted saga may send it again.
 */
public sealed interface MigrationCommand {

    /** Schema-service: check that source and target are fit for a migration (scope MIGRATION) and report every finding. */
    record CheckPreflight() implements MigrationCommand {
    }

    /**
     * Schema-service: apply one section of the source's schema to the target.
     *
     * @param tables         post-data only: build just the indexes and keys of these copied tables
     *                       ({@code schema.table}); empty for the whole section
     * @param withheldTables the whole post-data of a resumed load: the tables it left to table synchronisation, still
     *                       empty on the target; foreign keys referencing them wait for {@link VerifySchema}'s check
     */
    record ApplySchema(SchemaSection section, int parallelism, List<String> tables, List<String> withheldTables)
            implements MigrationCommand {

        public ApplySchema {
            Objects.requireNonNull(section, "section must not be null");
            if (parallelism < 0) {
                throw new IllegalArgumentException("parallelism must not be negative, was " + parallelism);
            }
            tables = List.copyOf(tables);
            withheldTables = List.copyOf(withheldTables);
            if (section == SchemaSection.PRE_DATA && !tables.isEmpty()) {
                throw new IllegalArgumentException("only post-data is applied table by table, not " + section);
            }
            if (!withheldTables.isEmpty() && (section != SchemaSection.POST_DATA || !tables.isEmpty())) {
                throw new IllegalArgumentException("only the whole post-data section waits for withheld tables");
            }
        }

        /** Post-data of some copied tables, or the whole section when {@code tables} is empty. */
        public ApplySchema(SchemaSection section, int parallelism, List<String> tables) {
            this(section, parallelism, tables, List.of());
        }

        /** The whole section. */
        public ApplySchema(SchemaSection section, int parallelism) {
            this(section, parallelism, List.of());
        }
    }

    /** Replicator: create the publication and the slot, and copy every table from the slot's snapshot. */
    record CopyData(int parallelism) implements MigrationCommand {

        public CopyData {
            if (parallelism < 0) {
                throw new IllegalArgumentException("parallelism must not be negative, was " + parallelism);
            }
        }
    }

    /**
     * Replicator: subscribe the target to the copy's slot, so every change since the snapshot streams in.
     *
     * @param verification the data verification planned (a sampled one needs the rows changed from now on recorded);
     *                     empty leaves it to the replicator's setting
     */
    record StartStreaming(Optional<DataVerification> verification) implements MigrationCommand {

        public StartStreaming {
            Objects.requireNonNull(verification, "verification must not be null");
        }

        /** As the replicator is configured to. */
        public StartStreaming() {
            this(Optional.empty());
        }
    }

    /**
     * Schema-service: compare the target's schema with the source's.
     *
     * @param withheldTables after a resumed load, the tables table synchronisation copied: the foreign keys that
     *                       reference them are finished (validated, or added) before the comparison
     */
    record VerifySchema(List<String> withheldTables) implements MigrationCommand {

        public VerifySchema {
            withheldTables = List.copyOf(withheldTables);
        }

        /** After a load that copied every table. */
        public VerifySchema() {
            this(List.of());
        }
    }

    /**
     * Replicator: compare rows between source and target.
     *
     * @param mode how; empty leaves it to the replicator's setting
     */
    record VerifyData(Optional<DataVerification> mode) implements MigrationCommand {

        public VerifyData {
            Objects.requireNonNull(mode, "mode must not be null");
        }

        /** As the replicator is configured to. */
        public VerifyData() {
            this(Optional.empty());
        }
    }

    /**
     * Replicator: remove what the migration created (the subscription on the target, the slot and cutover's
     * publication on the source) and, when {@code dropTargetTables}, the target's tables of the database's schemas.
     * Sent on every abort: what is already gone is reported as not present, so a repeat does no harm.
     */
    record CleanUp(boolean dropTargetTables) implements MigrationCommand {
    }

    /** DNS switcher: lower the record's TTL to the one the cutover will use. */
    record LowerDnsTtl(String recordName, Duration ttl) implements MigrationCommand {

        public LowerDnsTtl {
            Text.notBlank(recordName, "recordName");
            Text.notNegative(ttl, "ttl");
        }
    }
}
