package dev.cutover.lag.canary;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.lag.engine.Lsn;
import dev.cutover.lag.fixture.ReplicatedDatabase;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

@ExtendWith(SharedStackExtension.class)
class CanaryWatchIntegrationTest {

    private static ReplicatedDatabase database;
    private final CanaryWatch watch = new CanaryWatch(Clock.systemUTC());

    @BeforeAll
    static void replicate(LocalStack stack) throws SQLException {
        database = ReplicatedDatabase.create(stack, "lag_monitor_canary");
    }

    @AfterAll
    static void tearDown() throws SQLException {
        database.close();
    }

    @Test
    void canaryIsObservedWithItsLatencyOnceItsRowAndPositionArrive() throws SQLException {
        try (Connection target = database.connectTarget(); Connection source = database.connectSource()) {
            CanaryWatch.installNotifyTrigger(target);
            String token = token();
            Canary canary = new Canary(token, Lsn.parse(database.writeCanary(token)));

            CanaryWatch.Outcome outcome = watch.await(canary, positions(), Instant.now().plusSeconds(10), target, source);

            assertThat(outcome).isInstanceOf(CanaryWatch.Outcome.Observed.class);
            CanaryWatch.Outcome.Observed observed = (CanaryWatch.Outcome.Observed) outcome;
            assertThat(observed.latency()).isLessThan(Duration.ofSeconds(2));
            assertThat(observed.targetLsn().value()).isPositive();
        }
    }

    @Test
    void notifyTriggerFiresForRowsTheApplyWorkerWrites() throws SQLException {
        try (Connection target = database.connectTarget(); Connection source = database.connectSource()) {
            CanaryWatch.installNotifyTrigger(target);
            CanaryWatch.installNotifyTrigger(target);
            // Installing twice must leave one working trigger: every AwaitCatchUp installs it if missing.
            try (var statement = target.createStatement()) {
                statement.execute("listen " + CanaryWatch.CHANNEL);
            }
            String token = token();
            database.writeCanary(token);

            var notifications = target.unwrap(org.postgresql.PGConnection.class).getNotifications(10_000);

            assertThat(notifications).extracting(n -> n.getParameter()).contains(token);
        }
    }

    @Test
    void canaryThatCannotArriveTimesOutWithTheFiguresOfTheLastCheck() throws SQLException {
        database.disableSubscription();
        try (Connection target = database.connectTarget(); Connection source = database.connectSource()) {
            CanaryWatch.installNotifyTrigger(target);
            String token = token();
            Canary canary = new Canary(token, Lsn.parse(database.writeCanary(token)));
            Instant started = Instant.now();

            CanaryWatch.Outcome outcome = watch.await(canary, positions(), started.plusMillis(500), target, source);

            assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(2));
            assertThat(outcome).isInstanceOf(CanaryWatch.Outcome.TimedOut.class);
            CatchUpCheck last = ((CanaryWatch.Outcome.TimedOut) outcome).last();
            assertThat(last.rowVisible()).isFalse();
            assertThat(last.describe(canary)).contains("not visible", canary.lsn().toString());
        } finally {
            database.enableSubscription();
        }
    }

    @Test
    void aWaitBegunBeforeTheCanaryIsWrittenSeesItAndReadsItsPositionOnTheSource() throws Exception {
        try (Connection target = database.connectTarget(); Connection source = database.connectSource();
                var waiting = Executors.newVirtualThreadPerTaskExecutor()) {
            CanaryWatch.installNotifyTrigger(target);
            String token = token();
            Lsn before = Lsn.parse(database.sourceLsn());
            Future<CanaryWatch.Outcome> wait = waiting.submit(() -> watch.await(token, Optional.empty(), positions(),
                    Instant.now().plusSeconds(10), target, source));
            database.writeCanary(token);

            CanaryWatch.Outcome outcome = wait.get();

            assertThat(outcome).isInstanceOfSatisfying(CanaryWatch.Outcome.Observed.class, observed -> {
                assertThat(observed.canary().token()).isEqualTo(token);
                assertThat(observed.canary().lsn().isAtOrAfter(before)).isTrue();
                assertThat(observed.canary().lsn()).isNotEqualTo(before);
                assertThat(observed.targetLsn().isAtOrAfter(observed.canary().lsn())).isTrue();
            });
        }
    }

    @Test
    void aCanaryNeverWrittenTimesOutSayingItsPositionIsUnknown() throws SQLException {
        try (Connection target = database.connectTarget(); Connection source = database.connectSource()) {
            CanaryWatch.installNotifyTrigger(target);
            String token = token();

            CanaryWatch.Outcome outcome = watch.await(token, Optional.empty(), positions(),
                    Instant.now().plusMillis(300), target, source);

            assertThat(outcome).isInstanceOfSatisfying(CanaryWatch.Outcome.TimedOut.class, timedOut -> {
                assertThat(timedOut.lsn()).isEmpty();
                assertThat(timedOut.describe()).contains("not visible", "canary LSN unknown");
            });
        }
    }

    private static CanaryWatch.Positions positions() {
        return new CanaryWatch.Positions(Optional.of(database.subscription()), Optional.of(database.subscription()));
    }

    private static String token() {
        return "canary-" + UUID.randomUUID();
    }
}
