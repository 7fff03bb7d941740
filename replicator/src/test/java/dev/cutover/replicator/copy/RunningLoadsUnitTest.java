package dev.cutover.replicator.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.cutover.platform.StepFailure;

class RunningLoadsUnitTest {

    private final RunningLoads loads = new RunningLoads();

    @Test
    void anAbortStopsItsOwnMigrationsLoadAndNoOtherOfTheSameDatabase() throws InterruptedException {
        LoadAbort newer = loads.begin("app-migration-2");

        assertThat(loads.stop("app-migration-1", "a late clean-up of the older one", Duration.ZERO)).isFalse();
        assertThat(newer.reason()).isEmpty();

        assertThat(loads.stop("app-migration-2", "aborted", Duration.ZERO)).isTrue();
        assertThat(newer.reason()).contains("aborted");
    }

    @Test
    void aLoadWhoseMigrationWasAbortedBeforeItBeganNeverBegins() throws InterruptedException {
        loads.stop("app-migration-3", "aborted", Duration.ZERO);

        assertThatThrownBy(() -> loads.begin("app-migration-3")).isInstanceOf(StepFailure.class)
                .hasMessageContaining("was aborted before its full load began");
    }
}
