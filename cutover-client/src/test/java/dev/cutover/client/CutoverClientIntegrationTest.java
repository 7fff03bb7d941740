package dev.cutover.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;

import dev.cutover.stack.LocalStack;

/**
 * A HikariCP pool whose host name the JVM resolves to the source for the whole run (the tests' hosts file), following
 * cutovers published to the real broker, against the real source (127.0.0.2) and target (127.0.0.3).
 */
@ExtendWith(SandboxStack.class)
class CutoverClientIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String SOURCE = "127.0.0.2";
    private static final String TARGET = "127.0.0.3";

    private final LocalStack stack;

    CutoverClientIntegrationTest(LocalStack stack) {
        this.stack = stack;
    }

    @Test
    void theJvmResolvesTheDatabaseNameToTheSourceThroughoutTheRun() throws Exception {
        assertThat(stack.source().host()).isEqualTo(SOURCE);
        assertThat(stack.target().host()).isEqualTo(TARGET);
        assertThat(stack.target().port()).isEqualTo(stack.source().port());
        assertThat(InetAddress.getByName(SandboxStack.DATABASE_HOST).getHostAddress()).isEqualTo(SOURCE);
    }

    @Test
    void aCheckoutWaitsWhileTheSourceIsFencedThenGoesToTheTargetAndTheOldConnectionsAreEvicted() throws Exception {
        try (CutoverClient client = following("hold", ClientSettings.DEFAULT_HOLD_TIMEOUT);
                Saga saga = new Saga(stack.kafkaBootstrapServers(), "hold");
                HikariDataSource pool = client.follow(config("hold"))) {
            Connection old = pool.getConnection();
            assertThat(Servers.serverAddress(old)).isEqualTo(SOURCE);

            Checkout held = checkoutDuringTheFence(saga, client, pool);
            await().atMost(PATIENCE).until(held::isHeld);
            assertThat(held.server()).isNotDone();

            saga.targetOpened();
            assertThat(held.server().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(TARGET);
            old.close();
            await().atMost(PATIENCE).until(() -> Servers.sessions(stack.source(), "hold") == 0);
            try (Connection next = pool.getConnection()) {
                assertThat(Servers.serverAddress(next)).isEqualTo(TARGET);
            }
            assertThat(Servers.sessions(stack.target(), "hold")).isPositive();
            assertThat(InetAddress.getByName(SandboxStack.DATABASE_HOST).getHostAddress()).isEqualTo(SOURCE);
        }
    }

    @Test
    void aFenceHeardBeforeTheFlipHoldsTooAndTheCheckoutGoesToTheTarget() throws Exception {
        try (CutoverClient client = following("reordered", ClientSettings.DEFAULT_HOLD_TIMEOUT);
                Saga saga = new Saga(stack.kafkaBootstrapServers(), "reordered");
                HikariDataSource pool = client.follow(config("reordered"))) {
            saga.stopTraffic();
            await().atMost(PATIENCE).until(() -> client.route() instanceof Route.Fencing);
            Checkout held = Checkout.start(pool);
            await().atMost(PATIENCE).until(held::isHeld);

            saga.dnsFlipped(SOURCE, TARGET);
            await().atMost(PATIENCE).until(() -> client.route() instanceof Route.Holding);
            assertThat(held.server()).isNotDone();
            saga.targetOpened();
            assertThat(held.server().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(TARGET);
        }
    }

    @Test
    void aCheckoutThatWaitedForAFreeConnectionWhenTheHoldBeganGetsItOnlyOnTheTarget() throws Exception {
        HikariConfig config = config("busy");
        config.setMaximumPoolSize(1);
        try (CutoverClient client = following("busy", ClientSettings.DEFAULT_HOLD_TIMEOUT);
                Saga saga = new Saga(stack.kafkaBootstrapServers(), "busy");
                HikariDataSource pool = client.follow(config)) {
            Connection busy = pool.getConnection();
            Checkout waiting = Checkout.start(pool);
            await().atMost(PATIENCE).until(waiting::isWaitingForThePool);

            saga.dnsFlipped(SOURCE, TARGET);
            await().atMost(PATIENCE).until(() -> client.route() instanceof Route.Holding);
            busy.close();
            await().atMost(PATIENCE).until(() -> waiting.isHeld() || waiting.server().isDone());
            assertThat(waiting.server()).as("the source's connection, freed after the hold began, is not handed out").isNotDone();

            saga.targetOpened();
            assertThat(waiting.server().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(TARGET);
        }
    }

    @Test
    void aConnectionThatWasBeingMadeWhileThePoolWasEvictedIsNotHandedOut() throws Exception {
        try (CutoverClient client = following("straddle", ClientSettings.DEFAULT_HOLD_TIMEOUT);
                Saga saga = new Saga(stack.kafkaBootstrapServers(), "straddle");
                Connection blocker = stack.source().connect(SandboxStack.DATABASE)) {
            HikariConfig config = config("straddle");
            // The pool's first connection, begun before the flip, waits in its set-up on the source, after the driver
            // connected and before the pool holds it, until the lock is free: it is still being made when the target opens.
            config.setConnectionInitSql("select pg_advisory_lock(7231), pg_advisory_unlock(7231)");
            try (Statement lock = blocker.createStatement()) {
                lock.execute("select pg_advisory_lock(7231)");
            }
            try (HikariDataSource pool = client.follow(config)) {
                Checkout first = Checkout.start(pool);
                await().atMost(PATIENCE).until(() -> Servers.waitingForALock(stack.source(), "straddle"));

                saga.dnsFlipped(SOURCE, TARGET);
                await().atMost(PATIENCE).until(() -> client.route() instanceof Route.Holding);
                saga.targetOpened();
                await().atMost(PATIENCE).until(() -> client.route() instanceof Route.OnTarget);
                try (Statement unlock = blocker.createStatement()) {
                    unlock.execute("select pg_advisory_unlock(7231)");
                }

                assertThat(first.server().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(TARGET);
            }
        }
    }

    /**
     * The release is no burst of logins each against HikariCP's {@code connectionTimeout}: the pool's first login to
     * the target is kept here in its set-up ({@code connectionInitSql} waiting for a lock on the target) until HikariCP
     * has timed a checkout out, and the checkouts released with the hold wait for that connection instead of failing.
     */
    @Test
    void checkoutsReleasedWithTheHoldWaitForThePoolsFirstConnectionToTheTargetInsteadOfTimingOut() throws Exception {
        HikariConfig config = config("preopen");
        config.setConnectionTimeout(250);
        config.setConnectionInitSql("select pg_advisory_lock(7232), pg_advisory_unlock(7232)");
        TimeoutCount timeouts = new TimeoutCount();
        config.setMetricsTrackerFactory(timeouts);
        try (CutoverClient client = following("preopen", Duration.ofMinutes(1));
                Saga saga = new Saga(stack.kafkaBootstrapServers(), "preopen");
                HikariDataSource pool = client.follow(config);
                Connection blocker = stack.target().connect(SandboxStack.DATABASE)) {
            try (Connection before = pool.getConnection()) {
                assertThat(Servers.serverAddress(before)).isEqualTo(SOURCE);
            }
            try (Statement lock = blocker.createStatement()) {
                lock.execute("select pg_advisory_lock(7232)");
            }
            Checkout first = checkoutDuringTheFence(saga, client, pool);
            Checkout second = Checkout.start(pool);
            await().atMost(PATIENCE).until(() -> first.isHeld() && second.isHeld());

            saga.targetOpened();
            await().atMost(PATIENCE).until(() -> timeouts.count() > 0 && Servers.waitingForALock(stack.target(), "preopen")
                    && (first.isWaitingForTheFirstConnection() || first.server().isDone())
                    && (second.isWaitingForTheFirstConnection() || second.server().isDone()));
            assertThat(first.server()).as("a checkout released with the hold while the first login to the target waits").isNotDone();
            assertThat(second.server()).as("a checkout released with the hold while the first login to the target waits").isNotDone();

            try (Statement unlock = blocker.createStatement()) {
                unlock.execute("select pg_advisory_unlock(7232)");
            }
            assertThat(first.server().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(TARGET);
            assertThat(second.server().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(TARGET);
        }
    }

    /**
     * While the pool fills after the hold, until the hold's own end, a checkout that HikariCP times out (here the pool's
     * only connection is kept by the application) asks again rather than fail: it never had a connection.
     */
    @Test
    void aCheckoutThatHikariTimesOutWhileThePoolFillsAfterTheHoldWaitsInstead() throws Exception {
        HikariConfig config = config("filling");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(250);
        TimeoutCount timeouts = new TimeoutCount();
        config.setMetricsTrackerFactory(timeouts);
        try (CutoverClient client = following("filling", Duration.ofMinutes(1));
                Saga saga = new Saga(stack.kafkaBootstrapServers(), "filling");
                HikariDataSource pool = client.follow(config)) {
            Checkout held = checkoutDuringTheFence(saga, client, pool);
            await().atMost(PATIENCE).until(held::isHeld);
            saga.targetOpened();
            assertThat(held.server().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(TARGET);

            try (Connection kept = pool.getConnection()) {
                Checkout waiting = Checkout.start(pool);
                await().atMost(PATIENCE).until(() -> timeouts.count() > 0 && (waiting.isWaitingForThePool() || waiting.server().isDone()));
                assertThat(waiting.server()).as("a checkout HikariCP timed out while the pool fills after the hold").isNotDone();
                kept.close();
                assertThat(waiting.server().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(TARGET);
            }
        }
    }

    @Test
    void withNoEventsThePoolConnectsWhereAPlainPoolDoes() throws Exception {
        try (CutoverClient client = following("plain", ClientSettings.DEFAULT_HOLD_TIMEOUT);
                HikariDataSource following = client.follow(config("plain"));
                HikariDataSource plain = new HikariDataSource(config("plain-reference"));
                Connection withLibrary = following.getConnection();
                Connection without = plain.getConnection()) {
            assertThat(Servers.serverAddress(withLibrary)).isEqualTo(Servers.serverAddress(without)).isEqualTo(SOURCE);
            assertThat(client.route()).isEqualTo(new Route.Normal());
        }
    }

    @Test
    void withKafkaOutOfReachThePoolConnectsAsConfiguredWithoutWaiting() throws Exception {
        try (CutoverClient client = CutoverClient.start(ClientSettings.of("localhost:1", "unreachable"));
                HikariDataSource pool = client.follow(config("unreachable"));
                Connection connection = pool.getConnection()) {
            assertThat(Servers.serverAddress(connection)).isEqualTo(SOURCE);
            assertThat(client.awaitFollowing(Duration.ZERO)).isFalse();
        }
    }

    @Test
    void aRollbackReleasesTheHeldCheckoutToTheSource() throws Exception {
        try (CutoverClient client = following("rollback", ClientSettings.DEFAULT_HOLD_TIMEOUT);
                Saga saga = new Saga(stack.kafkaBootstrapServers(), "rollback");
                HikariDataSource pool = client.follow(config("rollback"))) {
            Checkout held = checkoutDuringTheFence(saga, client, pool);
            await().atMost(PATIENCE).until(held::isHeld);

            saga.sourceRestored();
            assertThat(held.server().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(SOURCE);
            saga.rolledBack();
            assertThat(client.route()).isEqualTo(new Route.OnSource(saga.cutoverId(), SOURCE));
            try (Connection next = pool.getConnection()) {
                assertThat(Servers.serverAddress(next)).isEqualTo(SOURCE);
            }
            assertThat(Servers.sessions(stack.target(), "rollback")).isZero();
        }
    }

    /**
     * An application started after the cutover hears its fallback's flip (the same event type, back to the source) as
     * if it were a cutover's; the fallback's fence of the target, {@code LockTarget}, turns it round.
     */
    @Test
    void aProcessStartedAfterTheCutoverFollowsItsFallbackToTheSource() throws Exception {
        try (CutoverClient client = following("late", ClientSettings.DEFAULT_HOLD_TIMEOUT);
                Saga saga = new Saga(stack.kafkaBootstrapServers(), "late");
                HikariDataSource pool = client.follow(config("late"))) {
            saga.dnsFlipped(TARGET, SOURCE);
            saga.lockTarget();
            await().atMost(PATIENCE).until(() -> client.route() instanceof Route.FallingBack);
            Checkout held = Checkout.start(pool);
            await().atMost(PATIENCE).until(held::isHeld);

            saga.sourceRestored();
            assertThat(held.server().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(SOURCE);
            assertThat(client.route()).isEqualTo(new Route.OnSource(saga.cutoverId(), SOURCE));
        }
    }

    @Test
    void theHoldEndsAtItsTimeoutAndTheCheckoutGoesOnAsConfigured() throws Exception {
        try (CutoverClient client = following("timeout", Duration.ofSeconds(1));
                Saga saga = new Saga(stack.kafkaBootstrapServers(), "timeout");
                HikariDataSource pool = client.follow(config("timeout"))) {
            Checkout held = checkoutDuringTheFence(saga, client, pool);

            assertThat(held.server().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(SOURCE);
            assertThat(client.route()).isInstanceOf(Route.Holding.class);
        }
    }

    /** The saga flips the name and fences the source; then a checkout starts. */
    private static Checkout checkoutDuringTheFence(Saga saga, CutoverClient client, HikariDataSource pool) {
        saga.dnsFlipped(SOURCE, TARGET);
        saga.stopTraffic();
        await().atMost(PATIENCE).until(() -> client.route() instanceof Route.Holding);
        return Checkout.start(pool);
    }

    private CutoverClient following(String database, Duration holdTimeout) throws InterruptedException {
        CutoverClient client = CutoverClient.start(ClientSettings.of(stack.kafkaBootstrapServers(), database).withHoldTimeout(holdTimeout));
        assertThat(client.awaitFollowing(PATIENCE)).as("the follower reads the topics' ends").isTrue();
        return client;
    }

    /** Counts the checkouts HikariCP gave up on at its {@code connectionTimeout}, through its own metrics hook. */
    private static final class TimeoutCount implements MetricsTrackerFactory {

        private final AtomicInteger count = new AtomicInteger();

        @Override
        public IMetricsTracker create(String poolName, PoolStats poolStats) {
            return new IMetricsTracker() {
                @Override
                public void recordConnectionTimeout() {
                    count.incrementAndGet();
                }
            };
        }

        int count() {
            return count.get();
        }
    }

    /** A pool as an application configures it: the database's name, never an address. */
    private HikariConfig config(String application) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(application);
        config.setJdbcUrl("jdbc:postgresql://" + SandboxStack.DATABASE_HOST + ":" + stack.source().port() + "/" + SandboxStack.DATABASE);
        config.setUsername(stack.source().superuser());
        config.setPassword(stack.source().password());
        config.setMaximumPoolSize(2);
        config.addDataSourceProperty("ApplicationName", application);
        return config;
    }
}
