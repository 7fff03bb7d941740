package dev.cutover.stack;

import java.sql.Connection;
import java.sql.SQLException;

/** One running PostgreSQL server; the superuser logs in with a password over TCP. */
public interface Postgres {

    String host();

    int port();

    /** 11 for 11.22.1, 17 for 17.11.0 (9 for the 9.x series). */
    int majorVersion();

    /** Always {@code postgres}. */
    String superuser();

    String password();

    /** {@code jdbc:postgresql://host:port/database}, without credentials. */
    String jdbcUrl(String database);

    /** A new connection as the superuser; the caller closes it. */
    Connection connect(String database) throws SQLException;

    /** Creates a database; fails if it already exists, so give each test class its own name. */
    void createDatabase(String name);

    /**
     * A libpq connection string for this server as the other servers of the stack reach it, for
     * {@code CREATE SUBSCRIPTION ... CONNECTION '...'}. For processes this is the same host and port
     * as {@link #host()} and {@link #port()}; for containers it is the address inside their network.
     */
    String connectionString(String database);

    /** Stops the server, keeping its data and port, e.g. to test what happens when it goes away. */
    void stop();

    /** Starts a stopped server again on the same address and port with the same data. */
    void start();
}
