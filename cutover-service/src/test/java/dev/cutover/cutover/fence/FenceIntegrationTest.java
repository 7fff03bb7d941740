package dev.cutover.cutover.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import dev.cutover.events.StopTraffic;
import dev.cutover.events.TrafficStopped;
import dev.cutover.events.serde.AvroMessageSerializer;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.DatabasesSettings;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.SharedStackExtension;

/** The fence itself on a real PostgreSQL 11 source and 17 target. */
@ExtendWith(SharedStackExtension.class)
class FenceIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String DATABASE = "fence_" + RUN;

    @BeforeAll
    static void databases(LocalStack stack) {
        stack.source().createDatabase(DATABASE);
        stack.target().createDatabase(DATABASE);
    }

    @Test
    void theFenceRunsOnTheConnectionsOpenedAtStartUpAndLogsInToNeitherServer(LocalStack stack) throws SQLException {
        String role = createRole(stack, "ready_");
        DatabasesSettings databases = new DatabasesSettings(Map.of(DATABASE, pair(stack, role)));
        try (FenceParticipant participant = new FenceParticipant(new Fence(Clock.systemUTC()), databases,
                new FenceSettings(Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofSeconds(30)), publisher(stack));
                Connection source = stack.source().connect("postgres");
                Connection target = stack.target().connect("postgres")) {
            participant.warm();
            List<Integer> onSource = fenceSessions(source);
            List<Integer> onTarget = fenceSessions(target);
            assertThat(onSource).hasSize(1);
            assertThat(onTarget).hasSize(1);

            StopTraffic command = StopTraffic.newBuilder()
                    .setMetadata(KafkaProbe.metadata(DATABASE, DATABASE + "-" + UUID.randomUUID(), null))
                    .setTimeoutMs(5_000).build();
            TrafficStopped stopped = (TrafficStopped) participant.stopTraffic(command);

            assertThat(stopped.getRoles()).containsExactly(role);
            assertThat(fenceSessions(source)).isEqualTo(onSource);
            assertThat(fenceSessions(target)).isEqualTo(onTarget);
        }
    }

    @Test
    void aSessionThatPassedTheLoginCheckBeforeNologinCannotWriteAfterTheFenceReturns(LocalStack stack)
            throws Exception {
        String role = createRole(stack, "late_");
        DatabasePair pair = pair(stack, role);
        String table = "writes_" + RUN;
        try (Fence fence = new Fence(Clock.systemUTC()); Connection admin = connect(stack.source());
                Statement statement = admin.createStatement()) {
            writableBy(statement, table, role);
            fence.ready(pair);
            List<Integer> before = startingBackends(admin);
            // post_auth_delay holds the backend after the login check and before it shows in pg_stat_activity: the
            // window a client reconnecting at the moment of the fence can fall into, held open for a second.
            CompletableFuture<Void> late = CompletableFuture.runAsync(() -> {
                Properties login = appLogin(role);
                login.setProperty("options", "-c post_auth_delay=1");
                try (Connection client = DriverManager.getConnection(stack.source().jdbcUrl(DATABASE), login);
                        Statement insert = client.createStatement()) {
                    insert.execute("insert into " + table + " values (1)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
            await().atMost(WAIT).until(() -> startingBackends(admin).size() > before.size());

            fence.stopTraffic(pair, Duration.ofSeconds(10));
            long writtenWhenFenced = rows(statement, table);
            late.exceptionally(failed -> null).join();

            assertThat(rows(statement, table)).isEqualTo(writtenWhenFenced);
        }
    }

    @Test
    void theWaitForTheFirstSessionOnTheTargetOutlastsItsOwnSessionBeingEnded(LocalStack stack) throws Exception {
        String role = createRole(stack, "back_");
        DatabasePair pair = pair(stack, role);
        try (Fence fence = new Fence(Clock.systemUTC()); Connection admin = connect(stack.target())) {
            CompletableFuture<Instant> first = CompletableFuture.supplyAsync(
                    () -> fence.awaitFirstSession(pair, WAIT));
            await().atMost(WAIT).until(() -> !fenceSessions(admin).isEmpty());
            List<Integer> watching = fenceSessions(admin);
            // As a restart of the target does: the session is ended with 57P01 while the clients are still to come.
            try (Statement statement = admin.createStatement()) {
                for (int pid : watching) {
                    statement.execute("select pg_terminate_backend(" + pid + ")");
                }
            }
            await().atMost(WAIT).until(() -> fenceSessions(admin).stream().anyMatch(pid -> !watching.contains(pid)));
            assertThat(first).isNotDone();

            try (Connection application = DriverManager.getConnection("jdbc:postgresql://" + stack.target().host() + ":"
                    + stack.target().port() + "/" + DATABASE, role, "app")) {
                assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
            }
        }
    }

    @Test
    void aConfiguredRoleThatDoesNotExistIsNamedAndNoRoleIsLocked(LocalStack stack) throws SQLException {
        String role = createRole(stack, "named_");
        DatabasePair pair = new DatabasePair(endpoint(stack.source()), endpoint(stack.target()),
                List.of(role, "no_such_" + RUN), List.of());
        try (Fence fence = new Fence(Clock.systemUTC()); Connection admin = connect(stack.source())) {
            // The roles are locked in one round trip, together: the one that exists is left as it was.
            assertThatThrownBy(() -> fence.stopTraffic(pair, Duration.ofSeconds(5)))
                    .hasMessageContaining("role no_such_" + RUN + " does not exist")
                    .hasMessageContaining("app-roles");
            try (Statement statement = admin.createStatement();
                    ResultSet rs = statement.executeQuery("select rolcanlogin from pg_roles where rolname = '" + role
                            + "'")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        }
    }

    @Test
    void theFenceLsnIsAfterEveryWriteOfTheSessionsItEnded(LocalStack stack) throws Exception {
        String role = createRole(stack, "lsn_");
        DatabasePair pair = pair(stack, role);
        String table = "lsn_writes_" + RUN;
        try (Fence fence = new Fence(Clock.systemUTC()); Connection admin = connect(stack.source());
                Statement statement = admin.createStatement()) {
            writableBy(statement, table, role);
            String written;
            try (Connection client = DriverManager.getConnection(stack.source().jdbcUrl(DATABASE), appLogin(role));
                    Statement insert = client.createStatement()) {
                insert.execute("insert into " + table + " values (1)");
                written = answer(statement, "select pg_current_wal_lsn()::text");

                Fence.Stopped stopped = fence.stopTraffic(pair, Duration.ofSeconds(10));

                assertThat(stopped.terminatedSessions()).isEqualTo(1);
                assertThat(answer(statement, "select '" + stopped.fenceLsn() + "'::pg_lsn >= '" + written + "'::pg_lsn"))
                        .isEqualTo("t");
                assertThat(answer(statement, "select '" + stopped.fenceLsn() + "'::pg_lsn <= pg_current_wal_lsn()"))
                        .isEqualTo("t");
            }
        }
    }

    private static void writableBy(Statement statement, String table, String role) throws SQLException {
        statement.execute("create table " + table + " (id int)");
        statement.execute("grant insert on " + table + " to " + role);
    }

    private static Properties appLogin(String role) {
        Properties login = new Properties();
        login.setProperty("user", role);
        login.setProperty("password", "app");
        return login;
    }

    private static String answer(Statement statement, String query) throws SQLException {
        try (ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long rows(Statement statement, String table) throws SQLException {
        try (ResultSet rs = statement.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect(Postgres server) throws SQLException {
        return server.connect(DATABASE);
    }

    /** Backends in a transaction that are not (yet) shown with a role: those still logging in. */
    private static List<Integer> startingBackends(Connection admin) throws SQLException {
        return pids(admin, "select l.pid from pg_locks l left join pg_stat_activity a on a.pid = l.pid"
                + " where l.locktype = 'virtualxid' and l.pid <> pg_backend_pid() and a.usename is null"
                + " and (a.pid is null or a.backend_type = 'client backend')");
    }

    private static List<Integer> fenceSessions(Connection admin) throws SQLException {
        return pids(admin, "select pid from pg_stat_activity where application_name = 'cutover' and datname = '"
                + DATABASE + "' order by pid");
    }

    private static List<Integer> pids(Connection admin, String query) throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (Statement statement = admin.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        return pids;
    }

    private static String createRole(LocalStack stack, String prefix) throws SQLException {
        String role = prefix + RUN;
        for (Postgres server : List.of(stack.source(), stack.target())) {
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("create role " + role + " login password 'app'");
            }
        }
        return role;
    }

    private static DatabasePair pair(LocalStack stack, String role) {
        return new DatabasePair(endpoint(stack.source()), endpoint(stack.target()), List.of(role), List.of());
    }

    private static Endpoint endpoint(Postgres server) {
        return new Endpoint(server.host(), server.port(), DATABASE, server.superuser(), server.password(), null);
    }

    private static MessagePublisher publisher(LocalStack stack) {
        return new MessagePublisher(new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
                Map.<String, Object>of("bootstrap.servers", stack.kafkaBootstrapServers()), new StringSerializer(),
                new AvroMessageSerializer())), "fence-test", Clock.systemUTC());
    }
}
