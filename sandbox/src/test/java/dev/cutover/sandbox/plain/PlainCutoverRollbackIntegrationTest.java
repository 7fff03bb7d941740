package dev.cutover.sandbox.plain;

import static dev.cutover.sandbox.plain.StreamingDatabase.connectAsApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.cutover.dns.DnsAnswer;
import dev.cutover.dns.DnsRecordName;
import dev.cutover.dns.DnsTarget;
import dev.cutover.dns.FlipRequest;
import dev.cutover.dns.rfc2136.Rfc2136Provider;
import dev.cutover.stack.LocalStack;

/**
 * A plain cutover whose DNS flip is refused (the name points somewhere else, so the compare-and-swap fails) rolls
 * back as the saga does: DNS sent back, then the source open again; the target, flipped to while still locked, was
 * never opened.
 */
class PlainCutoverRollbackIntegrationTest {

    private static final String ELSEWHERE = "127.0.0.9";

    private static LocalStack stack;
    private static PlainCutover.Result result;

    @BeforeAll
    static void cutOverWhileTheNamePointsSomewhereElse() throws Exception {
        stack = StreamingDatabase.start();
        Rfc2136Provider dns = PlainCutover.provider(stack.dns());
        dns.flip(new FlipRequest(DnsRecordName.of(stack.dns().databaseName()), DnsTarget.parse(stack.source().host()),
                DnsTarget.parse(ELSEWHERE), Duration.ofSeconds(1)));
        result = StreamingDatabase.cutover(stack).run();
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theCutoverRollsBackAfterTheRefusedFlip() {
        assertThat(result.status()).as(result.describe()).isEqualTo(PlainCutover.Status.ROLLED_BACK);
        assertThat(result.steps()).extracting(PlainCutover.StepTime::step).containsExactly("FLIP_DNS",
                "REVERT_DNS", "RESTORE_SOURCE");
        assertThat(result.failure()).hasValueSatisfying(failure -> assertThat(failure).startsWith("FLIP_DNS failed"));
        assertThat(result.fenceToFlip()).isEmpty();
        assertThat(result.restoredAt()).isNotNull();
    }

    @Test
    void theApplicationRoleCanLogInToTheSourceAgain() throws SQLException {
        try (Connection connection = connectAsApp(stack.source())) {
            assertThat(connection.isValid(1)).isTrue();
        }
    }

    @Test
    void theApplicationRoleIsLockedOutOfTheTarget() {
        assertThatThrownBy(() -> connectAsApp(stack.target()).close()).isInstanceOf(SQLException.class);
    }

    @Test
    void theNameWasNotPointedAtTheTarget() {
        DnsAnswer answer = PlainCutover.provider(stack.dns()).current(DnsRecordName.of(stack.dns().databaseName()))
                .orElseThrow();
        assertThat(answer.pointsAt(DnsTarget.parse(stack.target().host()))).isFalse();
    }
}
