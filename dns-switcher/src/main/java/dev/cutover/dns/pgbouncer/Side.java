package dev.cutover.dns.pgbouncer;

/** One of the cutover's two servers: {@code TargetOpened} opens the target, {@code SourceRestored} the source. */
public enum Side {
    SOURCE,
    TARGET
}
