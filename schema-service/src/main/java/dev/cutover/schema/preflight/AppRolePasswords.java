package dev.cutover.schema.preflight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.WarmConnections;
import dev.cutover.schema.pgtools.Catalog;

/**
 * Makes the application roles' passwords on the target those of the source, or says what could not be proven. The
 * applications keep their password when the cutover moves them, so the target role must accept it the moment it opens.
 *
 * <p>Where the source's admin may read {@code pg_authid} (a superuser), each role's password verifier (SCRAM or md5,
 * never the password) is read there and, if the target role's differs while the role is locked (NOLOGIN, so nobody
 * logs in with it yet), given to the target role ({@code ALTER ROLE ... PASSWORD '<verifier>'}: PostgreSQL stores a
 * verifier it is given as it is). An md5 verifier is salted with the role's name, which is the same on both sides. A
 * verifier is never logged, put in a finding or in an event, and the statement that sets it is kept out of the
 * target's statement log where the admin may say so. Where {@code pg_authid} cannot be read (RDS and other managed
 * services give no superuser), the finding says so and what the operator must do.
 */
final class AppRolePasswords {

    private static final Logger log = LoggerFactory.getLogger(AppRolePasswords.class);

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private AppRolePasswords() {
    }

    /** For the cutover's preflight: the target roles get the source's verifiers; findings for what is not proven. */
    static List<Finding> carryOver(DatabasePair pair) {
        return carryOver(pair, WarmConnections.none());
    }

    static List<Finding> carryOver(DatabasePair pair, WarmConnections connections) {
        List<Finding> findings = new ArrayList<>();
        try (WarmConnections.Lease source = connections.lease(pair.source());
                WarmConnections.Lease target = connections.lease(pair.target())) {
            for (String role : pair.appRoles()) {
                carryOver(source.connection(), target.connection(), role, pair).ifPresent(findings::add);
            }
        } catch (SQLException e) {
            throw Catalog.failure("carrying the application roles' passwords over", pair.target(), e);
        }
        return findings;
    }

    private static Optional<Finding> carryOver(Connection source, Connection target, String role, DatabasePair pair)
            throws SQLException {
        Optional<Verifier> onSource;
        try {
            onSource = verifier(source, role);
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            return Optional.of(unproven(role, pair.source().user() + " may not read pg_authid on the source (it is not"
                    + " a superuser; on RDS no one is), so the password of " + role + " cannot be carried to the target"));
        }
        if (onSource.isEmpty() || onSource.get().value() == null) {
            // Missing roles are app_roles blockers; a role without a password logs in some other way (certificates,
            // trust), which the target's pg_hba.conf must allow as the source's does.
            return Optional.empty();
        }
        Optional<Boolean> canLogIn = canLogIn(target, role);
        if (canLogIn.isEmpty()) {
            return Optional.empty();
        }
        Optional<Verifier> onTarget;
        try {
            onTarget = verifier(target, role);
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            onTarget = Optional.empty();
        }
        if (onTarget.filter(verifier -> onSource.get().value().equals(verifier.value())).isPresent()) {
            return Optional.empty();
        }
        if (canLogIn.get()) {
            return Optional.of(unproven(role, "the target role " + role + " may already log in, so its password was not"
                    + " changed, and it is not known to be the source's"));
        }
        setVerifier(target, role, onSource.get());
        log.info("the target role {} now has the source's password (its {} verifier)", role, onSource.get().kind());
        return Optional.empty();
    }

    private static Finding unproven(String role, String why) {
        return new Finding(Severity.WARNING, "app_role_password", role, why + ": if the password differs, the"
                + " application is refused on the target after the switch",
                "before the cutover, set the target role's password to the one the application uses (ALTER ROLE " + role
                        + " PASSWORD '...' on the target), and check that the application can log in there with it");
    }

    /** The role's password verifier; empty when the role does not exist, a null value when it has no password. */
    private static Optional<Verifier> verifier(Connection connection, String role) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select rolpassword from pg_authid where rolname = ?")) {
            statement.setString(1, role);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(new Verifier(rs.getString(1))) : Optional.empty();
            }
        }
    }

    private static Optional<Boolean> canLogIn(Connection connection, String role) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select rolcanlogin from pg_roles where rolname = ?")) {
            statement.setString(1, role);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        }
    }

    private static void setVerifier(Connection target, String role, Verifier verifier) throws SQLException {
        try (Statement statement = target.createStatement()) {
            boolean unlogged = keepOutOfTheLog(statement);
            try {
                // A verifier holds no quote (base64, hex, '$', ':'), and standard_conforming_strings leaves '\' alone.
                statement.execute("alter role \"" + role.replace("\"", "\"\"") + "\" password '"
                        + verifier.value().replace("'", "''") + "'");
            } finally {
                if (unlogged) {
                    statement.execute("reset log_statement");
                }
            }
        }
    }

    /** Only a superuser may change log_statement; anyone else's ALTER ROLE is logged as the server is told to. */
    private static boolean keepOutOfTheLog(Statement statement) {
        try {
            statement.execute("set log_statement = 'none'");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** A password verifier as {@code pg_authid} holds it; never printed. */
    private record Verifier(String value) {

        String kind() {
            return value.startsWith("SCRAM-SHA-256$") ? "SCRAM-SHA-256" : value.startsWith("md5") ? "md5" : "plain";
        }

        @Override
        public String toString() {
            return "Verifier[" + kind() + "]";
        }
    }
}
