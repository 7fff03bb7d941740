package dev.cutover.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.ctl.replay.CutoverScript;
import dev.cutover.events.AbortCutover;
import dev.cutover.events.StartCutover;
import dev.cutover.events.StartFallback;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.serde.MessageHeaders;
import dev.cutover.events.topic.Topics;

/** {@code start}, {@code abort} and {@code fallback} write decodable commands, keyed so that the saga sees them in order. */
@ExtendWith(Kafka.Extension.class)
class PublishIntegrationTest {

    private static final Instant START = Instant.parse("2026-11-25T10:15:00Z");

    @Test
    void start_publishes_a_decodable_start_cutover_keyed_by_the_id_it_prints(Kafka kafka) {
        var result = Tool.run(kafka.bootstrapServers(), "start", "--database", "shop", "--operator", "alice",
                "--reason", "CHG-4711");

        assertThat(result.exitCode()).as(result.err()).isZero();
        var id = result.out().strip();
        assertThat(id).matches("shop-\\d{8}-\\d{6}-[0-9a-f]{4}");
        var record = kafka.lastCommandOf(id);
        assertThat(record.partition()).isEqualTo(MessageLog.partitionOf(id, Kafka.PARTITIONS));
        assertThat(new String(record.headers().lastHeader(MessageHeaders.TYPE).value(), StandardCharsets.UTF_8))
                .isEqualTo(StartCutover.getClassSchema().getFullName());
        var start = (StartCutover) new AvroMessageDeserializer().deserialize(record.topic(), record.headers(), record.value());
        assertThat(start.getOperator()).isEqualTo("alice");
        assertThat(start.getReason()).isEqualTo("CHG-4711");
        assertThat(start.getDryRun()).isFalse();
        assertThat(start.getMetadata().getCutoverId()).isEqualTo(id);
        assertThat(start.getMetadata().getDatabase()).isEqualTo("shop");
        assertThat(start.getMetadata().getProducer()).isEqualTo("cutoverctl");
    }

    @Test
    void start_with_a_given_id_and_dry_run_uses_them(Kafka kafka) {
        var id = "shop-rehearsal-7";

        var result = Tool.run(kafka.bootstrapServers(), "start", "--database", "shop", "--operator", "alice",
                "--dry-run", "--cutover-id", id);

        assertThat(result.out().strip()).isEqualTo(id);
        var record = kafka.lastCommandOf(id);
        var start = (StartCutover) new AvroMessageDeserializer().deserialize(record.topic(), record.headers(), record.value());
        assertThat(start.getDryRun()).isTrue();
        assertThat(start.getReason()).isNull();
    }

    @Test
    void abort_publishes_abort_cutover_with_the_database_of_the_running_cutover(Kafka kafka) {
        var id = "billing-20261125-101500-c001";
        kafka.publish(id, CutoverScript.of(id, "billing", START).started(false).stopped());

        var result = Tool.run(kafka.bootstrapServers(), "abort", "--cutover", id, "--operator", "bob",
                "--reason", "the app team asked to wait");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("abort requested for " + id + " (database billing)");
        var record = kafka.lastCommandOf(id);
        var abort = (AbortCutover) new AvroMessageDeserializer().deserialize(record.topic(), record.headers(), record.value());
        assertThat(abort.getOperator()).isEqualTo("bob");
        assertThat(abort.getReason()).isEqualTo("the app team asked to wait");
        assertThat(abort.getMetadata().getDatabase()).isEqualTo("billing");
        assertThat(abort.getMetadata().getCutoverId()).isEqualTo(id);
    }

    @Test
    void abort_of_a_cutover_that_has_ended_publishes_nothing_and_exits_1(Kafka kafka) {
        var id = "billing-20261125-101500-c002";
        kafka.publish(id, CutoverScript.completed(id, "billing", START));
        var before = kafka.readPartition(Topics.COMMANDS.name(), MessageLog.partitionOf(id, Kafka.PARTITIONS)).size();

        var result = Tool.run(kafka.bootstrapServers(), "abort", "--cutover", id, "--operator", "bob", "--reason", "late");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("has already ended (completed)");
        assertThat(kafka.readPartition(Topics.COMMANDS.name(), MessageLog.partitionOf(id, Kafka.PARTITIONS))).hasSize(before);
    }

