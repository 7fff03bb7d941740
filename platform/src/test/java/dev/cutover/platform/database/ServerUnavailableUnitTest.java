package dev.cutover.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerUnavailableUnitTest {

    @ParameterizedTest
    @ValueSource(strings = {"08001", "08006", "57P01", "57P02", "57P03"})
    void aBrokenConnectionOrAServerShuttingDownOrStartingIsWorthAnotherTry(String state) {
        assertThat(ServerUnavailable.is(new SQLException("FATAL: the database system is shutting down", state)))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"42501", "42P01", "23505", "57014", "53300"})
    void aRefusalOrAMistakeNeedsAPerson(String state) {
        assertThat(ServerUnavailable.is(new SQLException("refused", state))).isFalse();
    }

    @Test
    void aFailureWithoutAStateIsNotTakenForAnOutage() {
        assertThat(ServerUnavailable.is(new SQLException("no state"))).isFalse();
    }
}
