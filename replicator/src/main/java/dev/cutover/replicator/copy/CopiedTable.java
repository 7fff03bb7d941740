package dev.cutover.replicator.copy;

import java.time.Duration;

/**
 * One table fully copied: all its ranges are on the target.
 *
 * @param table qualified name, e.g. {@code public.orders}
 * @param rows  rows written on the target
 * @param bytes bytes of COPY stream moved
 * @param took  from the start of its first range to the end of its last
 */
public record CopiedTable(String table, long rows, long bytes, Duration took) {
}
