package dev.cutover.replicator.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import dev.cutover.platform.StepFailure;

class PostgresVocabularyUnitTest {

    @Test
    void lsnReadsAndWritesPostgresNotationAndOrdersUnsigned() {
        Lsn lsn = Lsn.parse("16/B374D848");

        assertThat(lsn.value()).isEqualTo(0x16B374D848L);
        assertThat(lsn).hasToString("16/B374D848");
        assertThat(Lsn.parse("FFFFFFFF/0").isAtLeast(Lsn.parse("1/0"))).isTrue();
        assertThat(Lsn.parse("0/10").isAtLeast(Lsn.parse("0/11"))).isFalse();
    }

    @Test
    void somethingThatIsNotAnLsnIsRefusedWithAnExample() {
        assertThatThrownBy(() -> Lsn.parse("16B374D848")).hasMessageContaining("16/B374D848");
    }

    @Test
    void replicationObjectsAreNamedAfterTheDatabaseInSlotSafeCharacters() {
        ReplicationNames names = ReplicationNames.forDatabase("Shop-EU");

        assertThat(names).isEqualTo(new ReplicationNames("cutover_pub_shop_eu", "cutover_slot_shop_eu", "cutover_sub_shop_eu"));
    }

    @Test
    void longDatabaseNamesStayDistinctWithinPostgresNameLimit() {
        ReplicationNames a = ReplicationNames.forDatabase("a".repeat(70) + "one");
        ReplicationNames b = ReplicationNames.forDatabase("a".repeat(70) + "two");

        assertThat(a.slot()).hasSizeLessThanOrEqualTo(63).isNotEqualTo(b.slot());
    }

    @Test
    void quotingKeepsNamesAndValuesFromBecomingSql() {
        assertThat(Sql.identifier("we\"ird")).isEqualTo("\"we\"\"ird\"");
        assertThat(Sql.literal("it's")).isEqualTo("'it''s'");
        assertThat(Sql.conninfoValue("p'a\\ss")).isEqualTo("'p\\'a\\\\ss'");
        assertThat(new TableName("Sales", "order lines").quoted()).isEqualTo("\"Sales\".\"order lines\"");
    }

    @Test
    void aFullSlotTableTellsWhichSettingToRaise() {
        StepFailure failure = Failures.of("creating the replication slot s", "postgres@db:5432/shop",
                new SQLException("all replication slots are in use", "53400"));

        assertThat(failure.getMessage()).startsWith("creating the replication slot s on postgres@db:5432/shop failed")
                .contains("max_replication_slots");
        assertThat(failure.retryable()).isFalse();
    }

    @Test
    void aLostConnectionMayBeRetried() {
        assertThat(Failures.of("copying", "here", new SQLException("gone", "08006")).retryable()).isTrue();
    }
}
