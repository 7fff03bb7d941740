package dev.cutover.cutover.runner;

import java.time.Duration;
import java.time.Instant;

/**
 * When the saga decides again after transactions that did not commit. The first retry is at once (a fenced producer, a
 * rebalance: gone on the next try); each further failure in a row doubles the wait, up to {@code longest}, so that a
 * failure that lasts (a broker away, a topic whose size limit refuses what the saga writes until an operator raises it)
 * is tried again calmly instead of in a tight loop that floods the log. A commit starts over.
 */
final class RetryBackoff {

    private final Duration first;
    private final Duration longest;
    private int failuresInARow;
    private Instant nextAttempt = Instant.MIN;

    RetryBackoff(Duration first, Duration longest) {
        if (first.isNegative() || first.isZero() || longest.compareTo(first) < 0) {
            throw new IllegalArgumentException("a backoff needs 0 < first <= longest, not " + first + " and " + longest);
        }
        this.first = first;
        this.longest = longest;
    }

    /** A transaction did not commit at {@code now}: when to try again. */
    Instant failed(Instant now) {
        failuresInARow++;
        nextAttempt = failuresInARow == 1 ? now : now.plus(wait(failuresInARow - 1));
        return nextAttempt;
    }

    private Duration wait(int retries) {
        Duration wait = first;
        for (int i = 1; i < retries && wait.compareTo(longest) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(longest) < 0 ? wait : longest;
    }

    /** Whether the saga may decide again at {@code now}. */
    boolean mayTry(Instant now) {
        return !now.isBefore(nextAttempt);
    }

    /** How long from {@code now} until it may; zero when it may already. */
    Duration untilNextAttempt(Instant now) {
        return mayTry(now) ? Duration.ZERO : Duration.between(now, nextAttempt);
    }

    /** How many transactions in a row did not commit. */
    int failuresInARow() {
        return failuresInARow;
    }

    /** A transaction committed. */
    void committed() {
        failuresInARow = 0;
        nextAttempt = Instant.MIN;
    }
}
