package dev.cutover.lag.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LsnUnitTest {

    @Test
    void textFormRoundTripsAsPostgresqlPrintsIt() {
        assertThat(Lsn.parse("16/B374D848").toString()).isEqualTo("16/B374D848");
        assertThat(Lsn.parse("0/3000060").value()).isEqualTo(0x3000060L);
    }

    @Test
    void positionsCompareAcrossTheHighHalf() {
        assertThat(Lsn.parse("1/0").isAtOrAfter(Lsn.parse("0/FFFFFFFF"))).isTrue();
        assertThat(Lsn.parse("1/10").bytesAfter(Lsn.parse("0/FFFFFFF0"))).isEqualTo(0x20);
    }

    @Test
    void positionsAboveTheSignedRangeStillCompareInOrder() {
        assertThat(Lsn.parse("FFFFFFFF/0").compareTo(Lsn.parse("7FFFFFFF/0"))).isPositive();
    }

    @Test
    void textThatIsNotAnLsnIsRejectedWithTheExpectedForm() {
        assertThatThrownBy(() -> Lsn.parse("3000060")).hasMessageContaining("0/3000060");
    }
}
