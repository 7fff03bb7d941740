/** Proof that nothing was lost: row counts and checksums of key ranges, computed in SQL on both sides and compared. */
package dev.cutover.replicator.verify;
