package dev.cutover.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.ctl.replay.CutoverScript;

/** {@code watch} follows a cutover live on a real broker and exits with its outcome. */
@ExtendWith(Kafka.Extension.class)
class WatchIntegrationTest {

    private static final Instant START = Instant.parse("2026-11-25T10:15:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void watch_prints_each_event_as_it_arrives_and_exits_0_when_the_cutover_completes(Kafka kafka) {
        var id = "shop-20261125-101500-b001";
        var lines = CutoverScript.completed(id, "shop", START).lines();
        kafka.publish(id, lines.subList(0, 2));

        var watch = Tool.runInBackground(kafka.bootstrapServers(), "watch", "--cutover", id);
        await().atMost(PATIENCE).until(() -> watch.outSoFar().contains("CutoverStarted"));
        assertThat(watch.result()).isNotDone();
        kafka.publish(id, lines.subList(2, lines.size()));

        await().atMost(PATIENCE).until(watch.result()::isDone);
        var result = watch.result().join();
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.lines()).containsExactly(
                "cutover " + id + " on database shop",
                "+0.000s   StartCutover         operator alice, reason 'CHG-4711'",
                "+0.012s   CutoverStarted       operator alice, db.shop.test. 127.0.0.2 -> 127.0.0.3",
                "+0.161s   TrafficStopped       fence LSN 0/1A2B3C8, 8 sessions ended, role shop_app, took 146 ms",
                "+0.207s   CanaryWritten        token c-42 at LSN 0/1A2B3F0",
                "+0.256s   CanaryObserved       token c-42 seen after 47 ms, target LSN 0/5C01D28",
                "+0.319s   SequencesSynced      12 sequences set (margin 1000), took 61 ms",
                "+0.364s   TargetOpened         role shop_app",
                "+0.398s   DnsFlipped           db.shop.test. 127.0.0.2 -> 127.0.0.3, TTL 1 s, served after 32 ms",
                "+0.573s   TrafficResumed       first session at 10:15:00.572, role shop_app",
                "+0.575s   CutoverCompleted     downtime 412 ms, 6 steps timed",
                "completed after 575 ms, downtime 412 ms (CutoverCompleted.downtimeMs)");
    }

    @Test
    void watch_exits_1_when_the_cutover_rolls_back(Kafka kafka) {
        var id = "shop-20261125-101500-b002";
        var lines = CutoverScript.rolledBack(id, "shop", START).lines();
        kafka.publish(id, lines.subList(0, 4));

        var watch = Tool.runInBackground(kafka.bootstrapServers(), "watch", "--cutover", id);
        await().atMost(PATIENCE).until(() -> watch.outSoFar().contains("TrafficStopped"));
        kafka.publish(id, lines.subList(4, lines.size()));

        await().atMost(PATIENCE).until(watch.result()::isDone);
        var result = watch.result().join();
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.lines().getLast()).isEqualTo("rolled back after 2.203 s, downtime 2.040 s "
                + "(CutoverRolledBack.downtimeMs): WriteCanary failed: the canary insert did not commit within 2 s");
    }

    @Test
    void watch_started_before_the_cutover_exists_waits_for_it_and_exits_1_when_it_is_rejected(Kafka kafka) {
        var id = "shop-20261125-101500-b003";
        var watch = Tool.runInBackground(kafka.bootstrapServers(), "watch", "--cutover", id);

        kafka.publish(id, CutoverScript.of(id, "shop", START).started(false).rejected());

        await().atMost(PATIENCE).until(watch.result()::isDone);
        var result = watch.result().join();
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("CutoverRejected", "replication lag 14 s is over the 1 s threshold");
    }

    @Test
    void start_with_watch_follows_a_dry_run_until_it_is_planned_and_exits_0(Kafka kafka) {
        var id = "shop-20261125-101500-b004";
        var start = Tool.runInBackground(kafka.bootstrapServers(), "start", "--database", "shop", "--operator", "alice",
                "--dry-run", "--cutover-id", id, "--watch");
        await().atMost(PATIENCE).until(() -> start.outSoFar().contains("StartCutover"));

        var script = CutoverScript.of(id, "shop", Instant.now()).started(true).planned();
        kafka.publish(id, script.lines().subList(1, script.lines().size()));

        await().atMost(PATIENCE).until(start.result()::isDone);
        var result = start.result().join();
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.lines().getFirst()).isEqualTo(id);
        assertThat(result.out()).contains("CutoverPlanned", "predicted downtime 380 ms");
        assertThat(result.lines().getLast()).startsWith("planned (dry run) after ");
    }

    @Test
    void watch_with_a_timeout_gives_up_with_exit_3_when_the_cutover_does_not_end(Kafka kafka) {
        var id = "shop-20261125-101500-b005";
        kafka.publish(id, CutoverScript.of(id, "shop", START).started(false));

        var result = Tool.run(kafka.bootstrapServers(), "watch", "--cutover", id, "--timeout", "1s");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).contains("CutoverStarted");
        assertThat(result.err()).contains("has not ended after 1.000 s; it is still running");
    }

    @Test
    void watch_of_an_id_nothing_in_the_log_has_says_so_at_once_and_never_claims_it_is_running(Kafka kafka) {
        var id = "shop-20261125-101500-typo";

        var result = Tool.run(kafka.bootstrapServers(), "watch", "--cutover", id, "--timeout", "1s");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err().lines()).containsExactly(
                "no message of cutover " + id + " is on Kafka at " + kafka.bootstrapServers() + " yet: check the id"
                        + " and --bootstrap-servers (cutoverctl status --cutover " + id + "); still waiting, in case"
                        + " it starts in a moment",
                "cutover " + id + " was never seen: no message of it arrived on Kafka at " + kafka.bootstrapServers()
                        + " within 1.000 s; check the id and --bootstrap-servers (cutoverctl status --cutover " + id
                        + ")");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void watch_of_a_cutover_with_messages_in_the_log_does_not_call_its_id_unknown(Kafka kafka) {
        var id = "shop-20261125-101500-b006";
        kafka.publish(id, CutoverScript.of(id, "shop", START).started(false));

        var result = Tool.run(kafka.bootstrapServers(), "watch", "--cutover", id, "--timeout", "1s");

        assertThat(result.err()).doesNotContain("no message of cutover", "never seen");
    }
}
