package dev.cutover.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cutover.ctl.replay.CutoverScript;
import dev.cutover.events.topic.Topics;

/** {@code timeline} and {@code status} read back from a real broker what the services published. */
@ExtendWith(Kafka.Extension.class)
class ReplayIntegrationTest {

    private static final Instant START = Instant.parse("2026-11-25T10:15:00Z");

    @Test
    void timeline_replays_a_completed_cutover_with_offsets_downtime_and_step_durations(Kafka kafka) {
        var id = "shop-20261125-101500-a001";
        kafka.publish(id, CutoverScript.completed(id, "shop", START));

        var result = Tool.run(kafka.bootstrapServers(), "timeline", "--cutover", id);

        assertThat(result.exitCode()).as(result.err()).isZero();
        var lines = result.lines();
        assertThat(lines.getFirst()).isEqualTo("cutover " + id + "  database shop  started 2026-11-25T10:15:00Z  completed");
        assertThat(lines).hasSize(1 + 16 + 1 + 1 + 6);
        assertThat(lines.get(1)).matches("  \\+0\\.000s +StartCutover +cutoverctl +operator alice, reason 'CHG-4711'");
        assertThat(lines.get(4)).matches("  \\+0\\.161s +TrafficStopped +cutover-service +fence LSN 0/1A2B3C8, "
                + "8 sessions ended, role shop_app, took 146 ms");
        assertThat(lines.get(14)).matches("  \\+0\\.398s +DnsFlipped +dns-switcher +db.shop.test. 127.0.0.2 -> 127.0.0.3, "
                + "TTL 1 s, served after 32 ms");
        assertThat(lines.get(16)).matches("  \\+0\\.575s +CutoverCompleted +cutover-service +downtime 412 ms, 6 steps timed");
        assertThat(lines).contains("downtime  412 ms (CutoverCompleted.downtimeMs)", "  STOP_TRAFFIC    146 ms",
                "  FLIP_DNS        32 ms");
    }

    @Test
    void timeline_json_is_one_object_with_every_message(Kafka kafka) throws Exception {
        var id = "shop-20261125-101500-a002";
        kafka.publish(id, CutoverScript.rolledBack(id, "shop", START));

        var result = Tool.run(kafka.bootstrapServers(), "timeline", "--cutover", id, "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        var json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(json.get("downtimeMs").asLong()).isEqualTo(2040);
        assertThat(json.get("messages")).hasSize(9);
        assertThat(json.get("messages").get(8).get("type").asText()).isEqualTo("CutoverRolledBack");
        assertThat(json.get("messages").get(8).get("offsetMs").asLong()).isEqualTo(2203);
        assertThat(json.get("messages").get(8).get("partition").asInt())
                .isEqualTo(MessageLog.partitionOf(id, Kafka.PARTITIONS));
    }

    @Test
    void another_cutover_in_the_same_partition_stays_out_of_the_timeline(Kafka kafka) {
        var id = "shop-20261125-101500-a003";
        var neighbour = IntStream.range(0, 1000).mapToObj(n -> "billing-" + n)
                .filter(other -> MessageLog.partitionOf(other, Kafka.PARTITIONS) == MessageLog.partitionOf(id, Kafka.PARTITIONS))
                .findFirst().orElseThrow();
        kafka.publish(neighbour, CutoverScript.rolledBack(neighbour, "billing", START));
        kafka.publish(id, CutoverScript.completed(id, "shop", START.plusSeconds(60)));

        var result = Tool.run(kafka.bootstrapServers(), "timeline", "--cutover", id);

        assertThat(result.lines()).hasSize(1 + 16 + 1 + 1 + 6).noneMatch(line -> line.contains("billing"));
    }

    @Test
    void an_undecodable_record_of_the_cutover_is_shown_where_it_is_and_the_rest_still_replays(Kafka kafka) {
        var id = "shop-20261125-101500-a004";
        var script = CutoverScript.completed(id, "shop", START);
        kafka.publish(id, script.lines().subList(0, 4));
        var garbage = kafka.publishRaw(Topics.EVENTS.name(), id, "not avro at all".getBytes(StandardCharsets.UTF_8));
        kafka.publish(id, script.lines().subList(4, script.lines().size()));

        var result = Tool.run(kafka.bootstrapServers(), "timeline", "--cutover", id);

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("undecodable record at cutover.events[" + garbage.partition() + "]@"
                + garbage.offset() + " key " + id + ": Cannot decode a message from topic 'cutover.events'");
        assertThat(result.lines()).contains("downtime  412 ms (CutoverCompleted.downtimeMs)");
    }

    @Test
    void status_of_a_rolled_back_cutover_shows_its_result_downtime_and_the_failure(Kafka kafka) {
        var id = "shop-20261125-101500-a005";
        kafka.publish(id, CutoverScript.rolledBack(id, "shop", START));

        var result = Tool.run(kafka.bootstrapServers(), "status", "--cutover", id);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.lines()).containsExactly(
                "cutover   " + id,
                "database  shop",
                "operator  alice, reason 'CHG-4711'",
                "started   2026-11-25T10:15:00Z",
                "result    rolled back",
                "ended     +2.203s",
                "elapsed   2.203 s",
                "downtime  2.040 s (CutoverRolledBack.downtimeMs)",
                "failure   WriteCanary failed: the canary insert did not commit within 2 s",
                "messages  9");
    }

    @Test
    void status_of_a_running_cutover_names_the_step_it_waits_on(Kafka kafka) {
        var id = "shop-20261125-101500-a006";
        kafka.publish(id, CutoverScript.of(id, "shop", START).started(false).stopped());

        var result = Tool.run(kafka.bootstrapServers(), "status", "--cutover", id);

        assertThat(result.exitCode()).isZero();
        assertThat(result.lines()).contains("result    running", "step      StopTraffic, last TrafficStopped at +0.161s");
    }

    @Test
    void status_and_timeline_of_an_unknown_cutover_exit_3(Kafka kafka) {
        var status = Tool.run(kafka.bootstrapServers(), "status", "--cutover", "no-such-cutover");
        var timeline = Tool.run(kafka.bootstrapServers(), "timeline", "--cutover", "no-such-cutover");

        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.out()).contains("no messages found for this cutover");
        assertThat(timeline.exitCode()).isEqualTo(3);
        assertThat(timeline.out()).contains("no messages found");
    }
}
