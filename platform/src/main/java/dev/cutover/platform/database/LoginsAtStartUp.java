package dev.cutover.platform.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs in once to every configured server when a service starts, so that a wrong password, a database that does not
 * exist or an application role nobody created is found then, in one line naming the setting to fix, and not by the
 * first step that needs the login, which may be in the middle of a cutover. It never stops the service: a server may
 * be down now and up when it is needed, and each step reports its own failure again.
 */
public final class LoginsAtStartUp {

    private static final Logger log = LoggerFactory.getLogger(LoginsAtStartUp.class);

    private LoginsAtStartUp() {
    }

    /** What is wrong with each configured login, one sentence each; empty when every one worked. */
    public static List<String> problems(DatabasesSettings databases) {
        List<Future<List<String>>> checks = new ArrayList<>();
        try (ExecutorService logins = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Map.Entry<String, DatabasePair> entry : databases.databases().entrySet()) {
                String name = entry.getKey();
                DatabasePair pair = entry.getValue();
                checks.add(logins.submit(() -> check(name, "source", pair.source(), pair.appRoles())));
                checks.add(logins.submit(() -> check(name, "target", pair.target(), List.of())));
            }
        }
        List<String> problems = new ArrayList<>();
        for (Future<List<String>> check : checks) {
            try {
                problems.addAll(check.get());
            } catch (ExecutionException e) {
                problems.add(e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return problems;
            }
        }
        return problems;
    }

    /** {@link #problems} on a thread of its own, each one logged as a warning, and a line when all logins worked. */
    public static void checkInBackground(String service, DatabasesSettings databases) {
        if (databases.databases().isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("logins-at-start-up").start(() -> {
            List<String> problems = problems(databases);
            problems.forEach(problem -> log.warn("{}: {}", service, problem));
            if (problems.isEmpty()) {
                log.info("{} logged in to the source and the target of {}", service, databases.databases().keySet());
            }
        });
    }

    private static List<String> check(String database, String side, Endpoint endpoint, List<String> appRoles) {
        String setting = "cutover.databases." + database + "." + side;
        try (Connection connection = endpoint.connect()) {
            List<String> missing = missingRoles(connection, appRoles);
            return missing.isEmpty() ? List.of() : List.of("the application role(s) " + missing + " of " + database
                    + " do not exist on its source " + endpoint.describe() + ": the fence could not lock them out;"
                    + " correct cutover.databases." + database + ".app-roles, or create the roles");
        } catch (SQLException | RuntimeException e) {
            boolean unreachable = e instanceof SQLException sql && UNREACHABLE.contains(String.valueOf(sql.getSQLState()));
            return List.of("cannot log in to the " + side + " of " + database + " (" + setting + "): " + e.getMessage()
                    + (unreachable ? "; every step that needs it tries again" : "; every step that needs it will fail"
                            + " the same way until " + setting + " or the server is corrected"));
        }
    }

    /** A server that cannot be reached, or is starting or shutting down: it may well be up when a step needs it. */
    private static final Set<String> UNREACHABLE = Set.of("08001", "08004", "08006", "57P03");

    private static List<String> missingRoles(Connection connection, List<String> roles) throws SQLException {
        if (roles.isEmpty()) {
            return List.of();
        }
        List<String> missing = new ArrayList<>(roles);
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT rolname FROM pg_roles WHERE rolname = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("text", roles.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    missing.remove(rows.getString(1));
                }
            }
        }
        return missing;
    }
}
