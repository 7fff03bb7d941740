/**
 * Reverse replication from the target back to the source, prepared by every cutover that asks for it, so that a
 * fallback after the point of no return loses no write made on the target.
 */
package dev.cutover.replicator.fallback;
