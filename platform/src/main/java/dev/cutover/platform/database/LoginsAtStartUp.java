package dev.cutover.platform.database;

import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

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

    /** How long a login, and then the look at the roles, may take: a server that never answers is named after it. */
    static final Duration PATIENCE = Duration.ofSeconds(15);

    private LoginsAtStartUp() {
    }

    /** What is wrong with each configured login, one sentence each; empty when every one worked. */
    public static List<String> problems(DatabasesSettings databases) {
        return problems(databases, PATIENCE);
    }

    static List<String> problems(DatabasesSettings databases, Duration patience) {
        return check(databases, patience, problem -> { });
    }

    /** {@link #problems} on a thread of its own, each one logged as a warning as it is found, and a line when all logins worked. */
    public static void checkInBackground(String service, DatabasesSettings databases) {
        if (databases.databases().isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("logins-at-start-up").start(() -> {
            if (check(databases, PATIENCE, problem -> log.warn("{}: {}", service, problem)).isEmpty()) {
                log.info("{} logged in to the source and the target of {}", service, databases.databases().keySet());
            }
        });
    }

    /**
     * Checks every login at once and hands each problem to {@code found} as soon as it is known, so that a server that
     * does not answer holds back no other warning.
     */
    private static List<String> check(DatabasesSettings databases, Duration patience, Consumer<String> found) {
        record Check(String database, String side, Future<List<String>> problems) {
        }
        List<Check> checks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ExecutorService logins = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (Map.Entry<String, DatabasePair> entry : databases.databases().entrySet()) {
                String name = entry.getKey();
                DatabasePair pair = entry.getValue();
                checks.add(new Check(name, "source", logins.submit(() -> reported(found,
                        check(name, "source", pair.source(), pair.appRoles(), patience)))));
                checks.add(new Check(name, "target", logins.submit(() -> reported(found,
                        check(name, "target", pair.target(), List.of(), patience)))));
            }
            for (Check check : checks) {
                try {
                    problems.addAll(check.problems().get(patience.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    String silent = "no answer from the " + check.side() + " of " + check.database() + " ("
                            + setting(check.database(), check.side()) + ") within " + patience.multipliedBy(2)
                            .toSeconds() + " s: check that its host and port are PostgreSQL's";
                    found.accept(silent);
                    problems.add(silent);
                } catch (ExecutionException e) {
                    found.accept(e.getCause().getMessage());
                    problems.add(e.getCause().getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            logins.shutdownNow();
        }
        return problems;
    }

    private static List<String> reported(Consumer<String> found, List<String> problems) {
        problems.forEach(found);
        return problems;
    }

    private static String setting(String database, String side) {
        return "cutover.databases." + database + "." + side;
    }

    private static List<String> check(String database, String side, Endpoint endpoint, List<String> appRoles,
            Duration patience) {
        String setting = setting(database, side);
        try (Connection connection = endpoint.connect(patience)) {
            List<String> missing = missingRoles(connection, appRoles);
            return missing.isEmpty() ? List.of() : List.of("the application role(s) " + missing + " of " + database
                    + " do not exist on its source " + endpoint.describe() + ": the fence could not lock them out;"
                    + " correct cutover.databases." + database + ".app-roles, or create the roles");
        } catch (SQLException | RuntimeException e) {
            boolean passing = e instanceof SQLException sql && ServerUnavailable.is(sql) && !unknownHost(e);
            return List.of("cannot log in to the " + side + " of " + database + " (" + setting + "): " + e.getMessage()
                    + (passing ? "; every step that needs it tries again" : "; every step that needs it will fail"
                            + " the same way until " + setting + " or the server is corrected"));
        }
    }

    /** A host name nobody resolves is a setting to correct, not a server to wait for. */
    private static boolean unknownHost(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

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