    @Test
    void abort_of_a_cutover_already_rolling_back_publishes_nothing_and_says_how_to_follow_it(Kafka kafka) {
        var id = "billing-20261125-101500-c007";
        kafka.publish(id, CutoverScript.of(id, "billing", START).started(false).fenceThenCanaryTimesOut()
                .compensating());
        var before = kafka.readPartition(Topics.COMMANDS.name(), MessageLog.partitionOf(id, Kafka.PARTITIONS)).size();

        var result = Tool.run(kafka.bootstrapServers(), "abort", "--cutover", id, "--operator", "bob", "--reason",
                "CHG-1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("is already rolling back (WRITE_CANARY failed: the canary insert did not"
                + " commit within 2 s)").contains("cutoverctl watch --cutover " + id);
        assertThat(kafka.readPartition(Topics.COMMANDS.name(), MessageLog.partitionOf(id, Kafka.PARTITIONS))).hasSize(before);
    }

    @Test
    void abort_of_an_unknown_cutover_exits_3(Kafka kafka) {
        var result = Tool.run(kafka.bootstrapServers(), "abort", "--cutover", "nobody-knows", "--operator", "bob",
                "--reason", "typo");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("no cutover nobody-knows");
    }

    @Test
    void fallback_publishes_start_fallback_for_a_completed_cutover(Kafka kafka) {
        var id = "billing-20261125-101500-c003";
        kafka.publish(id, CutoverScript.completed(id, "billing", START));

        var result = Tool.run(kafka.bootstrapServers(), "fallback", "--cutover", id, "--operator", "bob",
                "--reason", "plan regression on 17");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("fallback requested for " + id + " (database billing)");
        var record = kafka.lastCommandOf(id);
        var fallback = (StartFallback) new AvroMessageDeserializer().deserialize(record.topic(), record.headers(),
                record.value());
        assertThat(fallback.getOperator()).isEqualTo("bob");
        assertThat(fallback.getReason()).isEqualTo("plan regression on 17");
        assertThat(fallback.getMetadata().getDatabase()).isEqualTo("billing");
        assertThat(fallback.getMetadata().getCutoverId()).isEqualTo(id);
    }

    @Test
    void fallback_of_a_cutover_still_running_publishes_nothing_and_exits_1(Kafka kafka) {
        var id = "billing-20261125-101500-c004";
        kafka.publish(id, CutoverScript.of(id, "billing", START).started(false).stopped());
        var before = kafka.readPartition(Topics.COMMANDS.name(), MessageLog.partitionOf(id, Kafka.PARTITIONS)).size();

        var result = Tool.run(kafka.bootstrapServers(), "fallback", "--cutover", id, "--operator", "bob",
                "--reason", "too early");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("is running, not completed");
        assertThat(kafka.readPartition(Topics.COMMANDS.name(), MessageLog.partitionOf(id, Kafka.PARTITIONS))).hasSize(before);
    }

    @Test
    void start_and_abort_without_an_operator_name_the_user_who_runs_them(Kafka kafka) {
        var environment = Map.of(KafkaClients.ENVIRONMENT_VARIABLE, kafka.bootstrapServers(), "USER", "carol");
        var id = "billing-20261125-101500-c005";

        var start = Tool.run(environment, "start", "--database", "billing", "--cutover-id", id);

        assertThat(start.exitCode()).as(start.err()).isZero();
        var record = kafka.lastCommandOf(id);
        assertThat(((StartCutover) new AvroMessageDeserializer().deserialize(record.topic(), record.headers(),
                record.value())).getOperator()).as("the operator defaults to $USER").isEqualTo("carol");

        kafka.publish(id, CutoverScript.of(id, "billing", START).started(false).stopped());
        var abort = Tool.run(environment, "abort", "--cutover", id, "--reason", "the app team asked to wait");

        assertThat(abort.exitCode()).as(abort.err()).isZero();
        var aborted = kafka.lastCommandOf(id);
        assertThat(((AbortCutover) new AvroMessageDeserializer().deserialize(aborted.topic(), aborted.headers(),
                aborted.value())).getOperator()).isEqualTo("carol");
    }

    @Test
    void fallback_without_an_operator_names_the_user_who_runs_it(Kafka kafka) {
        var environment = Map.of(KafkaClients.ENVIRONMENT_VARIABLE, kafka.bootstrapServers(), "USER", "dave");
        var id = "billing-20261125-101500-c006";
        kafka.publish(id, CutoverScript.completed(id, "billing", START));

        var fallback = Tool.run(environment, "fallback", "--cutover", id, "--reason", "plan regression on 17");

        assertThat(fallback.exitCode()).as(fallback.err()).isZero();
        var record = kafka.lastCommandOf(id);
        assertThat(((StartFallback) new AvroMessageDeserializer().deserialize(record.topic(), record.headers(),
                record.value())).getOperator()).as("the operator defaults to $USER").isEqualTo("dave");
    }
}
