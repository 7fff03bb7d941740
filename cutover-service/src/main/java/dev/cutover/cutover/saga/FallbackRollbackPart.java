package dev.cutover.cutover.saga;

/**
 * What a fallback's rollback waits for, each confirmed on its own: the name back on the target (only when the
 * fallback's {@code FlipDns} was sent: a flip that timed out may have landed) and the target's roles able to log in
 * again. The fallback reads as rolled back only once every part it needs is confirmed.
 */
public enum FallbackRollbackPart {
    REVERT_DNS,
    OPEN_TARGET
}
