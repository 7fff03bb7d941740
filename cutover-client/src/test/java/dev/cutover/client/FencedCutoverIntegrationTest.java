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
    private static final String ROLE = "client_fenced_app";
    private static final String PASSWORD = "fenced";

    private final LocalStack stack;

    FencedCutoverIntegrationTest(LocalStack stack) {
        this.stack = stack;
    }

    @Test
    void aWriterThatChecksOutForEachWriteSeesNoFailureWhileTheSourceIsFencedAndTheTargetOpened() throws Exception {
        prepare(stack.source(), "login");
        prepare(stack.target(), "nologin");
        try (CutoverClient client = CutoverClient.start(ClientSettings.of(stack.kafkaBootstrapServers(), "fenced"));
                Saga saga = new Saga(stack.kafkaBootstrapServers(), "fenced");
                HikariDataSource pool = client.follow(config());
                Writer writer = new Writer(pool)) {
            assertThat(client.awaitFollowing(PATIENCE)).isTrue();
            await().atMost(PATIENCE).until(() -> writer.writesOn(stack.source().host()) >= 20);

            saga.dnsFlipped(stack.source().host(), stack.target().host());
            saga.stopTraffic();
            await().atMost(PATIENCE).until(writer::isHeld);
            execute(stack.source(), "alter role " + ROLE + " nologin",
                    "select pg_terminate_backend(pid) from pg_stat_activity where usename = '" + ROLE + "'");
            await().atMost(PATIENCE).until(() -> Servers.sessions(stack.source(), "fenced") == 0);
            execute(stack.target(), "alter role " + ROLE + " login");
            saga.targetOpened();

            await().atMost(PATIENCE).until(() -> writer.writesOn(stack.target().host()) >= 20);
            writer.close();
            assertThat(writer.failures()).isEmpty();
        }
    }

    private HikariConfig config() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("fenced");
        config.setJdbcUrl("jdbc:postgresql://" + SandboxStack.DATABASE_HOST + ":" + stack.source().port() + "/" + SandboxStack.DATABASE);
        config.setUsername(ROLE);
        config.setPassword(PASSWORD);
        config.setMaximumPoolSize(2);
        config.addDataSourceProperty("ApplicationName", "fenced");
        return config;
    }

    private static void prepare(Postgres server, String login) throws SQLException {
        execute(server, "create role " + ROLE + " " + login + " password '" + PASSWORD + "'",
                "create table fenced_writes (id bigserial primary key, written_at timestamptz not null default now())",
                "grant insert on fenced_writes to " + ROLE,
                "grant usage on sequence fenced_writes_id_seq to " + ROLE);
    }

    private static void execute(Postgres server, String... sql) throws SQLException {
        try (Connection admin = server.connect(SandboxStack.DATABASE); Statement statement = admin.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    /** One thread writing one row per checkout, as fast as it can, noting where each write went and every failure. */
    private static final class Writer implements AutoCloseable {

        private final AtomicBoolean stopping = new AtomicBoolean();
        private final ConcurrentHashMap<String, AtomicInteger> writes = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final Thread thread;

        Writer(HikariDataSource pool) {
            thread = Thread.ofPlatform().name("writer").start(() -> {
                while (!stopping.get()) {
                    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                        statement.executeUpdate("insert into fenced_writes default values");
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
