package dev.cutover.schema.preflight;

/**
 * One thing preflight found.
 *
 * @param severity whether it stops the run
 * @param check    the check that found it, e.g. {@code replica_identity}
 * @param object   the object or setting concerned, e.g. {@code public.orders} or {@code wal_level}
 * @param message  what is wrong
 * @param remedy   what to do about it
 */
public record Finding(Severity severity, String check, String object, String message, String remedy) {
}
