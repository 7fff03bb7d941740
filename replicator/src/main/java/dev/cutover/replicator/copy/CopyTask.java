package dev.cutover.replicator.copy;

/**
 * One unit of a worker's work: a range of a table.
 *
 * @param table          the table
 * @param range          the rows of it
 * @param parts          how many tasks the table was cut into (1 when copied whole)
 * @param estimatedBytes the share of the table's size this task is expected to move
 */
record CopyTask(SourceTable table, CopyRange range, int parts, long estimatedBytes) {
}
