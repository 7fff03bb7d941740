package dev.cutover.schema.verify;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.schema.pgtools.Catalog;

/** Reads both catalogs and compares them. */
public final class SchemaVerifier {

    public List<Difference> verify(DatabasePair pair) {
        return SchemaComparison.compare(read(pair.source(), pair.schemas()), read(pair.target(), pair.schemas()));
    }

    private static List<SchemaObject> read(Endpoint endpoint, List<String> schemas) {
        try (Connection connection = endpoint.connect()) {
            return CatalogReader.read(connection, schemas);
        } catch (SQLException e) {
            throw Catalog.failure("reading the catalog", endpoint, e);
        }
    }
}
