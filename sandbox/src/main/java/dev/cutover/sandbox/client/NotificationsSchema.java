package dev.cutover.sandbox.client;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The one table the rehearsal client writes to, shaped like the seed's {@code notifications}.
 *
 * <p>Create it on the source before the migration starts; the migration carries it to the target. Its {@code id}
 * comes from the sequence {@code notifications_id_seq}, so after a cutover the target's sequence must have been
 * set from the source's, or the client's inserts fail with duplicate keys (SQLState 23505), which the client counts
 * apart from other failures.
 */
public final class NotificationsSchema {

    /** The table's DDL; {@code IF NOT EXISTS} so that a rehearsal that also loads the seed's schema can call it. */
    public static final String DDL = """
            CREATE TABLE IF NOT EXISTS notifications (
                id bigserial PRIMARY KEY,
                service_id int NOT NULL,
                template_id int NOT NULL,
                status text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz
            )""";

    private NotificationsSchema() {
    }

    /** Creates {@code notifications} in the connection's database (its {@code public} schema). */
    public static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(DDL);
        }
    }

    /**
     * Lets {@code role} insert and update rows and draw ids, and nothing more: the client logs in as an application
     * role, not as a superuser, because the cutover's fence locks that role out.
     */
    public static void grantWritesTo(Connection connection, String role) throws SQLException {
        if (!role.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("role must be a plain lower-case identifier, but is '" + role + "'");
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("GRANT SELECT, INSERT, UPDATE ON notifications TO " + role);
            statement.execute("GRANT USAGE, SELECT ON SEQUENCE notifications_id_seq TO " + role);
        }
    }
}
