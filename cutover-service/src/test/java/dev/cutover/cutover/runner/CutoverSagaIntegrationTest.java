package dev.cutover.cutover.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cutover.cutover.CutoverServiceApplication;
import dev.cutover.cutover.api.OpsApi;
import dev.cutover.events.AwaitCatchUp;
import dev.cutover.events.CanaryObserved;
import dev.cutover.events.CanaryWritten;
import dev.cutover.events.CheckPreflight;
import dev.cutover.events.CompensationStarted;
import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverPlanned;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.CutoverStarted;
import dev.cutover.events.DnsFlipped;
import dev.cutover.events.DnsReverted;
import dev.cutover.events.DnsTtlChanged;
import dev.cutover.events.FlipDns;
import dev.cutover.events.LagReported;
import dev.cutover.events.OpenTarget;
import dev.cutover.events.PreflightReported;
import dev.cutover.events.ReplicationStopped;
import dev.cutover.events.RestoreDnsTtl;
import dev.cutover.events.RevertDns;
import dev.cutover.events.SequencesSynced;
import dev.cutover.events.StartCutover;
import dev.cutover.events.StepFailed;
import dev.cutover.events.StepFinished;
import dev.cutover.events.StopReplication;
import dev.cutover.events.StopTraffic;
import dev.cutover.events.SyncSequences;
import dev.cutover.events.TargetOpened;
import dev.cutover.events.TrafficResumed;
import dev.cutover.events.TrafficStopped;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.SharedStackExtension;

/**
 * cutover-service as it runs: the saga and the real fence on a real broker and real PostgreSQL 11 and
 * 17. The test plays the other participants (schema-service, lag-monitor, dns-switcher, replicator)
 * by answering their commands, so every branch can be driven on purpose.
 */
