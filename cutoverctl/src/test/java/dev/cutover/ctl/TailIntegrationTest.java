package dev.cutover.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cutover.ctl.replay.CutoverScript;
import dev.cutover.events.serde.ReleasedSchemas;
import dev.cutover.events.topic.Topics;

/** {@code tail} decodes whole topics of a real broker, bad records included, to lines dashboards can parse. */
@ExtendWith(Kafka.Extension.class)
class TailIntegrationTest {

    private static final Instant START = Instant.parse("2026-11-25T10:15:00Z");
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void tail_json_prints_every_record_as_a_json_object_and_marks_the_undecodable_ones(Kafka kafka) throws Exception {
        var id = "shop-20261125-101500-d001";
        kafka.publish(id, CutoverScript.completed(id, "shop", START));
        var garbage = kafka.publishRaw(Topics.EVENTS.name(), id, new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9});

        var result = Tool.run(kafka.bootstrapServers(), "tail", "--topic", "cutover.events", "--from-beginning",
                "--json", "--idle-timeout", "1s");

        assertThat(result.exitCode()).as(result.err()).isZero();
        var ours = new ArrayList<JsonNode>();
        for (var line : result.lines()) {
            var json = mapper.readTree(line);
            assertThat(json.fieldNames()).toIterable().contains("topic", "partition", "offset", "timestamp", "key",
                    "type", "fingerprint", "value");
            if (id.equals(json.get("key").asText())) {
                ours.add(json);
            }
        }
        assertThat(ours).hasSize(10);
        var stopped = ours.stream().filter(json -> json.get("type").asText().equals("dev.cutover.events.TrafficStopped"))
                .findFirst().orElseThrow();
        assertThat(stopped.get("topic").asText()).isEqualTo("cutover.events");
        assertThat(stopped.get("partition").asInt()).isEqualTo(MessageLog.partitionOf(id, Kafka.PARTITIONS));
        assertThat(stopped.get("fingerprint").asText()).matches("[0-9a-f]{16}");
        assertThat(stopped.get("value").get("fenceLsn").asText()).isEqualTo("0/1A2B3C8");
        assertThat(stopped.get("value").get("metadata").get("cutoverId").asText()).isEqualTo(id);
        var broken = ours.getLast();
        assertThat(broken.get("offset").asLong()).isEqualTo(garbage.offset());
        assertThat(broken.get("value").isNull()).isTrue();
        assertThat(broken.get("fingerprint").asText()).isEqualTo("0807060504030201");
        assertThat(broken.get("undecodable").asText()).contains("does not know schema fingerprint");
    }

    @Test
    void tail_of_the_schema_topic_prints_each_schema_as_json_keyed_by_its_fingerprint(Kafka kafka) throws Exception {
        int published = kafka.publishSchemas(ReleasedSchemas.load().all());

        var result = Tool.run(kafka.bootstrapServers(), "tail", "--topic", "cutover.schemas", "--from-beginning",
                "--json", "--idle-timeout", "1s");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.lines()).hasSizeGreaterThanOrEqualTo(published);
        for (var line : result.lines()) {
            var json = mapper.readTree(line);
            assertThat(json.get("fingerprint").asText()).isEqualTo(json.get("key").asText());
            assertThat(json.get("value").get("type").asText()).isEqualTo("record");
            assertThat(json.get("type").asText()).isEqualTo(json.get("value").get("namespace").asText() + "."
                    + json.get("value").get("name").asText());
        }
    }

    @Test
    void tail_stops_after_max_records_and_prints_text_without_json(Kafka kafka) {
        var id = "shop-20261125-101500-d002";
        kafka.publish(id, CutoverScript.rolledBack(id, "shop", START));

        var result = Tool.run(kafka.bootstrapServers(), "tail", "--topic", "cutover.commands", "--from-beginning",
                "--max", "3");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.lines()).hasSize(3).allMatch(line -> line.matches("cutover\\.commands\\[\\d\\]@\\d+  \\S+  \\S+  .+"));
    }

    @Test
    void tail_of_a_garbage_record_on_the_lag_topic_says_so_and_goes_on(Kafka kafka) throws Exception {
        var garbage = kafka.publishRaw(Topics.LAG.name(), "shop", "{\"lag\": 3}".getBytes(StandardCharsets.UTF_8));

        var result = Tool.run(kafka.bootstrapServers(), "tail", "--topic", "replication.lag", "--from-beginning",
                "--idle-timeout", "1s");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("replication.lag[" + garbage.partition() + "]@" + garbage.offset(),
                "undecodable: Cannot decode a message from topic 'replication.lag'", "not Avro single-object encoded");
    }
}
