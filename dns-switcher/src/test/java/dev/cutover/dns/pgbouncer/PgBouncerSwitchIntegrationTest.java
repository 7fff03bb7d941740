package dev.cutover.dns.pgbouncer;

import static dev.cutover.dns.pgbouncer.PgBouncerFixture.serverOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cutover.dns.DnsFailure;
import dev.cutover.dns.DnsFailureException;
import dev.cutover.dns.pgbouncer.PoolResumed.Cause;
import dev.cutover.stack.PgBouncerServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The PgBouncer switch against real PgBouncers in front of the local stack's real source and target. */
class PgBouncerSwitchIntegrationTest {

    private static final Duration PAUSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAX_PAUSE = Duration.ofMinutes(5);
    /** Shorter than PgBouncer's default server_login_retry, which the fixture's PgBouncers keep. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);

    private final PgBouncerFixture servers = PgBouncerFixture.withInstances(2);
    private final LinkedBlockingQueue<PoolResumed> resumedByItself = new LinkedBlockingQueue<>();
    private PgBouncerSwitch pgbouncer = new PgBouncerSwitch(
            servers.settings(List.of(servers.instance(0), servers.instance(1)), PAUSE_TIMEOUT, MAX_PAUSE),
            resumedByItself::add);

    @AfterEach
    void stop() {
        pgbouncer.close();
        servers.close();
    }

    @Test
    void aFlipHoldsTheClientsStatementUntilTheTargetOpensAndThenRunsItOnTheTarget() throws Exception {
        try (Connection client = servers.client(0)) {
            assertThat(serverOf(client)).isEqualTo("source");

            PoolFlip flip = flip();
            CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> query(client));
            await().atMost(Duration.ofSeconds(30)).until(() -> servers.waitingClients(0) == 1);

            assertThat(held).isNotDone();
            assertThat(flip.instances()).containsExactly(servers.instance(0).admin().toString(),
                    servers.instance(1).admin().toString());
            assertThat(servers.entry(0)).as("the entry moves only as it resumes").isEqualTo(new AdminConsole.Entry(servers.source, true));
            assertThat(servers.entry(1)).isEqualTo(new AdminConsole.Entry(servers.source, true));
            assertThat(DatabasesFile.server(servers.instance(1).databasesFile(), PgBouncerFixture.ENTRY)).contains(servers.target);

            PoolResumed resumed = pgbouncer.opened(servers.database, Optional.of("cutover-1"), Side.TARGET).orElseThrow();

            assertThat(held.get(30, TimeUnit.SECONDS)).isEqualTo("target");
            assertThat(resumed.cause()).isEqualTo(Cause.TARGET_OPENED);
            assertThat(resumed.server()).isEqualTo(servers.target);
            assertThat(resumed.instances()).hasSize(2);
            assertThat(resumed.held()).isPresent();
            assertThat(servers.entry(1)).isEqualTo(new AdminConsole.Entry(servers.target, false));
            assertThat(pgbouncer.opened(servers.database, Optional.of("cutover-1"), Side.TARGET).orElseThrow().instances())
                    .as("a redelivered TargetOpened resumes nothing").isEmpty();
        }
    }

    /**
     * A client that connects while the entry is held must not spoil the pool: PgBouncer 1.18 opens a server connection
     * for a new client whose pool has no server parameters yet, and a login that fails (the target still locked, or
     * closed by the pause) makes it wait {@code server_login_retry} (15 s by default) before it tries again, long
     * after the target opened. Both clients here give up sooner than that.
     */
    @Test
    void aClientThatConnectsWhileTheEntryIsHeldRunsOnTheTargetAsSoonAsItOpens() throws Exception {
        try (Connection client = servers.client(0, SOCKET_TIMEOUT);
                ExecutorService applications = Executors.newVirtualThreadPerTaskExecutor()) {
            assertThat(serverOf(client)).isEqualTo("source");

            flip();
            CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> query(client), applications);
            CompletableFuture<String> newcomer = CompletableFuture.supplyAsync(() -> {
                try (Connection arriving = servers.client(0, SOCKET_TIMEOUT)) {
                    return serverOf(arriving);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, applications);
            await().atMost(Duration.ofSeconds(30)).until(() -> servers.clients(0) == 2);
            pgbouncer.opened(servers.database, Optional.of("cutover-1"), Side.TARGET).orElseThrow();

            assertThat(held).succeedsWithin(Duration.ofSeconds(30)).isEqualTo("target");
            assertThat(newcomer).succeedsWithin(Duration.ofSeconds(30)).isEqualTo("target");
        }
    }

    @Test
    void aFlipRedeliveredWhileTheClientsAreHeldHoldsThemStillAndTheyRunOnTheTarget() throws Exception {
        try (Connection client = servers.client(1)) {
            flip();
            CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> query(client));
            await().atMost(Duration.ofSeconds(30)).until(() -> servers.waitingClients(1) == 1);

            PoolFlip again = flip();

            assertThat(again.current()).isEqualTo(servers.target);
            assertThat(servers.entry(1)).isEqualTo(new AdminConsole.Entry(servers.source, true));
            assertThat(held).isNotDone();
            pgbouncer.opened(servers.database, Optional.of("cutover-1"), Side.TARGET).orElseThrow();
            assertThat(held).succeedsWithin(Duration.ofSeconds(30)).isEqualTo("target");
        }
    }

