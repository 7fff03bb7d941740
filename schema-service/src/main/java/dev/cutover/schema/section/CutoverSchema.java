package dev.cutover.schema.section;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import dev.cutover.platform.database.SchemaScope;

/**
 * cutover's own schema ({@code cutover.canary}, {@code cutover.heartbeat}); its DDL lives in one place,
 * {@code cutover-schema.sql} beside this class, which says what each table is for.
 */
public final class CutoverSchema {

    /** The schema's name; never compared, dumped or counted as the application's. */
    public static final String NAME = SchemaScope.CUTOVER_SCHEMA;

    private static final String DDL = load();

    private CutoverSchema() {
    }

    /** Creates what is missing; safe to run any number of times. */
    public static void install(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(DDL);
        }
    }

    /** The DDL, for a script that creates the schema in the same transaction as other statements. */
    public static String ddl() {
        return DDL;
    }

    private static String load() {
        try (InputStream in = CutoverSchema.class.getResourceAsStream("cutover-schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("cutover-schema.sql is missing beside " + CutoverSchema.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