@ExtendWith(SharedStackExtension.class)
class CutoverSagaIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String ROLE = "saga_app";
    static final AtomicInteger databases = new AtomicInteger();

    static LocalStack stack;
    static ScheduledExecutorService lagReporter;
    static final Map<String, String> lagFor = new HashMap<>();

    ConfigurableApplicationContext service;
    KafkaProbe probe;
    String database;

    @BeforeAll
    static void createAppRole(LocalStack shared) throws SQLException {
        stack = shared;
        for (Postgres server : List.of(stack.source(), stack.target())) {
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + ROLE + "') then "
                        + "create role " + ROLE + " login password 'app'; end if; end $$");
            }
        }
        lagReporter = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stopLagReporter() {
        lagReporter.shutdownNow();
    }

    @BeforeEach
    void startService() throws SQLException {
        database = "saga" + databases.incrementAndGet();
        stack.source().createDatabase(database);
        stack.target().createDatabase(database);
        try (Connection c = stack.source().connect(database); Statement s = c.createStatement()) {
            s.execute("create schema cutover");
            s.execute("create table cutover.canary (token text primary key, written_at timestamptz not null default now())");
        }
        for (Postgres server : List.of(stack.source(), stack.target())) {
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("alter role " + ROLE + " login");
            }
        }
        try (Connection c = stack.target().connect("postgres"); Statement s = c.createStatement()) {
            s.execute("alter role " + ROLE + " nologin");
        }
        service = startCutoverService();
        probe = new KafkaProbe(stack.kafkaBootstrapServers());
        String db = database;
        lagReporter.scheduleAtFixedRate(() -> probe.send(lag(db)), 0, 200, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stopService() {
        lagReporter.shutdownNow();
        lagReporter = Executors.newSingleThreadScheduledExecutor();
        service.close();
        probe.close();
    }

    @Test
    void aCutoverRunsFromStartToCompletedWithTheSourceFencedAndTheTargetOpen() throws Exception {
        String cutover = start("alice");

        answerPreflight(cutover);
        // DNS moves first, while the target is still locked, so a flip with an unknown outcome can be undone losing
        // nothing; the source is not fenced until the name points at the target.
        FlipDns flip = awaitCommand(FlipDns.class, cutover);
        assertThat(flip.getExpectedTarget()).isEqualTo("127.0.0.2");
        assertThat(flip.getNewTarget()).isEqualTo("127.0.0.3");
        assertThat(canLogIn(stack.target())).isFalse();
        assertThat(canLogIn(stack.source())).isTrue();
        flipped(flip);

        TrafficStopped stopped = probe.await(TrafficStopped.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
        assertThat(canLogIn(stack.source())).isFalse();
        assertThat(stopped.getFenceLsn()).matches("[0-9A-F]+/[0-9A-F]+");

        CanaryWritten canary = probe.await(CanaryWritten.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
        AwaitCatchUp awaitCatchUp = awaitCommand(AwaitCatchUp.class, cutover);
        assertThat(awaitCatchUp.getCanaryToken()).isEqualTo(canary.getToken());
        probe.send(CanaryObserved.newBuilder().setMetadata(answer(awaitCatchUp)).setToken(canary.getToken())
                .setLatencyMs(2).setTargetLsn(canary.getLsn()).build());
        assertThat(canLogIn(stack.target())).as("the target opens only once the sequences are set too").isFalse();

        SyncSequences sync = awaitCommand(SyncSequences.class, cutover);
        probe.send(SequencesSynced.newBuilder().setMetadata(answer(sync)).setSequences(3).build());

        probe.await(TargetOpened.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
        assertThat(canLogIn(stack.target())).isTrue();

        try (Connection app = DriverManager.getConnection(stack.target().jdbcUrl(database), ROLE, "app")) {
            probe.await(TrafficResumed.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
        }
        CutoverCompleted completed = probe.await(CutoverCompleted.class,
                e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
        assertThat(completed.getDowntimeMs()).isPositive();
        assertThat(service.getBean(MeterRegistry.class).get("cutover.fence.commands.early").functionCounter().count())
                .as("StopTraffic, WriteCanary and OpenTarget carried out as soon as the saga committed them")
                .isGreaterThanOrEqualTo(3);
        assertThat(completed.getStepDurationsMs()).containsKeys("STOP_TRAFFIC", "WRITE_CANARY", "AWAIT_CATCH_UP",
                "SYNC_SEQUENCES", "OPEN_TARGET", "FLIP_DNS", "AWAIT_TRAFFIC");

        StopReplication stopReplication = awaitCommand(StopReplication.class, cutover);
        RestoreDnsTtl restoreTtl = awaitCommand(RestoreDnsTtl.class, cutover);
        probe.send(ReplicationStopped.newBuilder().setMetadata(answer(stopReplication)).setSlot("s")
                .setSubscription("s").setSlotDropped(true).build());
        probe.send(DnsTtlChanged.newBuilder().setMetadata(answer(restoreTtl)).setRecord(restoreTtl.getRecord())
                .setPreviousTtlSeconds(1).setTtlSeconds(300).build());
        await().atMost(WAIT).until(() -> sagaState(cutover).contains("Completed"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(http("GET", "/cutovers/" + cutover + "/timeline", null)
                .body()).contains("\"status\":\"COMPLETED\"", "\"downtimeMs\":" + completed.getDowntimeMs())
                .containsSubsequence("\"step\":\"PREFLIGHT\"", "\"step\":\"FLIP_DNS\"",
                        "\"step\":\"STOP_TRAFFIC\"", "\"step\":\"OPEN_TARGET\"", "\"step\":\"AWAIT_TRAFFIC\"")
                .doesNotContain("\"inFlight\":true"));
        assertThat(http("GET", "/cutovers/no-such-cutover/timeline", null).statusCode()).isEqualTo(404);
    }

    /** A step that fails for real before the target opens, and the command whose answer says so. */
    enum Failure {
        /** One of the configured roles does not exist: the real fence refuses before it locks any role. */
        STOP_TRAFFIC,
        /** The canary table is missing on the source, so the real fence's insert fails. */
        WRITE_CANARY,
        /** lag-monitor (played by the test) reports that the canary did not arrive. */
        AWAIT_CATCH_UP,
        /** schema-service (played by the test) cannot set the sequences. */
        SYNC_SEQUENCES,
        /** dns-switcher (played by the test) finds the name changed behind its back. */
        FLIP_DNS
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void aFailureAtAnyStepBeforeTheTargetOpensPutsTheSourceBackAndLeavesTheTargetLocked(Failure failure)
            throws Exception {
        if (failure == Failure.STOP_TRAFFIC) {
            service.close();
            service = startCutoverService(ROLE + ",no_such_role");
        }
        if (failure == Failure.WRITE_CANARY) {
            try (Connection c = stack.source().connect(database); Statement s = c.createStatement()) {
                s.execute("drop table cutover.canary");
            }
        }
        String cutover = start("alice");
        answerPreflight(cutover);

        if (failure == Failure.FLIP_DNS) {
            fail(awaitCommand(FlipDns.class, cutover), "FlipDns",
                    "db.cutover.test. was expected to point at 127.0.0.2 but points at 127.0.0.9");
        } else {
            flipped(awaitCommand(FlipDns.class, cutover));
        }
        switch (failure) {
            case STOP_TRAFFIC, WRITE_CANARY, FLIP_DNS -> {
            }
            case AWAIT_CATCH_UP -> fail(awaitCommand(AwaitCatchUp.class, cutover), "AwaitCatchUp",
                    "the canary did not arrive within 10 s: lag 3 MB");
            case SYNC_SEQUENCES -> {
                catchUp(cutover);
                fail(awaitCommand(SyncSequences.class, cutover), "SyncSequences",
                        "permission denied for sequence notifications_id_seq");
            }
        }

        // While the rollback waits for the name back, an abort asks for nothing more, and says so.
        await().atMost(WAIT).until(() -> http("GET", "/cutovers/" + cutover, null).body()
                .contains("\"status\":\"COMPENSATING\""));
        HttpResponse<String> abort = http("POST", "/cutovers/" + cutover + "/abort",
                "{\"operator\":\"alice\",\"reason\":\"CHG-1\"}");
        assertThat(abort.statusCode()).isEqualTo(409);
        assertThat(abort.body()).contains("is already rolling back");

        // The flip comes first, so every rollback sends the name back (a no-op when the flip never landed), and is
        // only over once dns-switcher confirms it.
        assertThat(reverted(cutover).getNewTarget()).isEqualTo("127.0.0.2");
        CutoverRolledBack rolledBack = probe.await(CutoverRolledBack.class,
                e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
        assertThat(rolledBack.getFailedStep()).isEqualTo(failure.name());
        assertThat(canLogIn(stack.source())).isTrue();
        assertThat(canLogIn(stack.target())).isFalse();
    }

    /** Answers the flip as dns-switcher would once the name serves the target. */
    private void flipped(FlipDns flip) {
        probe.send(DnsFlipped.newBuilder().setMetadata(answer(flip)).setRecord(flip.getRecord())
                .setPrevious("127.0.0.2").setCurrent("127.0.0.3").setTtlSeconds(1).setEffectiveMs(3).build());
    }

    /** Answers the rollback's RevertDns as dns-switcher would once the name serves the source again. */
    private RevertDns reverted(String cutover) {
        RevertDns revert = awaitCommand(RevertDns.class, cutover);
        probe.send(DnsReverted.newBuilder().setMetadata(answer(revert)).setRecord(revert.getRecord())
                .setPrevious("127.0.0.3").setCurrent("127.0.0.2").build());
        return revert;
    }

    /** Answers the catch-up as lag-monitor would once the canary is on the target. */
    private void catchUp(String cutover) {
        CanaryWritten canary = probe.await(CanaryWritten.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
        AwaitCatchUp awaitCatchUp = awaitCommand(AwaitCatchUp.class, cutover);
        probe.send(CanaryObserved.newBuilder().setMetadata(answer(awaitCatchUp)).setToken(canary.getToken())
                .setLatencyMs(2).setTargetLsn(canary.getLsn()).build());
    }

    private void fail(SpecificRecord command, String step, String reason) {
        probe.send(StepFailed.newBuilder().setMetadata(answer(command)).setStep(step).setReason(reason)
                .setRetryable(false).build());
    }

    @Test
    void aDryRunStartedOverRestChecksEverythingPredictsTheDowntimeChangesNothingAndHasNothingToAbort() throws Exception {
        HttpResponse<String> started = http("POST", "/cutovers",
                "{\"database\":\"" + database + "\",\"operator\":\"bob\",\"dryRun\":true,\"reason\":\"rehearsal\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        String cutover = started.body().replaceAll(".*\"cutoverId\":\"([^\"]+)\".*", "$1");

        answerPreflight(cutover);
        CutoverPlanned planned = probe.await(CutoverPlanned.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);

        assertThat(planned.getPredictedDowntimeMs()).isPositive();
        assertThat(planned.getSteps()).containsSubsequence("FLIP_DNS", "STOP_TRAFFIC", "OPEN_TARGET", "AWAIT_TRAFFIC");
        await().atMost(WAIT).untilAsserted(() -> assertThat(http("GET", "/cutovers/" + cutover, null).body())
                .contains("\"status\":\"PLANNED\"").contains("\"operator\":\"bob\""));
        assertThat(canLogIn(stack.source())).isTrue();
        assertThat(http("GET", "/cutovers/no-such-cutover", null).statusCode()).isEqualTo(404);
        HttpResponse<String> abort = http("POST", "/cutovers/" + cutover + "/abort",
                "{\"operator\":\"bob\",\"reason\":\"too late\"}");
        assertThat(abort.statusCode()).as(abort.body()).isEqualTo(409);
        assertThat(abort.body()).contains("has already ended (PLANNED): nothing to abort");
    }

    @Test
    void anOperatorWhoIsNotAllowedIsRejectedAndNothingIsTouched() throws Exception {
        String cutover = start("mallory");

        CutoverRejected rejected = probe.await(CutoverRejected.class,
                e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);

        assertThat(rejected.getReason()).contains("mallory");
        assertThat(canLogIn(stack.source())).isTrue();
    }

    @Test
    void aRestartedServiceRebuildsTheCutoverFromTheLogAndHearsTheAnswersWrittenMeanwhileBeforeAnyDeadline()
            throws Exception {
        String cutover = start("alice");
        answerPreflight(cutover);
        flipped(awaitCommand(FlipDns.class, cutover));
        AwaitCatchUp awaitCatchUp = awaitCommand(AwaitCatchUp.class, cutover);
        CanaryWritten canary = probe.await(CanaryWritten.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);

        service.close();
        probe.send(CanaryObserved.newBuilder().setMetadata(answer(awaitCatchUp)).setToken(canary.getToken())
                .setLatencyMs(2).setTargetLsn(canary.getLsn()).build());
        // The catch-up's deadline has passed by the time the service is back, but its answer came while it was away:
        // the answer counts. The other steps get all the time a slow machine's restart may take.
        service = startCutoverService(ROLE, Map.of("cutover.saga.timeouts.await-catch-up", "1s",
                "cutover.saga.timeouts.sync-sequences", "60s", "cutover.saga.timeouts.stop-traffic", "60s",
                "cutover.saga.timeouts.write-canary", "60s"));

        SyncSequences sync = awaitCommand(SyncSequences.class, cutover);
        probe.send(SequencesSynced.newBuilder().setMetadata(answer(sync)).setSequences(0).build());
        probe.await(TargetOpened.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
        assertThat(canLogIn(stack.target())).isTrue();
    }

    @Test
    void messagesReadAgainAfterACrashBeforeTheirOffsetsWereCommittedDecideNothingTwiceAndTheCutoverGoesOn()
            throws Exception {
        // The consumed offsets are committed after the decisions, not in their transactions (decision 117): a crash
        // between the two leaves decided messages to be read again. Rewinding the saga's group to where the logs ended
        // before the cutover plays that crash at its worst: the start, the preflight's answer and every lag report
        // since are read again by a restarted service.
        Map<String, Object> patient = Map.of("cutover.saga.timeouts.flip-dns", "60s");
        service.close();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> beforeTheCutover = logEnds(admin);
            service = startCutoverService(ROLE, patient);
            String cutover = start("alice");
            answerPreflight(cutover);
            FlipDns flip = awaitCommand(FlipDns.class, cutover);
            service.close();
            Map<TopicPartition, OffsetAndMetadata> readBeforeTheCrash = logEnds(admin);
            admin.alterConsumerGroupOffsets("cutover-saga", beforeTheCutover).all().get();

            service = startCutoverService(ROLE, patient);
            await().atMost(WAIT).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("cutover-saga")
                        .partitionsToOffsetAndMetadata().get();
                return readBeforeTheCrash.entrySet().stream().allMatch(end -> committed.get(end.getKey()) != null
                        && committed.get(end.getKey()).offset() >= end.getValue().offset());
            });

            flipped(flip);
            probe.await(TrafficStopped.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
            catchUp(cutover);
            SyncSequences sync = awaitCommand(SyncSequences.class, cutover);
            probe.send(SequencesSynced.newBuilder().setMetadata(answer(sync)).setSequences(0).build());
            probe.await(TargetOpened.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
            for (Class<?> once : List.of(CutoverStarted.class, CheckPreflight.class, FlipDns.class, StopTraffic.class,
                    OpenTarget.class)) {
                assertThat(probe.seen()).as(once.getSimpleName()).filteredOn(message -> once.isInstance(message)
                        && cutover.equals(MessagePublisher.metadataOf(message).getCutoverId())).hasSize(1);
            }
        }
    }

    /** Where the saga's topics end now, as offsets to commit. */
    private static Map<TopicPartition, OffsetAndMetadata> logEnds(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String topic : List.of("cutover.commands", "cutover.events")) {
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(partition -> latest.put(new TopicPartition(topic, partition.partition()),
                            OffsetSpec.latest()));
        }
        Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
        admin.listOffsets(latest).all().get()
                .forEach((partition, end) -> ends.put(partition, new OffsetAndMetadata(end.offset())));
        return ends;
    }

    @Test
    void aMalformedMessageGoesToTheDeadLetterTopicAndTheSagaGoesOn() throws Exception {
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("cutover.events", "poison",
                    new byte[] {(byte) 0xC3, 0x01, 9, 9, 9, 9, 9, 9, 9, 9, 1})).get();
        }
        String cutover = start("alice");

        probe.await(CheckPreflight.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
    }

    @Test
    void aDecisionTheBrokerRefusesIsMadeAgainFromTheSameStateOnceTheBrokerTakesIt() throws Exception {
        String cutover = database + "-" + UUID.randomUUID();
        // CutoverStarted repeats the command's reason: one too large for cutover.events makes the broker refuse the
        // decision, and the saga's transaction rolls back, again and again, until the broker takes it.
        String reason = "r".repeat(200_000);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()));
                KafkaConsumer<String, SpecificRecord> uncommitted = new KafkaConsumer<>(Map.of(
                        "bootstrap.servers", stack.kafkaBootstrapServers(), "isolation.level", "read_uncommitted",
                        "group.id", "uncommitted-" + cutover, "auto.offset.reset", "latest"),
                        new StringDeserializer(), new AvroMessageDeserializer())) {
            uncommitted.subscribe(List.of("cutover.commands"));
            await().atMost(WAIT).until(() -> {
                uncommitted.poll(Duration.ofMillis(100));
                return !uncommitted.assignment().isEmpty();
            });
            ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, "cutover.events");
            ConfigEntry limit = new ConfigEntry("max.message.bytes", "65536");
            admin.incrementalAlterConfigs(Map.of(events, List.of(new AlterConfigOp(limit, AlterConfigOp.OpType.SET))))
                    .all().get();
            try {
                probe.send(StartCutover.newBuilder().setMetadata(KafkaProbe.metadata(database, cutover, null))
                        .setOperator("alice").setDryRun(false).setReason(reason).build());
                // The decision's command, written beside the refused event in a transaction that is then aborted.
                await().atMost(WAIT).until(() -> {
                    for (var record : uncommitted.poll(Duration.ofMillis(100))) {
                        if (record.value() instanceof CheckPreflight && cutover.equals(record.key())) {
                            return true;
                        }
                    }
                    return false;
                });
            } finally {
                admin.incrementalAlterConfigs(Map.of(events, List.of(
                        new AlterConfigOp(limit, AlterConfigOp.OpType.DELETE)))).all().get();
            }
        }

        // Had the saga kept the state of the aborted decision, the redelivered command would be a repeat: nothing.
        CutoverStarted started = probe.await(CutoverStarted.class, e -> cutover.equals(e.getMetadata().getCutoverId()),
                WAIT);
        assertThat(started.getReason()).isEqualTo(reason);
        assertThat(probe.seen()).filteredOn(message -> message instanceof CutoverStarted
                && cutover.equals(MessagePublisher.metadataOf(message).getCutoverId())).hasSize(1);
    }

    @Test
    void aDecisionWhoseProducerWasFencedIsMadeAgainFromTheSameState() throws Exception {
        // Another producer takes each partition's transactional id over, as an instance given the partitions does: the
        // saga's next transaction fails as fenced, and the saga lets the group settle who owns the partition.
        await().atMost(WAIT).until(() -> !service.getBean(SagaRunner.class).partitions().isEmpty());
        PartitionWriters writers = service.getBean("cutoverWriters", PartitionWriters.class);
        for (int partition : service.getBean(SagaRunner.class).partitions()) {
            try (KafkaProducer<byte[], byte[]> usurper = new KafkaProducer<>(Map.of(
                    "bootstrap.servers", stack.kafkaBootstrapServers(),
                    "transactional.id", writers.transactionalId(partition)),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                usurper.initTransactions();
            }
        }
        String cutover = database + "-" + UUID.randomUUID();

        probe.send(StartCutover.newBuilder().setMetadata(KafkaProbe.metadata(database, cutover, null))
                .setOperator("alice").setDryRun(false).setReason("fenced").build());

        // Had the fenced transaction been taken as done, the command would never be read again and nothing would follow.
        probe.await(CheckPreflight.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
        assertThat(probe.seen()).filteredOn(message -> message instanceof CutoverStarted
                && cutover.equals(MessagePublisher.metadataOf(message).getCutoverId())).hasSize(1);
    }

    @Test
    void answersThatOnlyRecordProgressWaitForTheOneThatCompletesTheSwitchAndAreDecidedWithIt() throws Exception {
        service.close();
        // An answer is held only while no step's deadline falls within the hold: the steps get longer still.
        service = startCutoverService(ROLE, Map.of("cutover.saga.answer-hold", "30s",
                "cutover.saga.timeouts.stop-traffic", "60s", "cutover.saga.timeouts.write-canary", "60s",
                "cutover.saga.timeouts.sync-sequences", "60s", "cutover.saga.timeouts.await-catch-up", "60s"));
        String cutover = start("alice");
        answerPreflight(cutover);
        flipped(awaitCommand(FlipDns.class, cutover));
        probe.await(TrafficStopped.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
        catchUp(cutover);
        SyncSequences sync = awaitCommand(SyncSequences.class, cutover);

        Instant lastAnswerSent = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        probe.send(SequencesSynced.newBuilder().setMetadata(answer(sync)).setSequences(3).build());

        awaitCommand(OpenTarget.class, cutover);
        // The fence's answers came first, but what they decide waited for the last answer and was written after it
        // (one key, one partition: the probe reads them in the log's order).
        Map<String, StepFinished> finished = new HashMap<>();
        for (String step : List.of("STOP_TRAFFIC", "WRITE_CANARY", "AWAIT_CATCH_UP", "SYNC_SEQUENCES")) {
            finished.put(step, probe.await(StepFinished.class, e -> cutover.equals(e.getMetadata().getCutoverId())
                    && step.equals(e.getStep()), WAIT));
        }
        List<SpecificRecord> log = probe.seen().stream()
                .filter(m -> cutover.equals(MessagePublisher.metadataOf(m).getCutoverId())).toList();
        int lastAnswer = log.indexOf(log.stream().filter(SequencesSynced.class::isInstance).findFirst().orElseThrow());
        finished.forEach((step, event) -> assertThat(log.indexOf(event)).as(step).isGreaterThan(lastAnswer));
        // Each is stamped with when its answer was read, not when the last one came: the fence's step took what the
        // fence took, not the whole switch.
        assertThat(finished.get("SYNC_SEQUENCES").getMetadata().getOccurredAt()).isAfterOrEqualTo(lastAnswerSent);
        assertThat(finished.get("STOP_TRAFFIC").getMetadata().getOccurredAt())
                .isBefore(finished.get("SYNC_SEQUENCES").getMetadata().getOccurredAt());
    }

    @Test
    void answersHeldWhenTheServiceStopsAreReadAgainAndDecidedWhenItStartsAgain() throws Exception {
        service.close();
        // Long steps, so that no deadline passes while the service is away.
        Map<String, Object> longSteps = Map.of("cutover.saga.timeouts.stop-traffic", "60s",
                "cutover.saga.timeouts.write-canary", "60s", "cutover.saga.timeouts.sync-sequences", "60s",
                "cutover.saga.timeouts.await-catch-up", "60s");
        Map<String, Object> holdLong = new HashMap<>(longSteps);
        holdLong.put("cutover.saga.answer-hold", "30s");
        service = startCutoverService(ROLE, holdLong);
        String cutover = start("alice");
        answerPreflight(cutover);
        flipped(awaitCommand(FlipDns.class, cutover));
        probe.await(TrafficStopped.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
        probe.await(CanaryWritten.class, e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);

        // The fence's answers are held, their offsets not committed: the service stopping lets go of its partitions
        // and commits the offsets of what it passed by, but not past them.
        service.close();
        Map<String, Object> noHold = new HashMap<>(longSteps);
        noHold.put("cutover.saga.answer-hold", "0s");
        service = startCutoverService(ROLE, noHold);

        probe.await(StepFinished.class, e -> cutover.equals(e.getMetadata().getCutoverId())
                && "STOP_TRAFFIC".equals(e.getStep()), WAIT);
    }

    @Test
    void anAnswerIsNotHeldPastTheDeadlineOfAStepStillInFlight() throws Exception {
        // The canary's step times out 2 s after the fence's answer (the default): a hold of a minute could outlast it.
        service.close();
        service = startCutoverService(ROLE, Map.of("cutover.saga.answer-hold", "60s"));
        String cutover = start("alice");
        answerPreflight(cutover);
        flipped(awaitCommand(FlipDns.class, cutover));

        // Nothing else answers: the fence's answers are decided as they come (within WAIT), not a minute later.
        probe.await(StepFinished.class, e -> cutover.equals(e.getMetadata().getCutoverId())
                && "STOP_TRAFFIC".equals(e.getStep()), WAIT);
    }

    @Test
    void answersHeldWhileTheRestOfTheSwitchIsLateAreRecordedSoTheLateStepIsTheOneThatTimesOut() throws Exception {
        service.close();
        service = startCutoverService(ROLE, Map.of("cutover.saga.answer-hold", "100ms",
                "cutover.saga.timeouts.await-catch-up", "2s"));
        String cutover = start("alice");
        answerPreflight(cutover);
        flipped(awaitCommand(FlipDns.class, cutover));
        SyncSequences sync = awaitCommand(SyncSequences.class, cutover);
        probe.send(SequencesSynced.newBuilder().setMetadata(answer(sync)).setSequences(3).build());

        // Nobody proves the catch-up. Held for good, the fence's and the sequences' answers would leave the fence the
        // first step past its deadline (5 s), and the rollback would blame it.
        reverted(cutover);
        CutoverRolledBack rolledBack = probe.await(CutoverRolledBack.class,
                e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
        assertThat(rolledBack.getFailedStep()).isEqualTo("AWAIT_CATCH_UP");
        assertThat(probe.seen()).filteredOn(message -> message instanceof StepFinished finished
                && cutover.equals(finished.getMetadata().getCutoverId())).extracting(m -> ((StepFinished) m).getStep())
                .contains("STOP_TRAFFIC", "WRITE_CANARY", "SYNC_SEQUENCES");
    }

    private ConfigurableApplicationContext startCutoverService() {
        return startCutoverService(ROLE);
    }

    private ConfigurableApplicationContext startCutoverService(String appRoles) {
        return startCutoverService(appRoles, Map.of());
    }

    private ConfigurableApplicationContext startCutoverService(String appRoles, Map<String, Object> settings) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        properties.put("server.port", "0");
        PlayedParticipants.database(properties, stack, database, appRoles);
        properties.put("cutover.saga.operators", "alice,bob");
        properties.put("cutover.saga.dns." + database + ".record", "db.cutover.test.");
        properties.put("cutover.saga.dns." + database + ".source-address", "127.0.0.2");
        properties.put("cutover.saga.dns." + database + ".target-address", "127.0.0.3");
        properties.put("cutover.fence.await-traffic-timeout", "30s");
        properties.putAll(settings);
        return new SpringApplicationBuilder(CutoverServiceApplication.class).properties(properties).run();
    }

    private HttpResponse<String> http(String method, String path, String json) throws Exception {
        return OpsApi.call(service, method, path, json);
    }

    private String start(String operator) {
        String cutover = database + "-" + UUID.randomUUID();
        probe.send(StartCutover.newBuilder().setMetadata(KafkaProbe.metadata(database, cutover, null))
                .setOperator(operator).setDryRun(false).setReason("integration test").build());
        return cutover;
    }

    private void answerPreflight(String cutover) {
        CheckPreflight check = awaitCommand(CheckPreflight.class, cutover);
        probe.send(PreflightReported.newBuilder().setMetadata(answer(check)).setScope("CUTOVER")
                .setFindings(List.of()).setBlockers(0).build());
    }

    private <T extends SpecificRecord> T awaitCommand(Class<T> type, String cutover) {
        return probe.await(type, c -> cutover.equals(MessagePublisher.metadataOf(c).getCutoverId()), WAIT);
    }

    private static dev.cutover.events.Metadata answer(SpecificRecord command) {
        return PlayedParticipants.answer(command);
    }

    private static LagReported lag(String database) {
        return PlayedParticipants.lag(database);
    }

    private String sagaState(String cutover) {
        return service.getBean(CutoverQueries.class).state(new dev.cutover.cutover.saga.CutoverId(cutover))
                .map(Object::toString).orElse("none");
    }

    private static boolean canLogIn(Postgres server) throws SQLException {
        return PlayedParticipants.canLogIn(server, ROLE);
    }
}
