package dev.cutover.replicator.copy;

import dev.cutover.replicator.postgres.Lsn;

/**
 * A logical slot just created together with a snapshot of the data it starts after.
 *
 * @param slot             the slot's name
 * @param consistentPoint  the LSN from which the slot streams; every change before it is in the snapshot
 * @param snapshotName     what other sessions pass to {@code SET TRANSACTION SNAPSHOT} while the slot's connection lives
 */
record ExportedSnapshot(String slot, Lsn consistentPoint, String snapshotName) {
}
