package dev.cutover.cutover.runner;

import static dev.cutover.cutover.runner.PlayedParticipants.answer;
import static dev.cutover.cutover.runner.PlayedParticipants.canLogIn;
import static dev.cutover.cutover.runner.PlayedParticipants.lag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import dev.cutover.cutover.CutoverServiceApplication;
import dev.cutover.cutover.saga.CutoverId;
import dev.cutover.events.AwaitCatchUp;
import dev.cutover.events.CanaryObserved;
import dev.cutover.events.CanaryWritten;
import dev.cutover.events.CheckPreflight;
import dev.cutover.events.CompensationStarted;
import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.DnsFlipped;
import dev.cutover.events.DnsReverted;
import dev.cutover.events.DnsTtlChanged;
import dev.cutover.events.FlipDns;
import dev.cutover.events.Messages;
import dev.cutover.events.PreflightReported;
import dev.cutover.events.ReplicationStopped;
import dev.cutover.events.RestoreDnsTtl;
import dev.cutover.events.RevertDns;
import dev.cutover.events.SequencesSynced;
import dev.cutover.events.StartCutover;
import dev.cutover.events.StepFinished;
import dev.cutover.events.StepStarted;
import dev.cutover.events.StopReplication;
import dev.cutover.events.SyncSequences;
import dev.cutover.events.TargetOpened;
import dev.cutover.events.TidyUpTaskDone;
import dev.cutover.events.TrafficResumed;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.SharedStackExtension;

/**
 * Two cutover-service instances in one consumer group, on a real broker and real PostgreSQL 11 and 17, with two
 * databases' cutovers in flight on different partitions. One instance stops mid-cutover; the other takes its
 * partitions over, reads their cutovers back from the log and carries each to its end exactly once: one cutover
 * completes, the other times out on the instance that took it over and is compensated. The test plays the other
 * participants (schema-service, lag-monitor, dns-switcher, replicator); the fence is the real one.
 */
