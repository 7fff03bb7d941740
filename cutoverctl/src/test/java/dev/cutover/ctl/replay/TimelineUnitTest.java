package dev.cutover.ctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class TimelineUnitTest {

    private static final Instant START = Instant.parse("2026-11-25T10:15:00Z");

    @Test
    void a_completed_cutover_lists_every_message_with_its_offset_type_producer_and_summary() {
        var timeline = Timeline.of("shop-1", CutoverScript.completed("shop-1", "shop", START).records());

        var lines = timeline.render();

        assertThat(lines.getFirst()).isEqualTo("cutover shop-1  database shop  started 2026-11-25T10:15:00Z  completed");
        assertThat(timeline.entries()).hasSize(16);
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("  \\+0\\.000s +StartCutover +cutoverctl +operator alice, reason 'CHG-4711'"));
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("  \\+0\\.161s +TrafficStopped +cutover-service +fence LSN 0/1A2B3C8, 8 sessions ended, "
                        + "role shop_app, took 146 ms"));
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("  \\+0\\.256s +CanaryObserved +lag-monitor +token c-42 seen after 47 ms, target LSN 0/5C01D28"));
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("  \\+0\\.575s +CutoverCompleted +cutover-service +downtime 412 ms, 6 steps timed"));
    }

    @Test
    void the_downtime_is_the_one_cutover_completed_reports() {
        var timeline = Timeline.of("shop-1", CutoverScript.completed("shop-1", "shop", START).records());

        assertThat(timeline.downtime()).contains(new Downtime(412, "CutoverCompleted.downtimeMs"));
        assertThat(timeline.render()).contains("downtime  412 ms (CutoverCompleted.downtimeMs)");
    }

    @Test
    void the_step_durations_of_cutover_completed_are_listed_in_the_order_the_steps_run() {
        var timeline = Timeline.of("shop-1", CutoverScript.completed("shop-1", "shop", START).records());

        assertThat(timeline.stepDurationsMs()).containsExactly(
                entry("FLIP_DNS", 32L), entry("STOP_TRAFFIC", 146L), entry("WRITE_CANARY", 44L),
                entry("SYNC_SEQUENCES", 61L), entry("AWAIT_CATCH_UP", 47L), entry("OPEN_TARGET", 43L));
        var lines = timeline.render();
        assertThat(lines.subList(lines.size() - 7, lines.size())).containsExactly(
                "steps     (CutoverCompleted.stepDurationsMs)",
                "  FLIP_DNS        32 ms",
                "  STOP_TRAFFIC    146 ms",
                "  WRITE_CANARY    44 ms",
                "  SYNC_SEQUENCES  61 ms",
                "  AWAIT_CATCH_UP  47 ms",
                "  OPEN_TARGET     43 ms");
    }

    @Test
    void messages_are_ordered_by_when_they_happened_whatever_order_they_were_read_in() {
        var records = new ArrayList<>(CutoverScript.completed("shop-1", "shop", START).records());
        Collections.reverse(records);

        var timeline = Timeline.of("shop-1", records);

        assertThat(timeline.entries()).extracting(Timeline.Entry::type).startsWith("StartCutover", "CutoverStarted",
                "StopTraffic", "TrafficStopped").endsWith("TrafficResumed", "CutoverCompleted");
        assertThat(timeline.entries()).extracting(entry -> entry.offset().toMillis()).isSorted();
    }

    @Test
    void a_command_and_the_event_it_caused_in_the_same_millisecond_read_command_first() {
        var script = CutoverScript.of("shop-1", "shop", START).started(false);
        var records = new ArrayList<>(script.records());
        var sameTime = List.<LoggedRecord>of(
                relocate((Decoded) records.get(1), START, 0),
                relocate((Decoded) records.get(0), START, 0));

        var timeline = Timeline.of("shop-1", sameTime);

        assertThat(timeline.entries()).extracting(Timeline.Entry::type).containsExactly("StartCutover", "CutoverStarted");
    }

    @Test
    void a_rolled_back_cutover_reports_the_rollback_downtime_and_times_each_command_to_its_answer() {
        var timeline = Timeline.of("shop-2", CutoverScript.rolledBack("shop-2", "shop", START).records());

        assertThat(timeline.summary().outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(timeline.downtime()).contains(new Downtime(2040, "CutoverRolledBack.downtimeMs"));
        assertThat(timeline.stepSource()).isEqualTo("each command to its first answer");
        assertThat(timeline.stepDurationsMs()).containsExactly(entry("StartCutover", 12L), entry("StopTraffic", 146L),
                entry("WriteCanary", 2000L),
                entry("RestoreSource", 36L));
    }

    @Test
    void without_a_figure_from_the_saga_the_downtime_runs_from_traffic_stopped_to_source_restored() {
        var script = CutoverScript.of("shop-3", "shop", START).started(false).fenceThenCanaryTimesOut().restored();

        var timeline = Timeline.of("shop-3", script.records());

        assertThat(timeline.downtime()).contains(new Downtime(2040, "TrafficStopped -> SourceRestored"));
    }

    @Test
    void while_traffic_is_stopped_the_downtime_is_not_known_yet() {
        var script = CutoverScript.of("shop-4", "shop", START).started(false).stopped();

        var timeline = Timeline.of("shop-4", script.records());

        assertThat(timeline.downtime()).isEmpty();
        assertThat(timeline.render()).contains("downtime  unknown (traffic not resumed yet)");
    }

    @Test
    void an_undecodable_record_is_listed_with_where_it_is_and_does_not_hide_the_rest() {
        var records = new ArrayList<>(CutoverScript.completed("shop-5", "shop", START).records());
        records.add(new Undecodable(new Position("cutover.events", 2, 99, START.plusMillis(300)), "shop-5",
                "schema fingerprint 0x0123456789abcdef is unknown"));

        var timeline = Timeline.of("shop-5", records);

        assertThat(timeline.entries()).hasSize(16);
        assertThat(timeline.render()).contains("  undecodable record at cutover.events[2]@99 key shop-5: "
                + "schema fingerprint 0x0123456789abcdef is unknown");
    }

    @Test
    void the_json_form_holds_every_message_with_its_offset_and_full_value() throws Exception {
        var timeline = Timeline.of("shop-1", CutoverScript.completed("shop-1", "shop", START).records());

        var json = new ObjectMapper().readTree(timeline.toJson());

        assertThat(json.get("cutoverId").asText()).isEqualTo("shop-1");
        assertThat(json.get("outcome").asText()).isEqualTo("COMPLETED");
        assertThat(json.get("downtimeMs").asLong()).isEqualTo(412);
        assertThat(json.get("messages")).hasSize(16);
        var stopped = json.get("messages").get(3);
        assertThat(stopped.get("type").asText()).isEqualTo("TrafficStopped");
        assertThat(stopped.get("offsetMs").asLong()).isEqualTo(161);
        assertThat(stopped.get("value").get("fenceLsn").asText()).isEqualTo("0/1A2B3C8");
        assertThat(stopped.get("value").get("metadata").get("occurredAt").asText()).isEqualTo("2026-11-25T10:15:00.161Z");
        assertThat(json.get("stepDurationsMs").get("STOP_TRAFFIC").asLong()).isEqualTo(146);
    }

    @Test
    void no_records_make_an_empty_timeline_that_says_so() {
        var timeline = Timeline.of("nothing-here", List.of());

        assertThat(timeline.summary().found()).isFalse();
        assertThat(timeline.render()).containsExactly("cutover nothing-here: no messages found");
    }

    private static Decoded relocate(Decoded record, Instant at, long brokerMillis) {
        record.metadata().setOccurredAt(at);
        return new Decoded(new Position(record.position().topic(), 0, record.position().offset(),
                at.plusMillis(brokerMillis)), record.key(), record.message());
    }

    @Test
    void the_header_of_a_migration_aborted_after_it_was_ready_says_stopped() {
        var id = "stock-migration-20261125-101500-t001";
        var timeline = Timeline.of(id, MigrationScript.of(id, "stock", START).startedAndLoading().ready(9_000)
                .aborted(60_000, "ops", "redo", false).stopped(60_050, "VERIFY_DATA", "aborted by ops: redo")
                .records());

        assertThat(timeline.render().getFirst()).isEqualTo("migration " + id + "  database stock  started " + START
                + "  stopped");
    }

    private static java.util.Map.Entry<String, Long> entry(String key, long value) {
        return java.util.Map.entry(key, value);
    }
}
