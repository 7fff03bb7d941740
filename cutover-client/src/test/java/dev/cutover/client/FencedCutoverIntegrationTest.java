package dev.cutover.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;

/**
 * The cutover as the fence does it: the application's role locked on the target until it opens, and on the source
 * locked and its sessions ended while the application waits. A writer that checks out a connection for each write sees
 * no failure, and its writes move from the source to the target.
 */
@ExtendWith(SandboxStack.class)
class FencedCutoverIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String PASSWORD = "fenced";

    private final LocalStack stack;

    FencedCutoverIntegrationTest(LocalStack stack) {
        this.stack = stack;
    }

    @Test
    void aWriterThatChecksOutForEachWriteSeesNoFailureWhileTheSourceIsFencedAndTheTargetOpened() throws Exception {
        Application application = new Application("fenced");
        application.prepare(stack.source(), "login");
        application.prepare(stack.target(), "nologin");
        try (CutoverClient client = CutoverClient.start(ClientSettings.of(stack.kafkaBootstrapServers(), application.name()));
                Saga saga = new Saga(stack.kafkaBootstrapServers(), application.name());
                HikariDataSource pool = client.follow(config(application));
                Writer writer = new Writer(pool, application)) {
            assertThat(client.awaitFollowing(PATIENCE)).isTrue();
            cutOver(application, saga, writer);
            writer.close();
            assertThat(writer.failures()).isEmpty();
        }
    }

    /**
     * The fallback flips the name back with the cutover's id, then locks the target ({@code LockTarget}) and ends its
     * sessions, and opens the source once the reverse replication caught up: the writer holds from the fallback's flip
     * and goes back to the source's address. Without following the fallback the pool stays on the target, whose fence
     * fails the writer's next write.
     */
    @Test
    void aWriterFollowsTheFallbackBackToTheSourceWithoutAFailure() throws Exception {
        Application application = new Application("fellback");
        application.prepare(stack.source(), "login");
        application.prepare(stack.target(), "nologin");
        try (CutoverClient client = CutoverClient.start(ClientSettings.of(stack.kafkaBootstrapServers(), application.name()));
                Saga saga = new Saga(stack.kafkaBootstrapServers(), application.name());
                HikariDataSource pool = client.follow(config(application));
                Writer writer = new Writer(pool, application)) {
            assertThat(client.awaitFollowing(PATIENCE)).isTrue();
            cutOver(application, saga, writer);
            int onTheSourceBefore = writer.writesOn(stack.source().host());

            fallBackUntilTheTargetIsFenced(application, saga, writer);
            application.open(stack.source());
            saga.sourceRestored();

            await().atMost(PATIENCE).until(() -> writer.writesOn(stack.source().host()) >= onTheSourceBefore + 20);
            writer.close();
            assertThat(writer.failures()).isEmpty();
            assertThat(client.route()).isEqualTo(new Route.OnSource(saga.cutoverId(), stack.source().host()));
        }
    }

    /** A fallback that rolls back (the target opened again) releases the writer to the target, where it stays. */
    @Test
    void aWriterStaysOnTheTargetWithoutAFailureWhenTheFallbackRollsBack() throws Exception {
        Application application = new Application("fallbackundone");
        application.prepare(stack.source(), "login");
        application.prepare(stack.target(), "nologin");
        try (CutoverClient client = CutoverClient.start(ClientSettings.of(stack.kafkaBootstrapServers(), application.name()));
                Saga saga = new Saga(stack.kafkaBootstrapServers(), application.name());
                HikariDataSource pool = client.follow(config(application));
                Writer writer = new Writer(pool, application)) {
            assertThat(client.awaitFollowing(PATIENCE)).isTrue();
            cutOver(application, saga, writer);
            int onTheSource = writer.writesOn(stack.source().host());
            int onTheTargetBefore = writer.writesOn(stack.target().host());

            fallBackUntilTheTargetIsFenced(application, saga, writer);
            application.open(stack.target());
            saga.targetOpened();

            await().atMost(PATIENCE).until(() -> writer.writesOn(stack.target().host()) >= onTheTargetBefore + 20);
            writer.close();
            assertThat(writer.failures()).isEmpty();
            assertThat(writer.writesOn(stack.source().host())).isEqualTo(onTheSource);
            assertThat(client.route()).isEqualTo(new Route.OnTarget(saga.cutoverId(), stack.source().host(), stack.target().host()));
        }
    }

    /** The cutover as the fence does it, with the writer writing throughout: it ends writing on the target. */
    private void cutOver(Application application, Saga saga, Writer writer) throws SQLException {
        await().atMost(PATIENCE).until(() -> writer.writesOn(stack.source().host()) >= 20);
        saga.dnsFlipped(stack.source().host(), stack.target().host());
        saga.stopTraffic();
        await().atMost(PATIENCE).until(writer::isHeld);
        application.fence(stack.source());
        await().atMost(PATIENCE).until(() -> Servers.sessions(stack.source(), application.name()) == 0);
        application.open(stack.target());
        saga.targetOpened();
        await().atMost(PATIENCE).until(() -> writer.writesOn(stack.target().host()) >= 20);
    }

    /** The fallback's flip back to the source and its fence of the target, once the writer holds. */
    private void fallBackUntilTheTargetIsFenced(Application application, Saga saga, Writer writer) throws SQLException {
        saga.dnsFlipped(stack.target().host(), stack.source().host());
        saga.lockTarget();
        await().atMost(PATIENCE).until(writer::isHeld);
        application.fence(stack.target());
        await().atMost(PATIENCE).until(() -> Servers.sessions(stack.target(), application.name()) == 0);
    }

    /**
     * The race of a real cutover: the fence carries {@code StopTraffic} out as soon as the saga sends it, and the saga
     * sends it once it has read the flip; the application hears {@code StopTraffic} later. Here the fence ends the
     * pool's sessions on the source after the application heard the flip and before it hears {@code StopTraffic}.
     * A pool that held only from {@code StopTraffic} hands out its dead idle connection (HikariCP does not check a
     * connection used in the last 500 ms), and the write fails with {@code 57P01 terminating connection due to
     * administrator command}.
     */
    @Test
    void aWriterSeesNoFailureWhenTheFenceEndsItsSessionsBeforeItHearsStopTraffic() throws Exception {
        Application application = new Application("raced");
        application.prepare(stack.source(), "login");
        application.prepare(stack.target(), "nologin");
        try (CutoverClient client = CutoverClient.start(ClientSettings.of(stack.kafkaBootstrapServers(), application.name()));
                Saga saga = new Saga(stack.kafkaBootstrapServers(), application.name());
                HikariDataSource pool = client.follow(config(application));
                Writer writer = new Writer(pool, application)) {
            assertThat(client.awaitFollowing(PATIENCE)).isTrue();
            await().atMost(PATIENCE).until(() -> writer.writesOn(stack.source().host()) >= 20);

            saga.dnsFlipped(stack.source().host(), stack.target().host());
            await().atMost(PATIENCE).until(() -> !(client.route() instanceof Route.Normal));
            int begunBeforeTheFlipWasHeard = writer.checkoutsBegun();
            // No write of the writer is under way: it waits in the hold, or it has begun a checkout since the flip was
            // heard (so the write before is done) and goes on wherever the pool sends it.
            await().atMost(PATIENCE).until(() -> writer.isHeld() || writer.checkoutsBegun() > begunBeforeTheFlipWasHeard);
            application.fence(stack.source());
            await().atMost(PATIENCE).until(() -> Servers.sessions(stack.source(), application.name()) == 0);
            saga.stopTraffic();
            application.open(stack.target());
            saga.targetOpened();

            await().atMost(PATIENCE).until(() -> writer.writesOn(stack.target().host()) >= 20);
            writer.close();
            assertThat(writer.failures()).isEmpty();
            assertThat(application.rows(stack.source()) + application.rows(stack.target()))
                    .as("every write landed on the source or the target")
                    .isEqualTo(writer.writesOn(stack.source().host()) + writer.writesOn(stack.target().host()));
        }
    }

    private HikariConfig config(Application application) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(application.name());
        config.setJdbcUrl("jdbc:postgresql://" + SandboxStack.DATABASE_HOST + ":" + stack.source().port() + "/" + SandboxStack.DATABASE);
        config.setUsername(application.role());
        config.setPassword(PASSWORD);
        config.setMaximumPoolSize(2);
        config.addDataSourceProperty("ApplicationName", application.name());
        return config;
    }

    private static void execute(Postgres server, String... sql) throws SQLException {
        try (Connection admin = server.connect(SandboxStack.DATABASE); Statement statement = admin.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    /** An application of its own per test: its role, its table, its name in pg_stat_activity and on the topics. */
    private record Application(String name) {

        String role() {
            return "client_" + name + "_app";
        }

        String table() {
            return name + "_writes";
        }

        void prepare(Postgres server, String login) throws SQLException {
            execute(server, "create role " + role() + " " + login + " password '" + PASSWORD + "'",
                    "create table " + table() + " (id bigserial primary key, written_at timestamptz not null default now())",
                    "grant insert on " + table() + " to " + role(),
                    "grant usage on sequence " + table() + "_id_seq to " + role());
        }

        /** What cutover-service's fence does to the source on {@code StopTraffic}, and to the target on {@code LockTarget}. */
        void fence(Postgres server) throws SQLException {
            execute(server, "alter role " + role() + " nologin",
                    "select pg_terminate_backend(pid) from pg_stat_activity where usename = '" + role() + "'");
        }

        /** What cutover-service does to the target on {@code OpenTarget}, and to the source on {@code RestoreSource}. */
        void open(Postgres server) throws SQLException {
            execute(server, "alter role " + role() + " login");
        }

        int rows(Postgres server) throws SQLException {
            try (Connection admin = server.connect(SandboxStack.DATABASE)) {
                return Integer.parseInt(Servers.single(admin, "select count(*) from " + table()));
            }
        }
    }

    /** One thread writing one row per checkout, as fast as it can, noting where each write went and every failure. */
    private static final class Writer implements AutoCloseable {

        private final AtomicBoolean stopping = new AtomicBoolean();
        private final AtomicInteger checkoutsBegun = new AtomicInteger();
        private final ConcurrentHashMap<String, AtomicInteger> writes = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final Thread thread;

        Writer(HikariDataSource pool, Application application) {
            String insert = "insert into " + application.table() + " default values";
            thread = Thread.ofPlatform().name("writer").start(() -> {
                while (!stopping.get()) {
                    checkoutsBegun.incrementAndGet();
                    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                        statement.executeUpdate(insert);
                        writes.computeIfAbsent(Servers.serverAddress(connection), server -> new AtomicInteger()).incrementAndGet();
                    } catch (SQLException e) {
                        failures.add(e.getSQLState() + " " + e.getMessage());
                    }
                }
            });
        }

        int writesOn(String server) {
            AtomicInteger count = writes.get(server);
            return count == null ? 0 : count.get();
        }

        /** How many checkouts the writer has begun, the one under way included. */
        int checkoutsBegun() {
            return checkoutsBegun.get();
        }

        /** True while the writer's next checkout waits in the cutover's hold. */
        boolean isHeld() {
            return Checkout.isHeld(thread);
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        @Override
        public void close() throws InterruptedException {
            stopping.set(true);
            thread.join();
        }
    }
}
