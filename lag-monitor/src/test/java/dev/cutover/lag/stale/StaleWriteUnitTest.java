package dev.cutover.lag.stale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class StaleWriteUnitTest {

    @Test
    void commitsWithoutRowsWrittenAreNotAStaleWrite() {
        assertThat(StaleWrite.between(new WriteCounters(100, 50), new WriteCounters(100, 80), 1, List.of())).isEmpty();
    }

    @Test
    void rowsWrittenAfterTheFenceAreAStaleWriteNamingTheOnlyRoleWithSessions() {
        StaleWrite write = StaleWrite.between(new WriteCounters(100, 50), new WriteCounters(103, 55), 1,
                List.of(new Session("app", "10.0.0.7", "billing", 2))).orElseThrow();

        assertThat(write.rows()).isEqualTo(3);
        assertThat(write.transactions()).isEqualTo(4);
        assertThat(write.role()).contains("app");
        assertThat(write.detail()).contains("3 row(s)", "app", "10.0.0.7", "billing");
    }

    @Test
    void sessionsOfSeveralRolesLeaveTheRoleOpen() {
        StaleWrite write = StaleWrite.between(new WriteCounters(0, 0), new WriteCounters(1, 1), 1,
                List.of(new Session("app", "local", "", 1), new Session("reporting", "local", "", 1))).orElseThrow();

        assertThat(write.role()).isEmpty();
        assertThat(write.transactions()).isEqualTo(1);
    }
}
