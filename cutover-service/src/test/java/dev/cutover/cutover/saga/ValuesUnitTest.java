package dev.cutover.cutover.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesUnitTest {

    @Test
    void an_lsn_reads_and_prints_the_way_postgresql_writes_it() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertThat(lsn.value()).isEqualTo(0x16_B374D848L);
        assertThat(lsn).hasToString("16/B374D848");
        assertThat(Lsn.parse("0/3000060")).hasToString("0/3000060");
    }

    @Test
    void lsns_compare_as_positions_in_the_log_even_beyond_the_signed_range() {
        assertThat(Lsn.parse("0/FFFFFFFF")).isLessThan(Lsn.parse("1/0"));
        assertThat(Lsn.parse("7FFFFFFF/FFFFFFFF")).isLessThan(Lsn.parse("80000000/0"));
        assertThat(Lsn.parse("0/3000060").isBefore(Lsn.parse("0/3000148"))).isTrue();
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF")).hasToString("FFFFFFFF/FFFFFFFF");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "16B374D848", "16/", "/1", "G/1", "123456789/1", "1/2/3", " 1/2"})
    void text_that_is_not_an_lsn_is_refused(String text) {
        assertThatThrownBy(() -> Lsn.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_invalid_lsn_is_refused() {
        assertThatThrownBy(() -> Lsn.parse("0/0")).hasMessageContaining("invalid position");
    }

    @Test
    void names_with_surrounding_spaces_control_characters_or_nothing_in_them_are_refused() {
        assertThatThrownBy(() -> new Operator(" alice")).hasMessageContaining("operator");
        assertThatThrownBy(() -> new Operator("   ")).hasMessageContaining("blank");
        assertThatThrownBy(() -> new DatabaseName("orders\n")).hasMessageContaining("database name");
        assertThatThrownBy(() -> new CutoverId("cutover 1")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> new CutoverId(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void a_database_name_longer_than_postgresql_keeps_is_refused() {
        assertThat(new DatabaseName("d".repeat(63)).value()).hasSize(63);
        assertThatThrownBy(() -> new DatabaseName("d".repeat(64))).hasMessageContaining("63");
        assertThatThrownBy(() -> new DatabaseName("é".repeat(32))).hasMessageContaining("bytes");
    }

    @Test
    void a_dns_plan_that_would_move_nobody_is_refused() {
        assertThatThrownBy(() -> new DnsPlan("db.example.", "127.0.0.2", "127.0.0.2"))
                .hasMessageContaining("must differ");
    }

    @Test
    void the_default_policy_gives_every_step_its_default_timeout() {
        var policy = CutoverPolicy.withDefaults(Set.of(new Operator("alice")));
        for (Step step : Step.values()) {
            assertThat(policy.timeout(step)).isEqualTo(step.defaultTimeout());
        }
        assertThat(policy.allows(new Operator("alice"))).isTrue();
        assertThat(policy.allows(new Operator("mallory"))).isFalse();
    }

    @Test
    void a_policy_missing_a_step_timeout_says_which_one() {
        Map<Step, Duration> timeouts = new EnumMap<>(Step.class);
        for (Step step : Step.values()) {
            timeouts.put(step, Duration.ofSeconds(1));
        }
        timeouts.remove(Step.OPEN_TARGET);
        assertThatThrownBy(() -> policy(timeouts, Duration.ofSeconds(10), Set.of(new Operator("alice"))))
                .hasMessage("timeout for step OPEN_TARGET is missing");
    }

    @Test
    void a_policy_with_a_zero_timeout_or_nobody_allowed_is_refused() {
        var defaults = CutoverPolicy.withDefaults(Set.of(new Operator("alice")));
        Map<Step, Duration> timeouts = new EnumMap<>(defaults.timeouts());
        timeouts.put(Step.FLIP_DNS, Duration.ZERO);
        assertThatThrownBy(() -> policy(timeouts, Duration.ofSeconds(10), defaults.allowedOperators()))
                .hasMessageContaining("timeout for step FLIP_DNS must be positive");
        assertThatThrownBy(() -> policy(defaults.timeouts(), Duration.ofSeconds(-1), defaults.allowedOperators()))
                .hasMessageContaining("maxLagAge must be positive");
        assertThatThrownBy(() -> policy(defaults.timeouts(), Duration.ofSeconds(10), Set.of()))
                .hasMessageContaining("at least one operator");
    }

    @Test
    void only_the_steps_between_stopping_traffic_and_opening_the_target_compensate_and_opening_it_is_the_point_of_no_return() {
        assertThat(Step.values()).containsExactly(Step.PREFLIGHT, Step.FLIP_DNS, Step.STOP_TRAFFIC,
                Step.WRITE_CANARY, Step.SYNC_SEQUENCES, Step.AWAIT_CATCH_UP, Step.OPEN_TARGET, Step.AWAIT_TRAFFIC,
                Step.TIDY_UP);
        assertThat(Set.of(Step.values())).filteredOn(Step::compensable).containsExactlyInAnyOrder(
                Step.STOP_TRAFFIC, Step.WRITE_CANARY, Step.AWAIT_CATCH_UP, Step.SYNC_SEQUENCES, Step.FLIP_DNS);
        assertThat(Set.of(Step.values())).filteredOn(Step::afterPointOfNoReturn)
                .containsExactlyInAnyOrder(Step.OPEN_TARGET, Step.AWAIT_TRAFFIC, Step.TIDY_UP);
    }

    @Test
    void the_target_opens_only_after_every_step_that_proves_it_complete_and_points_clients_at_it() {
        assertThat(Step.OPEN_TARGET.after()).containsExactlyInAnyOrder(Step.STOP_TRAFFIC, Step.WRITE_CANARY,
                Step.AWAIT_CATCH_UP, Step.SYNC_SEQUENCES, Step.FLIP_DNS);
        assertThat(Step.SYNC_SEQUENCES.after()).containsExactly(Step.FLIP_DNS);
        assertThat(Step.SYNC_SEQUENCES.queuedBehind()).contains(Step.STOP_TRAFFIC);
        assertThat(Step.FLIP_DNS.after()).isEmpty();
        assertThat(Step.STOP_TRAFFIC.after()).containsExactly(Step.FLIP_DNS);
        assertThat(Step.AWAIT_CATCH_UP.after()).containsExactly(Step.FLIP_DNS);
        assertThat(Step.WRITE_CANARY.queuedBehind()).contains(Step.STOP_TRAFFIC);
        assertThat(Step.AWAIT_CATCH_UP.queuedBehind()).contains(Step.WRITE_CANARY);
    }

    private static CutoverPolicy policy(Map<Step, Duration> timeouts, Duration maxLagAge, Set<Operator> allowed) {
        return new CutoverPolicy(timeouts, 1024, maxLagAge, Duration.ofSeconds(1), Duration.ofMillis(500),
                Duration.ofSeconds(5), allowed, Duration.ofSeconds(5));
    }
}
