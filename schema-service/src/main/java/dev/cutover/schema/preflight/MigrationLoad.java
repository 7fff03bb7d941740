package dev.cutover.schema.preflight;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.LoadTables;
import dev.cutover.platform.database.LoadTables.LoadTable;
import dev.cutover.schema.pgtools.Catalog;

/**
 * What a migration would move, read on the source for its preflight: the schemas in scope and every table the full
 * load would copy, with its size. The tables are the replicator's own list ({@link LoadTables}), so what preflight
 * reports is what the load copies.
 *
 * @param schemas the schemas in scope, as every step resolves them; {@code cutover} is not among them, though its
 *                tables, once pre-data has created them on the source, are among {@code tables}
 */
public record MigrationLoad(List<String> schemas, List<LoadTable> tables) {

    public MigrationLoad {
        schemas = List.copyOf(schemas);
        tables = List.copyOf(tables);
    }

    public static MigrationLoad read(DatabasePair pair) {
        try (Connection source = pair.source().connect()) {
            List<String> schemas = pair.schemasOn(source);
            return new MigrationLoad(schemas, LoadTables.of(source, schemas));
        } catch (SQLException e) {
            throw Catalog.failure("measuring the tables a full load would copy", pair.source(), e);
        }
    }
}
