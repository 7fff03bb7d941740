package dev.cutover.sandbox.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.sandbox.client.ClientFixture;
import dev.cutover.sandbox.client.ClientRecord;
import dev.cutover.sandbox.client.FailureKind;
import dev.cutover.sandbox.client.NotificationStatus;
import dev.cutover.sandbox.client.RehearsalClient;
import dev.cutover.sandbox.client.Server;
import dev.cutover.sandbox.client.WriteKind;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.StackOptions;
import dev.cutover.stack.StackPart;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cutover done by hand under the client, as the services would do it: fence the source, copy its rows, set the
 * target's sequence, flip the name. Then the report, and the faults it must catch.
 */
class CutoverReportIntegrationTest {

    private static LocalStack stack;
    private static ClientFixture app;
    private static ClientRecord record;
    private static Instant cutoverStartedAt;
    private static Instant fenceAt;
    private static Instant flippedAt;

    @BeforeAll
    static void runACutoverUnderTheClient() throws Exception {
        stack = LocalStack.start(StackOptions.sandbox().withParts(StackPart.SOURCE, StackPart.TARGET, StackPart.DNS));
        app = new ClientFixture(stack, "flip");
        app.prepare(stack.source());
        app.prepare(stack.target());
        app.pointNameAt(stack.source().host());

        RehearsalClient client = RehearsalClient.start(app.settings());
        await().atMost(Duration.ofSeconds(30)).until(() -> client.progress().ackedBySource() >= 2_000);

        cutoverStartedAt = Instant.now();
        app.lockOutAndTerminate(stack.source());
        await().atMost(Duration.ofSeconds(10)).until(() -> app.sessions(stack.source()) == 0);
        fenceAt = Instant.now();
        app.copyRows(stack.source(), stack.target());
        app.syncSequence(stack.source(), stack.target());
        app.pointNameAt(stack.target().host());
        flippedAt = Instant.now();

        await().atMost(Duration.ofSeconds(30)).until(() -> client.progress().ackedByTarget() >= 2_000);
        record = client.stop();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void theClientFollowsTheNameToTheTargetAndItsLaterAcksAreAttributedToTheTarget() {
        long fence = record.nanoTimeOf(fenceAt);
        long flip = record.nanoTimeOf(flippedAt);

        assertThat(record.acks().filter(ack -> ack.nanoTime() < fence)).allSatisfy(ack -> assertThat(ack.server()).isEqualTo(Server.SOURCE));
        assertThat(record.acks().filter(ack -> ack.nanoTime() > flip)).allSatisfy(ack -> assertThat(ack.server()).isEqualTo(Server.TARGET));
        assertThat(record.acksBy(Server.TARGET)).isGreaterThanOrEqualTo(2_000);
        assertThat(record.failures()).isNotEmpty()
                .allSatisfy(failure -> assertThat(failure.kind()).isNotEqualTo(FailureKind.DUPLICATE_KEY));
    }

    @Test
    void theReportOfACompletedCutoverFindsNothingLostAndExitsWithZero() throws SQLException {
        Report report = completedReport(record);
        System.out.print(report.text());

        assertThat(report.lostWrites()).isZero();
        assertThat(report.rowCheck().rows()).isEqualTo(record.rowCount());
        assertThat(report.rowCheck().checkedOn()).isEqualTo(Server.TARGET);
        assertThat(report.writesAfterFence()).isZero();
        assertThat(report.duplicateKeyErrors()).isZero();
        assertThat(report.ackedWrites()).isEqualTo(record.ackCount());
        assertThat(report.clientDowntimeMs()).isPositive().isLessThan(Duration.between(cutoverStartedAt, record.stoppedAt()).toMillis());
        assertThat(report.errorWindowMs()).isPositive();
        assertThat(report.fenceToFlipMs()).hasValue(Duration.between(fenceAt, flippedAt).toMillis());
        assertThat(report.exitCode()).isZero();
    }

    @Test
    void theReportsLastLineIsOneJsonObjectWithEveryFigure() throws SQLException {
        String[] lines = completedReport(record).text().split("\\R");
        String json = lines[lines.length - 1];

        assertThat(json).startsWith("{").endsWith("}")
                .contains("\"result\":\"completed\"", "\"lostWrites\":0", "\"writesAfterFence\":0", "\"duplicateKeyErrors\":0",
                        "\"ackedWrites\":" + record.ackCount(), "\"clientDowntimeMs\":", "\"errorWindowMs\":", "\"fenceToFlipMs\":");
    }

    @Test
    void anAcknowledgedRowMissingOnTheTargetIsReportedAsLostAndTheExitCodeIsNonZero() throws SQLException {
        long acknowledged = record.row(record.rowCount() / 2).id();
        try (Connection target = stack.target().connect(app.database())) {
            target.setAutoCommit(false);
            try (PreparedStatement delete = target.prepareStatement("DELETE FROM notifications WHERE id = ?")) {
                delete.setLong(1, acknowledged);
                assertThat(delete.executeUpdate()).isOne();
            }

            Report report = Report.create(completedInputs(record), null, target);
            target.rollback();

            assertThat(report.lostWrites()).isOne();
            assertThat(report.rowCheck().missing()).isOne();
            assertThat(report.rowCheck().examples()).containsExactly("id " + acknowledged + ": " + record.row(record.rowCount() / 2).status().value() + " -> missing");
            assertThat(report.exitCode()).isNotZero();
            assertThat(report.json()).contains("\"lostWrites\":1");
        }
    }

    @Test
    void anAcknowledgedUpdateThatDidNotReachTheTargetIsReportedAsLost() throws SQLException {
        ClientRecord.AckedRow updated = record.rows().filter(row -> row.status() != NotificationStatus.CREATED)
                .findFirst().orElseThrow();
        try (Connection target = stack.target().connect(app.database())) {
            target.setAutoCommit(false);
            try (PreparedStatement revert = target.prepareStatement("UPDATE notifications SET status = 'created' WHERE id = ?")) {
                revert.setLong(1, updated.id());
                revert.executeUpdate();
            }

            Report report = Report.create(completedInputs(record), null, target);
            target.rollback();

            assertThat(report.rowCheck().different()).isOne();
            assertThat(report.lostWrites()).isOne();
            assertThat(report.exitCode()).isNotZero();
        }
    }

    @Test
    void afterARollbackTheRowsAreCheckedOnTheSourceWhereTheTargetsInsertsAreMissing() throws SQLException {
        long insertedOnTheTarget = record.acks()
                .filter(ack -> ack.server() == Server.TARGET && ack.kind() == WriteKind.INSERT).count();
        try (Connection source = stack.source().connect(app.database())) {
            Report report = Report.create(ReportInputs.of(record, CutoverResult.ROLLED_BACK).withFenceAt(fenceAt), source, null);

            assertThat(report.rowCheck().checkedOn()).isEqualTo(Server.SOURCE);
            assertThat(report.rowCheck().missing()).isEqualTo(insertedOnTheTarget);
            assertThat(report.exitCode()).isNotZero();
        }
    }

    /**
     * A session the server began after the fence can only have logged in once the role was open again (after a
     * rollback), so its writes are no breach: the client must know each session's start for the report to tell.
     */
    @Test
    void everyAcknowledgedWriteKnowsWhetherItsSessionBeganBeforeTheFence() {
        assertThat(IntStream.range(0, record.ackCount()).filter(i -> record.ackServer(i) == Server.SOURCE))
                .isNotEmpty().allSatisfy(i -> assertThat(record.ackSessionStartedBefore(i, fenceAt)).isTrue());
        assertThat(IntStream.range(0, record.ackCount()).filter(i -> record.ackServer(i) == Server.TARGET))
                .isNotEmpty().allSatisfy(i -> assertThat(record.ackSessionStartedBefore(i, fenceAt)).isFalse());
    }

    @Test
    void writesTheSourceAcknowledgedAfterTheGivenFenceTimeAreCountedAndFailTheExitCode() throws SQLException {
        Instant earlierFence = cutoverStartedAt.minusMillis(500);
        long fence = record.nanoTimeOf(earlierFence);
        // Judged as the report judges them: by when the write was sent, not when its answer was noted.
        long expected = IntStream.range(0, record.ackCount())
                .filter(i -> record.ackServer(i) == Server.SOURCE && record.ackSentNanoTime(i) > fence
                        && record.ackSessionStartedBefore(i, earlierFence)).count();

        try (Connection target = stack.target().connect(app.database())) {
            Report report = Report.create(completedInputs(record).withFenceAt(earlierFence), null, target);

            assertThat(expected).isGreaterThan(100);
            assertThat(report.writesAfterFence()).isEqualTo(expected);
            assertThat(report.lostWrites()).isZero();
            assertThat(report.exitCode()).isNotZero();
            assertThat(report.json()).contains("\"writesAfterFence\":" + expected);
        }
    }

    @Test
    void withoutTheTargetsSequenceSetTheClientHitsDuplicateKeysAfterTheFlipAndTheReportCountsThem() throws Exception {
        ClientFixture unsynced = new ClientFixture(stack, "unsynced");
        unsynced.prepare(stack.source());
        unsynced.prepare(stack.target());
        unsynced.pointNameAt(stack.source().host());
        RehearsalClient client = RehearsalClient.start(unsynced.settings());
        await().atMost(Duration.ofSeconds(30)).until(() -> client.progress().ackedBySource() >= 300);

        Instant started = Instant.now();
        unsynced.lockOutAndTerminate(stack.source());
        await().atMost(Duration.ofSeconds(10)).until(() -> unsynced.sessions(stack.source()) == 0);
        Instant fenced = Instant.now();
        unsynced.copyRows(stack.source(), stack.target());
        unsynced.pointNameAt(stack.target().host());
        Instant flipped = Instant.now();
        // Each failed insert draws a new id, so the client gets past the copied rows' ids after enough attempts.
        await().atMost(Duration.ofSeconds(60)).until(() -> client.progress().duplicateKeyErrors() > 0 && client.progress().ackedByTarget() >= 300);
        ClientRecord unsyncedRecord = client.stop();

        try (Connection target = stack.target().connect(unsynced.database())) {
            Report report = Report.create(ReportInputs.of(unsyncedRecord, CutoverResult.COMPLETED)
                    .withCutoverStartedAt(started).withFenceAt(fenced).withFlippedAt(flipped), null, target);

            assertThat(report.duplicateKeyErrors()).isPositive()
                    .isEqualTo(unsyncedRecord.failures().filter(failure -> failure.kind() == FailureKind.DUPLICATE_KEY).count());
            assertThat(report.json()).contains("\"duplicateKeyErrors\":" + report.duplicateKeyErrors());
            assertThat(report.lostWrites()).isZero();
        }
    }

    private static Report completedReport(ClientRecord client) throws SQLException {
        try (Connection source = stack.source().connect(app.database()); Connection target = stack.target().connect(app.database())) {
            return Report.create(completedInputs(client), source, target);
        }
    }

    private static ReportInputs completedInputs(ClientRecord client) {
        return ReportInputs.of(client, CutoverResult.COMPLETED)
                .withCutoverStartedAt(cutoverStartedAt)
                .withFenceAt(fenceAt)
                .withFlippedAt(flippedAt)
                .withTimeline(List.of(new TimelineEntry("rows copied, sequence set", flippedAt.minusMillis(1))));
    }
}