@ExtendWith(SharedStackExtension.class)
class SagaInstancesIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    /** For the groups to settle: longer than a Kafka session (45 s), which a member left behind holds partitions for. */
    static final Duration SETTLE = Duration.ofSeconds(120);
    static final List<String> GROUPS = List.of("cutover-saga", "cutover-fence");
    /** Short, so that the cutover left waiting times out soon after its instance stopped. */
    static final String CATCH_UP_TIMEOUT = "3s";

    LocalStack stack;
    KafkaProbe probe;
    ScheduledExecutorService lagReporter;
    ConfigurableApplicationContext first;
    ConfigurableApplicationContext second;
    /** Each cutover has its own database and application role, so fencing one leaves the other's sessions alone. */
    final Map<String, String> roles = new HashMap<>();

    @BeforeEach
    void twoInstances(LocalStack shared) throws SQLException {
        stack = shared;
        String run = UUID.randomUUID().toString().substring(0, 6);
        for (String name : List.of("completes", "times_out")) {
            String database = "instances_" + name + "_" + run;
            roles.put(database, "app_" + name + "_" + run);
            prepare(database, roles.get(database));
        }
        probe = new KafkaProbe(stack.kafkaBootstrapServers());
        lagReporter = Executors.newSingleThreadScheduledExecutor();
        lagReporter.scheduleAtFixedRate(() -> roles.keySet().forEach(database -> probe.send(lag(database))), 0, 200,
                TimeUnit.MILLISECONDS);
        CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture.supplyAsync(this::startInstance);
        second = startInstance();
        first = starting.join();
    }

    @AfterEach
    void stopEverything() {
        lagReporter.shutdownNow();
        for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[] {first, second}) {
            if (instance != null && instance.isActive()) {
                instance.close();
            }
        }
        probe.close();
    }

    @Test
    void theInstanceLeftTakesOverTheOtherOnesCutoversFromTheLogAndEndsEachExactlyOnce() throws Exception {
        int partitions = partitionsOfEvents();
        // Both groups that act on a cutover have settled: the saga's, and the fence's, which stops the traffic. A
        // member left in a group by an earlier test of the shared broker would hold partitions until its session ends,
        // so the wait allows for one, and a failure says who holds what.
        await().atMost(SETTLE).untilAsserted(() -> assertThat(settled(partitions)).as(() -> groups(partitions)).isTrue());
        // The one leaving holds the cutovers, on two different partitions when it has two.
        ConfigurableApplicationContext leaving = owned(first).size() >= owned(second).size() ? first : second;
        ConfigurableApplicationContext staying = leaving == first ? second : first;
        List<Integer> leavingPartitions = owned(leaving).stream().sorted().toList();
        int completesOn = leavingPartitions.getFirst();
        int timesOutOn = leavingPartitions.size() > 1 ? leavingPartitions.get(1) : owned(staying).iterator().next();
        String completes = cutoverIdOn(database("completes"), completesOn, partitions);
        String timesOut = cutoverIdOn(database("times_out"), timesOutOn, partitions);

        // The first cutover goes as far as the sequences and waits there for schema-service.
        start(completes);
        answerPreflight(completes);
        flipped(awaitAbout(FlipDns.class, completes));
        catchUp(completes);
        SyncSequences sync = awaitAbout(SyncSequences.class, completes);

        // The second flips, fences its source and waits for a catch-up that never comes.
        start(timesOut);
        answerPreflight(timesOut);
        flipped(awaitAbout(FlipDns.class, timesOut));
        awaitAbout(AwaitCatchUp.class, timesOut);
        awaitAbout(CanaryWritten.class, timesOut);
        assertThat(canLogIn(stack.source(), roles.get(database("times_out")))).isFalse();

        leaving.close();
        // Both groups that act on a cutover: the saga's, and the fence's, which carries out OpenTarget next.
        await().atMost(SETTLE).untilAsserted(() -> assertThat(owned(staying).size() == partitions
                && fenceHolds(staying) == partitions).as(() -> groups(partitions)).isTrue());

        probe.send(SequencesSynced.newBuilder().setMetadata(answer(sync)).setSequences(0).build());
        awaitAbout(TargetOpened.class, completes);
        try (Connection app = DriverManager.getConnection(stack.target().jdbcUrl(database("completes")),
                roles.get(database("completes")), "app")) {
            awaitAbout(TrafficResumed.class, completes);
        }
        awaitAbout(CutoverCompleted.class, completes);
        StopReplication stopReplication = awaitAbout(StopReplication.class, completes);
        RestoreDnsTtl restoreTtl = awaitAbout(RestoreDnsTtl.class, completes);
        probe.send(ReplicationStopped.newBuilder().setMetadata(answer(stopReplication)).setSlot("s")
                .setSubscription("s").setSlotDropped(true).build());
        probe.send(DnsTtlChanged.newBuilder().setMetadata(answer(restoreTtl)).setRecord(restoreTtl.getRecord())
                .setPreviousTtlSeconds(1).setTtlSeconds(300).build());
        // Its rollback puts the name back (dns-switcher's answer, played here) and reopens the source (the fence's).
        RevertDns revert = awaitAbout(RevertDns.class, timesOut);
        probe.send(DnsReverted.newBuilder().setMetadata(answer(revert)).setRecord(revert.getRecord())
                .setPrevious("127.0.0.3").setCurrent("127.0.0.2").build());
        CutoverRolledBack rolledBack = awaitAbout(CutoverRolledBack.class, timesOut);
        await().atMost(WAIT).until(() -> probe.seen().stream()
                .filter(message -> message instanceof TidyUpTaskDone done && about(done, completes)).count() == 2);
        await().atMost(WAIT).untilAsserted(() -> assertThat(staying.getBean(CutoverQueries.class)
                .state(new CutoverId(completes))).hasValueSatisfying(state -> assertThat(state.toString())
                        .startsWith("Completed")));

        assertThat(rolledBack.getFailedStep()).isEqualTo("AWAIT_CATCH_UP");
        assertThat(awaitAbout(CompensationStarted.class, timesOut).getFailedStep()).isEqualTo("AWAIT_CATCH_UP");
        assertThat(canLogIn(stack.source(), roles.get(database("times_out")))).isTrue();
        assertThat(canLogIn(stack.target(), roles.get(database("completes")))).isTrue();
        for (String cutover : List.of(completes, timesOut)) {
            Map<String, Long> written = probe.seen().stream()
                    .filter(message -> about(message, cutover) && isSagas(message))
                    .collect(Collectors.groupingBy(SagaInstancesIntegrationTest::what, TreeMap::new,
                            Collectors.counting()));
            assertThat(written).as("what the saga and the fence wrote about %s", cutover)
                    .containsKeys("CutoverStarted", "StopTraffic", "TrafficStopped", "AwaitCatchUp")
                    .doesNotContainKeys("StepRetried", "CompensationRetried", "StepFailureNoted")
                    .allSatisfy((what, count) -> assertThat(count).as(what).isOne());
        }
    }

    /** A message's type, and for those a saga writes once per step or task, which one. */
    private static String what(SpecificRecord message) {
        return switch (message) {
            case StepStarted started -> "StepStarted " + started.getStep();
            case StepFinished finished -> "StepFinished " + finished.getStep();
            case TidyUpTaskDone done -> "TidyUpTaskDone " + done.getTask();
            default -> message.getSchema().getName();
        };
    }

    private void prepare(String database, String role) throws SQLException {
        for (Postgres server : List.of(stack.source(), stack.target())) {
            server.createDatabase(database);
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("create role " + role + (server == stack.source() ? " login" : " nologin")
                        + " password 'app'");
            }
        }
        try (Connection c = stack.source().connect(database); Statement s = c.createStatement()) {
            s.execute("create schema cutover");
            s.execute("create table cutover.canary (token text primary key, written_at timestamptz not null default now())");
        }
    }

    private ConfigurableApplicationContext startInstance() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        // The test talks to the instances over Kafka only.
        properties.put("spring.main.web-application-type", "none");
        properties.put("cutover.saga.operators", "alice");
        // Members learn of a rebalance at their next heartbeat: sooner than the default 3 s keeps the test short.
        properties.put("spring.kafka.consumer.heartbeat-interval", "300ms");
        // Should the topics have fewer partitions than the instances make (a broker whose auto-created topics are
        // smaller), the instances add the others at start-up, and a consumer sees added partitions only at its next
        // metadata refresh (10 s in cutover-service): sooner keeps the wait for the groups short.
        properties.put("spring.kafka.properties.metadata.max.age.ms", "500");
        properties.put("cutover.saga.timeouts.await-catch-up", CATCH_UP_TIMEOUT);
        properties.put("cutover.saga.timeouts.flip-dns", "60s");
        properties.put("cutover.fence.await-traffic-timeout", "30s");
        roles.forEach((database, role) -> {
            PlayedParticipants.database(properties, stack, database, role);
            properties.put("cutover.saga.dns." + database + ".record", database + ".cutover.test.");
            properties.put("cutover.saga.dns." + database + ".source-address", "127.0.0.2");
            properties.put("cutover.saga.dns." + database + ".target-address", "127.0.0.3");
        });
        return new SpringApplicationBuilder(CutoverServiceApplication.class).properties(properties).run();
    }

    private String database(String name) {
        return roles.keySet().stream().filter(database -> database.startsWith("instances_" + name + "_"))
                .findFirst().orElseThrow();
    }

    private static Set<Integer> owned(ConfigurableApplicationContext instance) {
        return instance.isActive() ? instance.getBean(SagaRunner.class).partitions() : Set.of();
    }

    /** How many partitions of the fence's commands the instance holds. */
    private static int fenceHolds(ConfigurableApplicationContext instance) {
        var assigned = instance.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("fence")
                .getAssignedPartitions();
        return assigned == null ? 0 : assigned.size();
    }

    private boolean settled(int partitions) {
        Set<Integer> a = owned(first);
        Set<Integer> b = owned(second);
        return !a.isEmpty() && !b.isEmpty() && a.size() + b.size() == partitions && union(a, b).size() == partitions
                && fenceHolds(first) > 0 && fenceHolds(second) > 0
                && fenceHolds(first) + fenceHolds(second) == partitions;
    }

    /** Who holds what: each instance's view, and each group's members with their partitions as the broker has them. */
    private String groups(int partitions) {
        StringBuilder text = new StringBuilder("of ").append(partitions).append(" partitions, the saga owns ")
                .append(owned(first)).append(" on the first instance and ").append(owned(second))
                .append(" on the second; the fence holds ").append(first.isActive() ? fenceHolds(first) : 0)
                .append(" and ").append(second.isActive() ? fenceHolds(second) : 0).append("; the broker says:");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            admin.describeConsumerGroups(GROUPS).all().get(10, TimeUnit.SECONDS).forEach((group, description) -> {
                text.append(' ').append(group).append(' ').append(description.groupState()).append(" [");
                description.members().forEach(member -> text.append(member.clientId()).append(' ')
                        .append(member.assignment().topicPartitions()).append("; "));
                text.append(']');
            });
        } catch (Exception e) {
            text.append(" (cannot describe the groups: ").append(e).append(')');
        }
        return text.toString();
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private int partitionsOfEvents() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            return admin.describeTopics(List.of("cutover.events")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("cutover.events").partitions().size();
        }
    }

    /** A cutover id that Kafka's default partitioner puts on {@code partition}. */
    private static String cutoverIdOn(String database, int partition, int partitions) {
        while (true) {
            String id = database + "-" + UUID.randomUUID();
            if (Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions == partition) {
                return id;
            }
        }
    }

    private void start(String cutover) {
        probe.send(StartCutover.newBuilder().setMetadata(KafkaProbe.metadata(databaseOf(cutover), cutover, null))
                .setOperator("alice").setDryRun(false).setReason("two instances").build());
    }

    private String databaseOf(String cutover) {
        return roles.keySet().stream().filter(cutover::startsWith).findFirst().orElseThrow();
    }

    private void answerPreflight(String cutover) {
        CheckPreflight check = awaitAbout(CheckPreflight.class, cutover);
        probe.send(PreflightReported.newBuilder().setMetadata(answer(check)).setScope("CUTOVER")
                .setFindings(List.of()).setBlockers(0).build());
    }

    private void flipped(FlipDns flip) {
        probe.send(DnsFlipped.newBuilder().setMetadata(answer(flip)).setRecord(flip.getRecord())
                .setPrevious("127.0.0.2").setCurrent("127.0.0.3").setTtlSeconds(1).setEffectiveMs(3).build());
    }

    private void catchUp(String cutover) {
        CanaryWritten canary = awaitAbout(CanaryWritten.class, cutover);
        AwaitCatchUp awaitCatchUp = awaitAbout(AwaitCatchUp.class, cutover);
        probe.send(CanaryObserved.newBuilder().setMetadata(answer(awaitCatchUp)).setToken(canary.getToken())
                .setLatencyMs(2).setTargetLsn(canary.getLsn()).build());
    }

    private <T extends SpecificRecord> T awaitAbout(Class<T> type, String cutover) {
        return probe.await(type, message -> about(message, cutover), WAIT);
    }

    private static boolean about(SpecificRecord message, String cutover) {
        return cutover.equals(MessagePublisher.metadataOf(message).getCutoverId());
    }

    /** What the saga and the fence write: everything but the answers the test sends and the lag reports. */
    private static boolean isSagas(SpecificRecord message) {
        return "cutover-service".equals(MessagePublisher.metadataOf(message).getProducer())
                && Messages.find(message.getSchema().getFullName()).isPresent();
    }

}
