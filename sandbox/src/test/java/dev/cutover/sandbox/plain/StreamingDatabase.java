package dev.cutover.sandbox.plain;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import dev.cutover.schema.section.CutoverSchema;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.StackOptions;
import dev.cutover.stack.StackPart;

/**
 * What a plain cutover starts from, without Kafka or services: an application role that may log in to the source
 * only, a table of 500 rows, cutover's own schema on both sides, and a native subscription that streams the source
 * to the target.
 */
final class StreamingDatabase {

    static final String DATABASE = "plain";
    static final String ROLE = "plainapp";
    static final String PASSWORD = "plainapp";
    static final String SUBSCRIPTION = "plain_sub";

    private StreamingDatabase() {
    }

    /** The source, the target and BIND; the caller closes the stack. */
    static LocalStack start() throws SQLException {
        LocalStack stack = LocalStack.start(StackOptions.sandbox().withParts(StackPart.SOURCE, StackPart.TARGET, StackPart.DNS));
        Postgres source = stack.source();
        Postgres target = stack.target();
        for (Postgres server : new Postgres[] {source, target}) {
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("create role " + ROLE + " password '" + PASSWORD + "' " + (server == source ? "login" : "nologin"));
            }
            server.createDatabase(DATABASE);
            try (Connection c = server.connect(DATABASE); Statement s = c.createStatement()) {
                CutoverSchema.install(c);
                s.execute("create table items (id bigserial primary key, note text not null)");
                s.execute("alter table items owner to " + ROLE);
            }
        }
        try (Connection c = source.connect(DATABASE); Statement s = c.createStatement()) {
            s.execute("insert into items (note) select 'item ' || i from generate_series(1, 500) i");
            s.execute("create publication plain_pub for all tables");
        }
        try (Connection c = target.connect(DATABASE); Statement s = c.createStatement()) {
            // The subscription's slot on the source takes the subscription's name.
            s.execute("create subscription " + SUBSCRIPTION + " connection '" + source.connectionString(DATABASE)
                    + "' publication plain_pub");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> number(target, "select count(*) from items") == 500);
        return stack;
    }

    static PlainCutover cutover(LocalStack stack) {
        return PlainCutover.on(stack.source(), stack.target(), DATABASE, ROLE, stack.dns(),
                new PlainCutover.Replication(SUBSCRIPTION, SUBSCRIPTION), Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    static Connection connectAsApp(Postgres server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(DATABASE), ROLE, PASSWORD);
    }

    static long number(Postgres server, String query) throws SQLException {
        try (Connection c = server.connect(DATABASE); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
