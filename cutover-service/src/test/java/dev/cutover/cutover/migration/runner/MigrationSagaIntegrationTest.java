package dev.cutover.cutover.migration.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cutover.cutover.CutoverServiceApplication;
import dev.cutover.cutover.api.OpsApi;
import dev.cutover.cutover.migration.MigrationId;
import dev.cutover.events.ApplySchema;
import dev.cutover.events.CheckPreflight;
import dev.cutover.events.CleanUpMigration;
import dev.cutover.events.CopyData;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.DataMismatch;
import dev.cutover.events.DataVerified;
import dev.cutover.events.DnsTtlChanged;
import dev.cutover.events.FindingSeverity;
import dev.cutover.events.FullLoadCompleted;
import dev.cutover.events.LowerDnsTtl;
import dev.cutover.events.Metadata;
import dev.cutover.events.MigrationDataMismatched;
import dev.cutover.events.MigrationPlanReported;
import dev.cutover.events.MigrationPlanned;
import dev.cutover.events.MigrationReady;
import dev.cutover.events.MigrationRejected;
import dev.cutover.events.MigrationStarted;
import dev.cutover.events.MigrationStepStarted;
import dev.cutover.events.MigrationStopped;
import dev.cutover.events.PlannedTable;
import dev.cutover.events.PreflightFinding;
import dev.cutover.events.PreflightReported;
import dev.cutover.events.ReplicationStreaming;
import dev.cutover.events.SchemaApplied;
import dev.cutover.events.SchemaSection;
import dev.cutover.events.SchemaVerified;
import dev.cutover.events.StartCutover;
import dev.cutover.events.StartMigration;
import dev.cutover.events.StartStreaming;
import dev.cutover.events.StepFailed;
import dev.cutover.events.TableCopied;
import dev.cutover.events.VerifyData;
import dev.cutover.events.VerifySchema;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * cutover-service's migration saga as it runs, on the shared stack's real broker. The test plays the participants
 * (schema-service, replicator, dns-switcher) by answering the saga's commands, so every branch can be driven on
 * purpose.
 */
