package dev.cutover.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class CutoverIdsUnitTest {

    @Test
    void a_generated_id_names_the_database_the_utc_time_and_four_hex_digits() {
        var clock = Clock.fixed(Instant.parse("2026-11-25T10:15:07Z"), ZoneOffset.UTC);

        var id = CutoverIds.generate("shop", clock, new Random(7));

        assertThat(id).matches("shop-20261125-101507-[0-9a-f]{4}");
    }

    @Test
    void two_ids_in_the_same_second_differ() {
        var clock = Clock.fixed(Instant.parse("2026-11-25T10:15:07Z"), ZoneOffset.UTC);
        var random = new Random(7);

        assertThat(CutoverIds.generate("shop", clock, random)).isNotEqualTo(CutoverIds.generate("shop", clock, random));
    }

    @Test
    void the_partition_of_a_cutover_is_the_one_kafkas_default_partitioner_picks() {
        for (var id : new String[] {"shop-20261125-101507-3f2a", "billing-1", "x", "ünïcode-7"}) {
            for (int partitions : new int[] {1, 3, 12}) {
                assertThat(MessageLog.partitionOf(id, partitions)).isEqualTo(
                        BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }
}
