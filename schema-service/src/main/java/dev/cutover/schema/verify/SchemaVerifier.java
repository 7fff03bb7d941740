package dev.cutover.schema.verify;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.schema.pgtools.Catalog;

/** Reads both catalogs and compares them. */
public final class SchemaVerifier {

    /** Compares the schemas in scope on the source now; the target is read for the same schemas. */
    public List<Difference> verify(DatabasePair pair) {
        Catalogs catalogs = catalogs(pair);
        return SchemaComparison.compare(catalogs.source(), catalogs.target());
    }

    /** Both catalogs of the schemas in scope on the source now, for a comparison of one's own. */
    public static Catalogs catalogs(DatabasePair pair) {
        List<String> schemas;
        List<SchemaObject> source;
        try (Connection connection = pair.source().connect()) {
            schemas = pair.schemasOn(connection);
            source = CatalogReader.read(connection, schemas);
        } catch (SQLException e) {
            throw Catalog.failure("reading the catalog", pair.source(), e);
        }
        return new Catalogs(schemas, source, read(pair.target(), schemas));
    }

    private static List<SchemaObject> read(Endpoint endpoint, List<String> schemas) {
        try (Connection connection = endpoint.connect()) {
            return CatalogReader.read(connection, schemas);
        } catch (SQLException e) {
            throw Catalog.failure("reading the catalog", endpoint, e);
        }
    }
}
