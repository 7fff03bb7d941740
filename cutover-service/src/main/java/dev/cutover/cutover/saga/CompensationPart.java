package dev.cutover.cutover.saga;

/**
 * What a compensation waits for, each confirmed on its own: the name back on the source (only when {@code FlipDns}
 * was sent: a flip that timed out may have landed) and the source's roles able to log in again. The cutover reads as
 * rolled back only once every part it needs is confirmed.
 */
public enum CompensationPart {
    REVERT_DNS,
    RESTORE_SOURCE
}
