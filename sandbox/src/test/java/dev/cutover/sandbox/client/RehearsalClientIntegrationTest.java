package dev.cutover.sandbox.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.sandbox.report.RowCheck;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.StackOptions;
import dev.cutover.stack.StackPart;
import java.net.InetAddress;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client on the source alone: its pace, its DNS, its record, its retries. */
class RehearsalClientIntegrationTest {

    private static LocalStack stack;

    @BeforeAll
    static void startSourceAndBind() {
        stack = LocalStack.start(StackOptions.sandbox().withParts(StackPart.SOURCE, StackPart.TARGET, StackPart.DNS));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void theClientWritesAtTheConfiguredRateThroughTheDnsNameAndEveryAckIsFoundOnTheSource() throws Exception {
        ClientFixture app = new ClientFixture(stack, "rate");
        app.prepare(stack.source());
        app.pointNameAt(stack.source().host());
        ClientSettings settings = app.settings();

        RehearsalClient client = RehearsalClient.start(settings);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.progress().acked() >= 4_000);
        ClientRecord record = client.stop();

        // The first second includes the pool's warm-up and the JIT: measure the rate over the rest.
        long from = record.startNanoTime() + Duration.ofSeconds(1).toNanos();
        long steady = record.acks().filter(ack -> ack.nanoTime() >= from).count();
        double perSecond = steady / ((record.stopNanoTime() - from) / 1e9);
        // The lower bound leaves room for this machine's stalls of up to ~300 ms; the upper one says it is paced.
        assertThat(perSecond).isBetween(0.75 * settings.transactionsPerSecond(), 1.05 * settings.transactionsPerSecond());
        assertThat(record.acksBy(Server.SOURCE)).isEqualTo(record.ackCount());
        assertThat(record.acks().filter(ack -> ack.kind() == WriteKind.UPDATE).count())
                .isBetween((long) (0.4 * record.ackCount()), (long) (0.6 * record.ackCount()));
        assertThat(record.failureCount()).isZero();
        try (Connection source = stack.source().connect(app.database())) {
            RowCheck check = RowCheck.of(record, source, Server.SOURCE);
            assertThat(check.rows()).isEqualTo(record.rowCount()).isGreaterThan(1_000);
            assertThat(check.lost()).isZero();
        }
    }

    @Test
    void theJvmResolvesTheNameThroughTheStacksBindWhoseAnswerItFollowsAfterTheCacheTtl() throws Exception {
        ClientFixture app = new ClientFixture(stack, "resolve");
        app.pointNameAt("127.0.0.2");
        JvmDns.install(app.settings().dnsServer(), app.settings().dnsCacheTtl());

        assertThat(InetAddress.getByName(app.host()).getHostAddress()).isEqualTo("127.0.0.2");
        app.pointNameAt("127.0.0.3");

        await().atMost(Duration.ofSeconds(5)).until(() -> InetAddress.getByName(app.host()).getHostAddress().equals("127.0.0.3"));
    }

    @Test
    void terminatedSessionsAreRetriedUntilAcknowledgedAndEachFailedAttemptIsRecordedWithItsSqlState() throws Exception {
        ClientFixture app = new ClientFixture(stack, "retry");
        app.prepare(stack.source());
        app.pointNameAt(stack.source().host());

        try (RehearsalClient client = RehearsalClient.start(app.settings())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> client.progress().acked() >= 500);
            app.terminateSessions(stack.source());
            await().atMost(Duration.ofSeconds(30)).until(() -> client.progress().failedAttempts() > 0);
            long ackedAfterFailures = client.progress().acked();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.progress().acked() >= ackedAfterFailures + 500);
            ClientRecord record = client.stop();

            // A worker that finds no connection ready while the pool reopens them counts a pool timeout instead.
            assertThat(record.failures()).allSatisfy(failure -> assertThat(failure.kind()).isIn(FailureKind.CONNECTION, FailureKind.POOL_TIMEOUT));
            assertThat(record.failureCauses()).extracting(FailureCause::sqlState).contains("57P01");
            assertThat(record.acksBy(Server.SOURCE)).isEqualTo(record.ackCount());
            try (Connection source = stack.source().connect(app.database())) {
                assertThat(RowCheck.of(record, source, Server.SOURCE).lost()).isZero();
            }
        }
    }
}