@ExtendWith(SharedStackExtension.class)
class MigrationSagaIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final AtomicInteger databases = new AtomicInteger();

    static LocalStack stack;

    ConfigurableApplicationContext service;
    KafkaProbe probe;
    String database;

    @BeforeAll
    static void shareStack(LocalStack shared) {
        stack = shared;
    }

    @BeforeEach
    void startService() {
        database = "migration" + databases.incrementAndGet();
        service = startCutoverService();
        probe = new KafkaProbe(stack.kafkaBootstrapServers());
    }

    @AfterEach
    void stopService() {
        service.close();
        probe.close();
    }

    @Test
    void aCutoverStartedWhileTheDatabasesMigrationRunsIsRefusedNamingTheMigrationAndItsStep() {
        String migration = start("alice", 1);
        awaitAbout(migration, CheckPreflight.class);
        String cutover = database + "-cutover-" + UUID.randomUUID();

        probe.send(StartCutover.newBuilder().setMetadata(KafkaProbe.metadata(database, cutover, null))
                .setOperator("alice").setDryRun(false).setReason("too early").build());

        CutoverRejected rejected = probe.await(CutoverRejected.class,
                message -> cutover.equals(message.getMetadata().getCutoverId()), WAIT);
        assertThat(rejected.getReason()).startsWith("migration " + migration + " of " + database + " is at PREFLIGHT:"
                + " a cutover needs its migration ready");
    }

    @Test
    void aMigrationRunsThroughEveryStepToReadyAndVerifiesDataAgainWhileReplicationCatchesUp() {
        String migration = start("alice", 3);

        MigrationPlanned plan = awaitAbout(migration, MigrationPlanned.class);
        assertThat(plan.getSteps()).containsExactly("PREFLIGHT", "PRE_DATA", "FULL_LOAD", "POST_DATA", "STREAMING",
                "VERIFY_SCHEMA", "VERIFY_DATA", "LOWER_DNS_TTL");
        assertThat(awaitAbout(migration, MigrationStarted.class).getOperator()).isEqualTo("alice");

        CheckPreflight check = awaitAbout(migration, CheckPreflight.class);
        assertThat(check.getScope()).isEqualTo("MIGRATION");
        probe.send(PreflightReported.newBuilder().setMetadata(answer(check)).setScope("MIGRATION")
                .setFindings(List.of(finding(FindingSeverity.WARNING, "table has no primary key"))).setBlockers(0)
                .build());

        ApplySchema preData = awaitAbout(migration, ApplySchema.class);
        assertThat(preData.getSection()).isEqualTo(SchemaSection.PRE_DATA);
        assertThat(preData.getParallelism()).isEqualTo(3);
        probe.send(SchemaApplied.newBuilder().setMetadata(answer(preData)).setSection(SchemaSection.PRE_DATA)
                .setStatements(40).build());

        CopyData copy = awaitAbout(migration, CopyData.class);
        assertThat(copy.getParallelism()).isEqualTo(3);
        // A copied table gets its indexes and keys while the others are still being copied.
        probe.send(TableCopied.newBuilder().setMetadata(answer(copy)).setTable("public.orders").setRows(10).build());
        ApplySchema ordersPostData = awaitAbout(migration, ApplySchema.class,
                c -> c.getSection() == SchemaSection.POST_DATA);
        assertThat(ordersPostData.getTables()).containsExactly("public.orders");
        assertThat(ordersPostData.getParallelism()).isEqualTo(3);
        probe.send(SchemaApplied.newBuilder().setMetadata(answer(ordersPostData)).setSection(SchemaSection.POST_DATA)
                .setTables(List.of("public.orders")).setConstraints(1).build());
        probe.send(FullLoadCompleted.newBuilder().setMetadata(answer(copy)).setSlot("cutover_" + database)
                .setTables(1).setRows(10).build());

        ApplySchema postData = awaitAbout(migration, ApplySchema.class,
                c -> c.getSection() == SchemaSection.POST_DATA && c.getTables().isEmpty());
        await().atMost(WAIT).until(() -> sagaState(migration).contains("step=POST_DATA"));
        probe.send(SchemaApplied.newBuilder().setMetadata(answer(postData)).setSection(SchemaSection.POST_DATA)
                .setIndexes(3).build());

        StartStreaming streaming = awaitAbout(migration, StartStreaming.class);
        probe.send(ReplicationStreaming.newBuilder().setMetadata(answer(streaming)).setSlot("cutover_" + database)
                .setSubscription("cutover_" + database).setStartLsn("0/3000060").build());

        VerifySchema verifySchema = awaitAbout(migration, VerifySchema.class);
        probe.send(SchemaVerified.newBuilder().setMetadata(answer(verifySchema)).setDifferences(List.of()).build());

        VerifyData firstVerification = awaitAbout(migration, VerifyData.class);
        probe.send(DataVerified.newBuilder().setMetadata(answer(firstVerification)).setTables(1).setRows(10)
                .setMismatches(List.of(DataMismatch.newBuilder().setTable("public.orders").setSourceRows(10)
                        .setTargetRows(9).setDetail("1 row not yet replicated").build()))
                .build());
        MigrationDataMismatched mismatched = awaitAbout(migration, MigrationDataMismatched.class);
        assertThat(mismatched.getAttempt()).isEqualTo(1);

        VerifyData secondVerification = awaitAbout(migration, VerifyData.class,
                c -> !c.getMetadata().getMessageId().equals(firstVerification.getMetadata().getMessageId()));
        assertThat(awaitAbout(migration, MigrationStepStarted.class, e -> e.getAttempt() == 2).getStep())
                .isEqualTo("VERIFY_DATA");
        probe.send(DataVerified.newBuilder().setMetadata(answer(secondVerification)).setTables(1).setRows(10)
                .setMismatches(List.of()).build());

        LowerDnsTtl lower = awaitAbout(migration, LowerDnsTtl.class);
        assertThat(lower.getRecord()).isEqualTo("db." + database + ".test.");
        assertThat(lower.getTtlSeconds()).isEqualTo(1);
        probe.send(DnsTtlChanged.newBuilder().setMetadata(answer(lower)).setRecord(lower.getRecord())
                .setPreviousTtlSeconds(300).setTtlSeconds(1).build());

        MigrationReady ready = awaitAbout(migration, MigrationReady.class);
        assertThat(ready.getMetadata().getCutoverId()).isNull();
        await().atMost(WAIT).until(() -> sagaState(migration).startsWith("Ready"));
    }

    @Test
    void aPreflightBlockerStopsTheMigrationWithTheFindingsBeforeAnythingIsApplied() {
        String migration = start("alice", 0);

        CheckPreflight check = awaitAbout(migration, CheckPreflight.class);
        probe.send(PreflightReported.newBuilder().setMetadata(answer(check)).setScope("MIGRATION")
                .setFindings(List.of(finding(FindingSeverity.BLOCKER, "wal_level is replica, needs logical"),
                        finding(FindingSeverity.WARNING, "table has no primary key")))
                .setBlockers(1).build());

        MigrationStopped stopped = awaitAbout(migration, MigrationStopped.class);
        assertThat(stopped.getFailedStep()).isEqualTo("PREFLIGHT");
        assertThat(stopped.getReason()).contains("1 blocker(s)", "wal_level is replica");
        assertThat(stopped.getFindings()).extracting(PreflightFinding::getSeverity)
                .containsExactly(FindingSeverity.BLOCKER, FindingSeverity.WARNING);
        assertThat(stopped.getOperatorAction()).contains("Nothing was changed");
        // The stop and any next command would have been one transaction: no ApplySchema now means none ever.
        assertThat(probe.seen()).filteredOn(ApplySchema.class::isInstance)
                .noneMatch(c -> migration.equals(MessagePublisher.metadataOf(c).getMigrationId()));
    }

    @Test
    void aCopyThatFailsStopsTheMigrationWithTheReplicatorsReasonAndTheCleanUp() {
        String migration = start("alice", 0);
        answerPreflight(migration);
        ApplySchema preData = awaitAbout(migration, ApplySchema.class);
        probe.send(SchemaApplied.newBuilder().setMetadata(answer(preData)).setSection(SchemaSection.PRE_DATA).build());

        CopyData copy = awaitAbout(migration, CopyData.class);
        probe.send(StepFailed.newBuilder().setMetadata(answer(copy)).setStep("CopyData")
                .setReason("could not create the replication slot: all replication slots are in use")
                .setRetryable(false).build());

        MigrationStopped stopped = awaitAbout(migration, MigrationStopped.class);
        assertThat(stopped.getFailedStep()).isEqualTo("FULL_LOAD");
        assertThat(stopped.getReason()).isEqualTo(
                "FULL_LOAD failed: could not create the replication slot: all replication slots are in use");
        assertThat(stopped.getOperatorAction()).contains("cutoverctl migrate abort --migration " + migration,
                "replication slot");
        await().atMost(WAIT).until(() -> sagaState(migration).startsWith("Stopped"));
    }

    @Test
    void aSecondMigrationOfADatabaseIsRejectedWhileTheFirstRunsAndSoIsAnOperatorWhoIsNotAllowed() {
        String first = start("alice", 0);
        awaitAbout(first, CheckPreflight.class);

        String second = start("bob", 0);
        MigrationRejected rejected = awaitAbout(second, MigrationRejected.class);
        assertThat(rejected.getReason()).contains("migration " + first + " is already active");

        String third = start("mallory", 0);
        assertThat(awaitAbout(third, MigrationRejected.class).getReason()).contains("mallory is not allowed");
    }

    @Test
    void aRestartedServiceRebuildsTheMigrationFromTheLogAndGoesOn() {
        String migration = start("alice", 0);
        answerPreflight(migration);
        ApplySchema preData = awaitAbout(migration, ApplySchema.class);

        service.close();
        probe.send(SchemaApplied.newBuilder().setMetadata(answer(preData)).setSection(SchemaSection.PRE_DATA).build());
        service = startCutoverService();

        CopyData copy = awaitAbout(migration, CopyData.class);
        assertThat(copy.getParallelism()).isZero();
        await().atMost(WAIT).until(() -> sagaState(migration).contains("step=FULL_LOAD"));
    }

    @Test
    void aMigrationStartedOverRestIsShownAndAbortedOverRestAndTheReplicatorIsToldToCleanUpEachTime() throws Exception {
        HttpResponse<String> started = http("POST", "/migrations", "{\"database\":\"" + database
                + "\",\"operator\":\"bob\",\"parallelism\":2,\"reason\":\"CHG-9\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String migration = started.body().replaceAll(".*\"migrationId\":\"([^\"]+)\".*", "$1");
        assertThat(migration).startsWith(database + "-migration-");
        answerPreflight(migration);
        ApplySchema preData = awaitAbout(migration, ApplySchema.class);
        probe.send(SchemaApplied.newBuilder().setMetadata(answer(preData)).setSection(SchemaSection.PRE_DATA).build());
        assertThat(awaitAbout(migration, CopyData.class).getParallelism()).isEqualTo(2);

        await().atMost(WAIT).untilAsserted(() -> assertThat(http("GET", "/migrations/" + migration, null).body())
                .contains("\"status\":\"RUNNING\"", "\"step\":\"FULL_LOAD\"", "\"operator\":\"bob\""));
        assertThat(http("GET", "/migrations/" + migration + "/timeline", null).body())
                .contains("\"step\":\"PREFLIGHT\"", "\"step\":\"PRE_DATA\"", "\"step\":\"FULL_LOAD\"")
                .contains("\"inFlight\":true");

        HttpResponse<String> aborted = http("POST", "/migrations/" + migration + "/abort",
                "{\"operator\":\"bob\",\"reason\":\"wrong target\",\"dropTargetTables\":true}");
        assertThat(aborted.statusCode()).as(aborted.body()).isEqualTo(202);
        MigrationStopped stopped = awaitAbout(migration, MigrationStopped.class);
        assertThat(stopped.getFailedStep()).isEqualTo("FULL_LOAD");
        assertThat(stopped.getReason()).isEqualTo("aborted by bob: wrong target");
        CleanUpMigration cleanUp = awaitAbout(migration, CleanUpMigration.class);
        assertThat(cleanUp.getDropTargetTables()).isTrue();
        await().atMost(WAIT).untilAsserted(() -> assertThat(http("GET", "/migrations/" + migration, null).body())
                .contains("\"status\":\"STOPPED\"", "aborted by bob"));

        assertThat(http("POST", "/migrations/" + migration + "/abort", "{\"operator\":\"bob\"}").statusCode())
                .isEqualTo(202);
        awaitAbout(migration, CleanUpMigration.class,
                again -> !again.getMetadata().getMessageId().equals(cleanUp.getMetadata().getMessageId())
                        && !again.getDropTargetTables());
        assertThat(probe.seen()).filteredOn(MigrationStopped.class::isInstance)
                .filteredOn(e -> migration.equals(MessagePublisher.metadataOf(e).getMigrationId()))
                .as("a second abort cleans up again without a second stop").hasSize(1);

        HttpResponse<String> unknown = http("GET", "/migrations/no-such-migration", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no migration no-such-migration");
        assertThat(http("POST", "/migrations", "{\"operator\":\"bob\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> cutover = http("POST", "/cutovers", "{\"database\":\"" + database
                + "\",\"operator\":\"bob\"}");
        assertThat(cutover.statusCode()).as("a cutover started without dryRun: " + cutover.body()).isEqualTo(202);
    }

    @Test
    void aDryRunOverRestAnswersWithItsPlanHoldsNotItsDatabaseAndCannotBeAbortedOnceAnswered() throws Exception {
        HttpResponse<String> started = http("POST", "/migrations", "{\"database\":\"" + database
                + "\",\"operator\":\"alice\",\"dryRun\":true}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String dryRun = started.body().replaceAll(".*\"migrationId\":\"([^\"]+)\".*", "$1");
        MigrationPlanned planned = awaitAbout(dryRun, MigrationPlanned.class);
        assertThat(planned.getDryRun()).isTrue();
        assertThat(planned.getSteps()).containsExactly("PREFLIGHT");
        assertThat(planned.getDnsRecord()).as("a dry run lowers no TTL").isNull();
        CheckPreflight check = awaitAbout(dryRun, CheckPreflight.class);

        String real = start("bob", 0);
        assertThat(awaitAbout(real, MigrationPlanned.class).getDryRun())
                .as("a real migration is accepted while a dry run of its database waits for its preflight").isFalse();

        probe.send(PreflightReported.newBuilder().setMetadata(answer(check)).setScope("MIGRATION")
                .setFindings(List.of(finding(FindingSeverity.WARNING, "table has no primary key"))).setBlockers(0)
                .setSchemas(List.of("public", "sales"))
                .setTables(List.of(table("public.accounts", 2 * 1024 * 1024, 100L),
                        table("sales.orders", 55L * 1024 * 1024, null)))
                .build());

        MigrationPlanReported plan = awaitAbout(dryRun, MigrationPlanReported.class);
        assertThat(plan.getFindings()).isEqualTo(1);
        assertThat(plan.getBlockers()).isZero();
        assertThat(plan.getSchemas()).containsExactly("public", "sales");
        assertThat(plan.getTotalBytes()).isEqualTo(57L * 1024 * 1024);
        assertThat(plan.getFullLoadBytesPerSecond()).as("the documented default").isEqualTo(57L * 1024 * 1024);
        assertThat(plan.getPredictedFullLoadMs()).isEqualTo(1_000);
        await().atMost(WAIT).untilAsserted(() -> assertThat(http("GET", "/migrations/" + dryRun, null).body())
                .contains("\"status\":\"PLANNED\"", "\"dryRun\":true", "\"schemas\":[\"public\",\"sales\"]",
                        "\"tables\":[{\"table\":\"sales.orders\",\"bytes\":57671680,\"estimatedRows\":null},"
                                + "{\"table\":\"public.accounts\",\"bytes\":2097152,\"estimatedRows\":100}]",
                        "\"fullLoadRate\":\"57.0 MiB/s\"", "\"predictedFullLoadMs\":1000"));

        HttpResponse<String> abort = http("POST", "/migrations/" + dryRun + "/abort", "{\"operator\":\"alice\"}");
        assertThat(abort.statusCode()).as(abort.body()).isEqualTo(409);
        assertThat(abort.body()).contains("dry run, which changed nothing");
        assertThat(probe.seen()).filteredOn(CleanUpMigration.class::isInstance)
                .filteredOn(e -> dryRun.equals(MessagePublisher.metadataOf(e).getMigrationId())).isEmpty();
    }

    private static PlannedTable table(String name, long bytes, Long estimatedRows) {
        return PlannedTable.newBuilder().setTable(name).setBytes(bytes).setEstimatedRows(estimatedRows).build();
    }

    private HttpResponse<String> http(String method, String path, String json) throws Exception {
        return OpsApi.call(service, method, path, json);
    }

    private ConfigurableApplicationContext startCutoverService() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        properties.put("server.port", "0");
        properties.put("cutover.saga.operators", "alice,bob");
        properties.put("cutover.saga.dns." + database + ".record", "db." + database + ".test.");
        properties.put("cutover.saga.dns." + database + ".source-address", "127.0.0.2");
        properties.put("cutover.saga.dns." + database + ".target-address", "127.0.0.3");
        // Short enough for a test to see the retry, long enough to show the saga waits before verifying again.
        properties.put("cutover.migration.data-verify-retry-delay", "300ms");
        properties.put("cutover.migration.tick-interval", "50ms");
        return new SpringApplicationBuilder(CutoverServiceApplication.class).properties(properties).run();
    }

    private String start(String operator, int parallelism) {
        String migration = database + "-" + UUID.randomUUID();
        probe.send(StartMigration.newBuilder().setMetadata(KafkaProbe.metadata(database, null, migration))
                .setOperator(operator).setParallelism(parallelism).build());
        return migration;
    }

    private void answerPreflight(String migration) {
        CheckPreflight check = awaitAbout(migration, CheckPreflight.class);
        probe.send(PreflightReported.newBuilder().setMetadata(answer(check)).setScope("MIGRATION")
                .setFindings(List.of()).setBlockers(0).build());
    }

    private static PreflightFinding finding(FindingSeverity severity, String message) {
        return PreflightFinding.newBuilder().setSeverity(severity).setCheck("check").setObject("server")
                .setMessage(message).build();
    }

    /** The first command or event of {@code type} about {@code migration}. */
    private <T extends SpecificRecord> T awaitAbout(String migration, Class<T> type) {
        return awaitAbout(migration, type, message -> true);
    }

    private <T extends SpecificRecord> T awaitAbout(String migration, Class<T> type, Predicate<T> matches) {
        return probe.await(type, message -> migration.equals(MessagePublisher.metadataOf(message).getMigrationId())
                && matches.test(message), WAIT);
    }

    /** Metadata of a participant's answer: same migration and database, caused by the command. */
    private static Metadata answer(SpecificRecord command) {
        Metadata cause = MessagePublisher.metadataOf(command);
        return Metadata.newBuilder(KafkaProbe.metadata(cause.getDatabase(), null, cause.getMigrationId()))
                .setCausationId(cause.getMessageId().toString())
                .build();
    }

    private String sagaState(String migration) {
        return service.getBean(MigrationRunner.class).state(new MigrationId(migration))
                .map(Object::toString).orElse("none");
    }
}
