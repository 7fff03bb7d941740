package dev.cutover.cutover.migration;

import dev.cutover.cutover.saga.Text;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a migration's full load would move, as schema-service measured it on the source for the preflight: the
 * schemas in scope and every table the replicator would copy.
 */
public record SourceLoad(List<String> schemas, List<Table> tables) {

    /** Nothing measured: what a preflight written before the measurement existed reports. */
    public static final SourceLoad UNKNOWN = new SourceLoad(List.of(), List.of());

    /**
     * One table of the load.
     *
     * @param name          {@code schema.table}
     * @param bytes         its size on the source
     * @param estimatedRows PostgreSQL's estimate; empty when the source has none
     */
    public record Table(String name, long bytes, OptionalLong estimatedRows) {

        public Table {
            Text.notBlank(name, "name");
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must not be negative, was " + bytes);
            }
            Objects.requireNonNull(estimatedRows, "estimatedRows must not be null");
        }
    }

    public SourceLoad {
        schemas = List.copyOf(schemas);
        tables = List.copyOf(tables);
    }

    public long totalBytes() {
        return tables.stream().mapToLong(Table::bytes).sum();
    }
}
