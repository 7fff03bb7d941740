package dev.cutover.sandbox.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static dev.cutover.sandbox.plain.StreamingDatabase.connectAsApp;
import static dev.cutover.sandbox.plain.StreamingDatabase.number;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import dev.cutover.stack.LocalStack;

/**
 * The plain sequential cutover on real servers: PostgreSQL 11 streaming to 17 through a native subscription, the
 * stack's BIND holding the name, an application session on the source that the fence must end. No Kafka and no
 * services: the program alone must do every step.
 */
class PlainCutoverIntegrationTest {

    private static LocalStack stack;
    private static PlainCutover.Result result;

    @BeforeAll
    static void cutOverAStreamingDatabaseWhileTheApplicationIsConnected() throws Exception {
        stack = StreamingDatabase.start();
        // An application session on the source: the fence must end it, not just lock new ones out.
        Connection application = connectAsApp(stack.source());
        CompletableFuture<PlainCutover.Result> running = CompletableFuture.supplyAsync(StreamingDatabase.cutover(stack)::run);
        // The application comes back on the target once it may log in: the program waits for that session. A
        // cutover that ends without opening the target ends the wait too, and says why.
        Connection resumed = await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                .until(() -> running.isDone() ? Optional.<Connection>empty() : Optional.of(connectAsApp(stack.target())),
                        session -> session.isPresent() || running.isDone())
                .orElse(null);
        result = running.get();
        assertThat(resumed).as("no application session reached the target: %s", result.describe()).isNotNull();
        resumed.close();
        assertThat(application.isValid(1)).isFalse();
        application.close();
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theCutoverCompletesWithEveryStepTimed() {
        assertThat(result.status()).as(result.describe()).isEqualTo(PlainCutover.Status.COMPLETED);
        assertThat(result.steps()).extracting(PlainCutover.StepTime::step).containsExactly("FLIP_DNS",
                "STOP_TRAFFIC", "WRITE_CANARY", "SYNC_SEQUENCES", "AWAIT_CATCH_UP", "OPEN_TARGET", "AWAIT_TRAFFIC");
        assertThat(result.fenceToFlip()).hasValueSatisfying(flipBeforeFence -> assertThat(flipBeforeFence).isNegative());
        assertThat(result.downtime().orElseThrow()).isPositive();
        assertThat(result.openedAt()).isAfter(result.fencedAt()).isBeforeOrEqualTo(result.resumedAt());
    }

    @Test
    void theApplicationRoleCanNoLongerLogInToTheSource() {
        assertThatThrownBy(() -> connectAsApp(stack.source()).close()).isInstanceOf(SQLException.class);
    }

    @Test
    void theApplicationRoleCanLogInToTheTarget() throws SQLException {
        try (Connection connection = connectAsApp(stack.target())) {
            assertThat(connection.isValid(1)).isTrue();
        }
    }

    @Test
    void theDnsNameAnswersTheTargetsAddress() throws Exception {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(stack.dns().host(), stack.dns().port()));
        Message response = resolver.send(Message.newQuery(
                Record.newRecord(Name.fromString(stack.dns().databaseName()), Type.A, DClass.IN)));
        assertThat(response.getSection(Section.ANSWER)).singleElement()
                .satisfies(answer -> {
                    assertThat(((ARecord) answer).getAddress().getHostAddress()).isEqualTo(stack.target().host());
                    assertThat(answer.getTTL()).isEqualTo(1);
                });
    }

    @Test
    void theTargetsSequencesStandWhereTheSourcesDo() throws SQLException {
        String position = "select last_value * 2 + is_called::int from items_id_seq";
        assertThat(number(stack.target(), position)).isEqualTo(number(stack.source(), position)).isEqualTo(1001);
    }
}
