/** Removing what a migration created on the source and the target, when an operator aborts it. */
package dev.cutover.replicator.cleanup;
