package dev.cutover.platform.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;

import org.springframework.boot.context.properties.bind.ConstructorBinding;

import dev.cutover.platform.secrets.SecretReference;
import dev.cutover.platform.secrets.Secrets;

/**
 * One PostgreSQL server and database, and the administrative login cutover uses on it.
 *
 * @param host         host name or address
 * @param port         port
 * @param database     database name
 * @param user         administrative role (superuser, or on RDS the master user with rds_replication)
 * @param password       password given inline; prefer {@code passwordFile} or {@code passwordSecret}
 * @param passwordFile   a file holding the password (a mounted secret); read at each connection
 * @param passwordSecret where the password is kept ({@link SecretReference}: {@code file:}, {@code env:} or
 *                       {@code aws-secretsmanager:<id>[#<json field>]}); read through {@link Secrets}
 */
public record Endpoint(String host, int port, String database, String user, String password, String passwordFile,
        String passwordSecret) {

    @ConstructorBinding
    public Endpoint {
        require(host, "host");
        require(database, "database");
        require(user, "user");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        int given = (password == null ? 0 : 1) + (passwordFile == null ? 0 : 1) + (passwordSecret == null ? 0 : 1);
        if (given != 1) {
            throw new IllegalArgumentException("set exactly one of password-secret, password-file or password for "
                    + user + "@" + host + ":" + port + (given == 0 ? "" : " (" + given + " are set)"));
        }
        if (passwordSecret != null) {
            // A reference that cannot be read stops the service at start-up, not a cutover halfway.
            SecretReference.parse(passwordSecret, "password-secret of " + user + "@" + host + ":" + port);
        }
    }

    /** A password given inline or in a file. */
    public Endpoint(String host, int port, String database, String user, String password, String passwordFile) {
        this(host, port, database, user, password, passwordFile, null);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Never the password: a record would print every component, and endpoints end up in log lines. */
    @Override
    public String toString() {
        return describe();
    }

    /** "user@host:port/database", for messages: never the password. */
    public String describe() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    public String resolvePassword() {
        if (passwordSecret != null) {
            return Secrets.shared().read(passwordSecret, "password-secret of " + describe());
        }
        if (passwordFile == null) {
            return password;
        }
        try {
            return Files.readString(Path.of(passwordFile)).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the password file " + passwordFile + " for " + describe()
                    + ": check the path and that this process may read it", e);
        }
    }

    /** Opens a connection, turning the usual failures into messages that say what to do. */
    public Connection connect() throws SQLException {
        return connect(new Properties());
    }

    /**
     * As {@link #connect()}, but giving up when the login, or later any answer, takes longer than {@code timeout}: for
     * a server that takes the connection and never answers (a port of something else, a hung proxy), where
     * {@link #connect()} would wait for ever.
     */
    public Connection connect(Duration timeout) throws SQLException {
        Properties limits = new Properties();
        String seconds = String.valueOf(Math.max(1, timeout.toSeconds()));
        limits.setProperty("loginTimeout", seconds);
        limits.setProperty("socketTimeout", seconds);
        return connect(limits);
    }

    private Connection connect(Properties properties) throws SQLException {
        properties.setProperty("user", user);
        properties.setProperty("password", resolvePassword());
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("ApplicationName", "cutover");
        try {
            return DriverManager.getConnection(jdbcUrl(), properties);
        } catch (SQLException e) {
            if (passwordSecret != null && REFUSED_LOGINS.contains(String.valueOf(e.getSQLState()))) {
                // Rotated since it was read: the next login reads it again.
                Secrets.shared().forget(passwordSecret, "password-secret of " + describe());
            }
            throw new SQLException(explain(e), e.getSQLState(), e);
        }
    }

    private static final Set<String> REFUSED_LOGINS = Set.of("28P01");

    private String explain(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "08001", "08004" -> "cannot reach PostgreSQL at " + describe() + " (" + e.getMessage()
                    + "): check host, port, firewall and that the server is running";
            case "28P01", "28000" -> "PostgreSQL at " + describe() + " refused the login (" + e.getMessage()
                    + "): check the user, its password and pg_hba.conf";
            case "3D000" -> "database " + database + " does not exist on " + host + ":" + port
                    + ": check the database name";
            default -> "PostgreSQL at " + describe() + ": " + e.getMessage();
        };
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set");
        }
    }
}
