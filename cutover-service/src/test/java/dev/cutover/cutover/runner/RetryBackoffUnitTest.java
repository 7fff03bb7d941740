package dev.cutover.cutover.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RetryBackoffUnitTest {

    private final Instant now = Instant.parse("2026-12-06T02:00:00Z");
    private final RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    @Test
    void theFirstFailureIsTriedAgainAtOnce() {
        assertThat(backoff.failed(now)).isEqualTo(now);
        assertThat(backoff.mayTry(now)).isTrue();
    }

    @Test
    void eachFurtherFailureInARowDoublesTheWaitUpToTheLongest() {
        backoff.failed(now);

        assertThat(backoff.failed(now)).isEqualTo(now.plusMillis(100));
        assertThat(backoff.failed(now)).isEqualTo(now.plusMillis(200));
        assertThat(backoff.failed(now)).isEqualTo(now.plusMillis(400));
        for (int i = 0; i < 20; i++) {
            backoff.failed(now);
        }
        assertThat(backoff.failed(now)).isEqualTo(now.plusSeconds(5));
        assertThat(backoff.failuresInARow()).isEqualTo(25);
    }

    @Test
    void theSagaWaitsUntilTheNextAttempt() {
        backoff.failed(now);
        backoff.failed(now);

        assertThat(backoff.mayTry(now.plusMillis(99))).isFalse();
        assertThat(backoff.untilNextAttempt(now.plusMillis(40))).isEqualTo(Duration.ofMillis(60));
        assertThat(backoff.mayTry(now.plusMillis(100))).isTrue();
        assertThat(backoff.untilNextAttempt(now.plusMillis(100))).isZero();
    }

    @Test
    void aCommitStartsOver() {
        backoff.failed(now);
        backoff.failed(now);

        backoff.committed();

        assertThat(backoff.mayTry(now)).isTrue();
        assertThat(backoff.failed(now)).isEqualTo(now);
    }

    @Test
    void aBackoffNeedsAPositiveFirstWaitNoLongerThanTheLongest() {
        assertThatThrownBy(() -> new RetryBackoff(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("0 < first");
        assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("first <= longest");
    }
}
