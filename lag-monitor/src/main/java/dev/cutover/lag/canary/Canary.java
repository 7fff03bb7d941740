package dev.cutover.lag.canary;

import dev.cutover.lag.engine.Lsn;

/**
 * The row written on the source after the fence, and the source position of its commit.
 *
 * @param token unique text in {@code cutover.canary.token}
 * @param lsn   where the source's WAL stood once the canary was committed
 */
public record Canary(String token, Lsn lsn) {

    public Canary {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a canary needs its token, as written in cutover.canary on the source");
        }
        if (lsn == null) {
            throw new IllegalArgumentException("a canary needs the LSN of its commit on the source");
        }
    }
}
