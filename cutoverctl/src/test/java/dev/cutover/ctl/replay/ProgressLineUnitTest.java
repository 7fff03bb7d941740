package dev.cutover.ctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProgressLineUnitTest {

    private static final Instant START = Instant.parse("2026-11-25T10:15:00Z");

    @Test
    void a_line_shows_the_time_since_the_start_the_type_and_what_the_event_says() {
        var records = CutoverScript.completed("shop-1", "shop", START).records();

        assertThat(ProgressLine.format(START, records.get(3)))
                .isEqualTo("+0.161s   TrafficStopped       fence LSN 0/1A2B3C8, 8 sessions ended, role shop_app, took 146 ms");
        assertThat(ProgressLine.format(START, records.get(13)))
                .isEqualTo("+0.398s   DnsFlipped           db.shop.test. 127.0.0.2 -> 127.0.0.3, TTL 1 s, served after 32 ms");
    }

    @Test
    void events_and_the_operators_own_commands_are_shown_but_not_the_sagas_commands() {
        var records = CutoverScript.completed("shop-1", "shop", START).aborted(600, "bob").records();

        assertThat(records.stream().filter(ProgressLine::shows).map(record -> ((Decoded) record).type()))
                .contains("StartCutover", "TrafficStopped", "CutoverCompleted", "AbortCutover")
                .doesNotContain("StopTraffic", "WriteCanary", "FlipDns");
    }

    @Test
    void an_undecodable_record_gets_a_line_that_says_where_it_is() {
        var record = new Undecodable(new Position("cutover.events", 1, 7, START), "shop-1", "garbage");

        assertThat(ProgressLine.shows(record)).isTrue();
        assertThat(ProgressLine.format(START, record).strip())
                .isEqualTo("undecodable record at cutover.events[1]@7 key shop-1: garbage");
    }

    @Test
    void offsets_read_as_seconds_with_milliseconds() {
        assertThat(Times.offset(Duration.ofMillis(146))).isEqualTo("+0.146s");
        assertThat(Times.offset(Duration.ofMillis(12_003))).isEqualTo("+12.003s");
        assertThat(Times.offset(Duration.ofMillis(-2))).isEqualTo("-0.002s");
        assertThat(Times.length(412)).isEqualTo("412 ms");
        assertThat(Times.length(2040)).isEqualTo("2.040 s");
        assertThat(Times.length(123_500)).isEqualTo("2 min 03.500 s");
    }

    @Test
    void a_rollback_sending_its_parts_again_says_which_service_answers_each() {
        var message = dev.cutover.events.CompensationRetried.newBuilder()
                .setMetadata(CutoverScript.completed("m-1", "shop", START).lines().getFirst().metadata())
                .setAwaited(List.of("REVERT_DNS", "RESTORE_SOURCE")).build();

        assertThat(Summaries.of(message)).contains("RevertDns, answered by dns-switcher")
                .contains("RestoreSource, answered by cutover-service").contains("that service is not running");
    }

    @Test
    void a_rollback_waiting_for_one_part_names_only_the_service_it_waits_for() {
        var message = dev.cutover.events.CompensationRetried.newBuilder()
                .setMetadata(CutoverScript.completed("m-1", "shop", START).lines().getFirst().metadata())
                .setAwaited(List.of("REVERT_DNS")).build();

        assertThat(Summaries.of(message)).contains("RevertDns, answered by dns-switcher")
                .doesNotContain("RestoreSource");
    }

    @Test
    void a_message_without_a_summary_of_its_own_is_shown_as_its_fields() {
        var message = dev.cutover.events.ReplicationStreaming.newBuilder()
                .setMetadata(CutoverScript.completed("m-1", "shop", START).lines().getFirst().metadata())
                .setSlot("cutover_slot_shop").setSubscription("cutover_sub_shop").setStartLsn("0/16B3748").build();

        assertThat(Summaries.of(message))
                .isEqualTo("slot=cutover_slot_shop, subscription=cutover_sub_shop, startLsn=0/16B3748");
    }

    @Test
    void a_data_verification_says_how_much_it_compared() {
        var metadata = CutoverScript.completed("m-1", "shop", START).lines().getFirst().metadata();
        var full = dev.cutover.events.DataVerified.newBuilder().setMetadata(metadata).setTables(2).setRows(1200)
                .build();
        var sampled = dev.cutover.events.DataVerified.newBuilder().setMetadata(metadata).setTables(2).setRows(1200)
                .setMode(dev.cutover.events.VerificationMode.SAMPLED).setRangesChecked(18).setRangesTotal(316)
                .setChangedRowsChecked(2000).build();

        assertThat(Summaries.of(full)).isEqualTo("2 tables, 1,200 rows compared in full, no difference");
        assertThat(Summaries.of(sampled))
                .isEqualTo("2 tables sampled: 18 of 316 ranges whole, 2,000 changed rows one by one, no difference");
    }

    @Test
    void a_copied_table_is_shown_in_words() {
        var message = dev.cutover.events.TableCopied.newBuilder()
                .setMetadata(CutoverScript.completed("m-1", "shop", START).lines().getFirst().metadata())
                .setTable("public.orders").setRows(1200).setBytes(2_500_000).setDurationMs(35).build();

        assertThat(Summaries.of(message)).isEqualTo("public.orders: 1,200 rows, 2.5 MB in 35 ms");
    }

    @Test
    void pgbouncers_resumed_after_a_flip_say_where_why_and_how_long_the_clients_were_held() {
        var message = dev.cutover.events.PgBouncerResumed.newBuilder()
                .setMetadata(CutoverScript.completed("m-1", "shop", START).lines().getFirst().metadata())
                .setEntry("app").setServer("10.0.0.6:5432").setInstances(java.util.List.of("10.0.0.7:6432", "10.0.0.8:6432"))
                .setHeldMs(1250L).setCause("TARGET_OPENED").build();

        assertThat(Summaries.of(message)).isEqualTo("app resumed on 10.0.0.6:5432 (target opened), 2 PgBouncers, clients held 1.250 s");
    }

    @Test
    void a_refused_command_says_who_asked_for_what_and_why() {
        var message = dev.cutover.events.CommandRefused.newBuilder()
                .setMetadata(CutoverScript.completed("c-1", "shop", START).lines().getFirst().metadata())
                .setPrincipal("victor").setAction("POST /cutovers").setRoles(java.util.List.of("viewer"))
                .setReason("victor has the roles [viewer], and POST /cutovers needs the role operator").build();

        assertThat(Summaries.of(message))
                .isEqualTo("victor refused POST /cutovers: victor has the roles [viewer], and POST /cutovers needs the role operator");
    }
}
