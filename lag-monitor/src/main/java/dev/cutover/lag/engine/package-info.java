/** Replication engines (native, AWS DMS, pglogical) and reading their lag figures from the source and the target. */
package dev.cutover.lag.engine;