    /**
     * A rollback after the fence: the source's role is NOLOGIN until {@code SourceRestored}, which may come after the
     * {@code RevertDns}. A resume before it makes PgBouncer fail a login and then refuse statements for
     * {@code server_login_retry} (15 s here), longer than the client's socket timeout.
     */
    @Test
    void aRollbackAfterTheFenceHoldsTheClientsUntilTheSourceIsRestoredAndThenRunsThemOnTheSource() throws Exception {
        try (Connection client = servers.applicationClient(1, SOCKET_TIMEOUT)) {
            assertThat(serverOf(client)).isEqualTo("source");
            flip();
            CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> query(client));
            await().atMost(Duration.ofSeconds(30)).until(() -> servers.waitingClients(1) == 1);
            servers.lockSource();

            PoolReverted reverted = pgbouncer.revert(servers.database, Optional.of("cutover-1"), PgBouncerFixture.ENTRY,
                    servers.target, servers.source);

            assertThat(reverted.resumed()).as("the source is still locked").isEmpty();
            assertThat(DatabasesFile.server(servers.instance(0).databasesFile(), PgBouncerFixture.ENTRY)).contains(servers.source);
            assertThat(servers.entry(1)).isEqualTo(new AdminConsole.Entry(servers.source, true));
            assertThat(held).isNotDone();

            servers.restoreSource();
            PoolResumed resumed = pgbouncer.opened(servers.database, Optional.of("cutover-1"), Side.SOURCE).orElseThrow();

            assertThat(held).succeedsWithin(Duration.ofSeconds(30)).isEqualTo("source");
            assertThat(resumed.cause()).isEqualTo(Cause.SOURCE_RESTORED);
            assertThat(resumed.server()).isEqualTo(servers.source);
            assertThat(servers.entry(0)).isEqualTo(new AdminConsole.Entry(servers.source, false));
        }
    }

    @Test
    void aSourceRestoredBeforeTheRevertIsRememberedAndTheRevertResumesAtOnce() throws Exception {
        try (Connection client = servers.applicationClient(1, SOCKET_TIMEOUT)) {
            flip();
            CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> query(client));
            await().atMost(Duration.ofSeconds(30)).until(() -> servers.waitingClients(1) == 1);

            assertThat(pgbouncer.opened(servers.database, Optional.of("cutover-1"), Side.SOURCE))
                    .as("the file still points at the locked target").isEmpty();
            assertThat(servers.entry(1)).isEqualTo(new AdminConsole.Entry(servers.source, true));

            PoolReverted reverted = pgbouncer.revert(servers.database, Optional.of("cutover-1"), PgBouncerFixture.ENTRY,
                    servers.target, servers.source);

            assertThat(held).succeedsWithin(Duration.ofSeconds(30)).isEqualTo("source");
            assertThat(reverted.resumed()).hasValueSatisfying(resumed -> {
                assertThat(resumed.cause()).isEqualTo(Cause.REVERTED);
                assertThat(resumed.instances()).hasSize(2);
            });
        }
    }

    /** A fallback flips from the target back to the still locked source, which opens with SourceRestored. */
    @Test
    void aFallbackFlipToTheSourceHoldsTheClientsUntilTheSourceIsRestored() throws Exception {
        try (Connection client = servers.applicationClient(0, SOCKET_TIMEOUT)) {
            flip();
            pgbouncer.opened(servers.database, Optional.of("cutover-1"), Side.TARGET).orElseThrow();
            assertThat(serverOf(client)).isEqualTo("target");
            servers.lockSource();

            pgbouncer.flip(servers.database, Optional.of("cutover-1"), PgBouncerFixture.ENTRY, servers.target, servers.source);
            CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> query(client));
            await().atMost(Duration.ofSeconds(30)).until(() -> servers.waitingClients(0) == 1);
            assertThat(pgbouncer.opened(servers.database, Optional.of("cutover-1"), Side.TARGET))
                    .as("a TargetOpened does not open the source").isEmpty();
            assertThat(held).isNotDone();

            servers.restoreSource();
            PoolResumed resumed = pgbouncer.opened(servers.database, Optional.of("cutover-1"), Side.SOURCE).orElseThrow();

            assertThat(held).succeedsWithin(Duration.ofSeconds(30)).isEqualTo("source");
            assertThat(resumed.cause()).isEqualTo(Cause.SOURCE_RESTORED);
            assertThat(servers.entry(0)).isEqualTo(new AdminConsole.Entry(servers.source, false));
        }
    }

    @Test
    void anUnreachablePgBouncerFailsTheFlipBeforeAnyIsPaused() throws Exception {
        PgBouncerInstance nowhere = new PgBouncerInstance(new ServerAddress("127.0.0.1", portWithNobodyListening()),
                Path.of("unused.ini"));
        pgbouncer.close();
        pgbouncer = new PgBouncerSwitch(servers.settings(List.of(servers.instance(0), nowhere), PAUSE_TIMEOUT, MAX_PAUSE),
                resumedByItself::add);

        assertThatThrownBy(this::flip)
                .isInstanceOfSatisfying(DnsFailureException.class, e -> assertThat(e.failure()).isInstanceOf(DnsFailure.Unreachable.class))
                .hasMessageContaining("could not reach " + nowhere)
                .hasMessageContaining("nothing was paused");
        assertThat(servers.entry(0)).isEqualTo(new AdminConsole.Entry(servers.source, false));
        try (Connection client = servers.client(0)) {
            assertThat(serverOf(client)).isEqualTo("source");
        }
    }

    @Test
    void aTransactionThatOutlastsThePauseTimeoutFailsTheFlipAndEveryPgBouncerIsResumedOnTheSource() throws Exception {
        pgbouncer.close();
        pgbouncer = new PgBouncerSwitch(servers.settings(List.of(servers.instance(0), servers.instance(1)),
                Duration.ofSeconds(1), MAX_PAUSE), resumedByItself::add);
        try (Connection open = servers.client(1)) {
            open.setAutoCommit(false);
            assertThat(serverOf(open)).isEqualTo("source");

            assertThatThrownBy(this::flip)
                    .isInstanceOfSatisfying(DnsFailureException.class,
                            e -> assertThat(e.failure()).isInstanceOf(DnsFailure.PauseTimedOut.class))
                    .hasMessageContaining("PAUSE app on " + servers.instance(1));

            assertThat(servers.entry(0)).isEqualTo(new AdminConsole.Entry(servers.source, false));
            assertThat(servers.entry(1)).isEqualTo(new AdminConsole.Entry(servers.source, false));
            assertThat(serverOf(open)).isEqualTo("source");
            open.commit();
        }
    }

    @Test
    void clientsHeldPastTheMaxPauseAreResumedByTheSwitchItself() throws Exception {
        pgbouncer.close();
        pgbouncer = new PgBouncerSwitch(servers.settings(List.of(servers.instance(0), servers.instance(1)),
                Duration.ofSeconds(1), Duration.ofSeconds(2)), resumedByItself::add);

        flip();
        PoolResumed resumed = resumedByItself.poll(30, TimeUnit.SECONDS);

        assertThat(resumed).isNotNull();
        assertThat(resumed.cause()).isEqualTo(Cause.MAX_PAUSE_EXCEEDED);
        assertThat(resumed.server()).isEqualTo(servers.target);
        assertThat(servers.entry(0).paused()).isFalse();
    }

    @Test
    void aDatabaseLeftPausedByAnEarlierRunIsResumedWithinTheMaxPause() throws Exception {
        try (AdminConsole console = AdminConsole.open(servers.instance(1), PgBouncerServer.ADMIN_USER,
                PgBouncerFixture.ADMIN_PASSWORD, Duration.ofSeconds(2))) {
            console.pause(PgBouncerFixture.ENTRY, PAUSE_TIMEOUT);
        }
        pgbouncer.close();
        pgbouncer = new PgBouncerSwitch(servers.settings(List.of(servers.instance(0), servers.instance(1)),
                Duration.ofSeconds(1), Duration.ofSeconds(2)), resumedByItself::add);

        pgbouncer.adoptPaused();
        PoolResumed resumed = resumedByItself.poll(30, TimeUnit.SECONDS);

        assertThat(resumed).isNotNull();
        assertThat(resumed.cause()).isEqualTo(Cause.MAX_PAUSE_EXCEEDED);
        assertThat(resumed.instances()).containsExactly(servers.instance(1).admin().toString());
        assertThat(resumed.held()).as("this run did not see the PAUSE").isEmpty();
        assertThat(servers.entry(1)).isEqualTo(new AdminConsole.Entry(servers.source, false));
    }

    private PoolFlip flip() {
        return pgbouncer.flip(servers.database, Optional.of("cutover-1"), PgBouncerFixture.ENTRY, servers.source,
                servers.target);
    }

    private static String query(Connection client) {
        try {
            return serverOf(client);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int portWithNobodyListening() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
