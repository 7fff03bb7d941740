/** The full load: publication, a slot with an exported snapshot, and the parallel COPY of every table inside that snapshot. */
package dev.cutover.replicator.copy;
